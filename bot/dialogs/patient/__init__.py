"""The patient's private chat."""

from __future__ import annotations

from aiogram import F, Router

from bot.dialogs.filters import Magic
from bot.dialogs.patient import export, fallback, forms, messaging, onboarding, program, safety


def patient_router() -> Router:
    router = Router(name="patient")
    router.message.filter(Magic(F.chat.type == "private"))
    router.callback_query.filter(Magic(F.message.chat.type == "private"))
    # Every message is triaged (read only) before any handler acts on it, and the safety
    # router comes first: an alarming message is answered before anything else.
    router.message.outer_middleware(safety.TriageReading())
    # fallback last: it answers whatever the others did not take.
    router.include_routers(
        safety.router(),
        onboarding.router(),
        messaging.erase_router(),
        export.router(),
        program.router(),
        messaging.router(),
        forms.router(),
        messaging.edits_router(),
        fallback.router(),
    )
    return router
