"""One database session per update, duplicates dropped, the patient and language resolved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.utils.i18n import I18nMiddleware

from bot.db import claims
from bot.db.models import Patient
from bot.db.session import SessionFactory
from bot.db.types import utcnow
from bot.dialogs import Handler, unit_of_work
from bot.dialogs.patient.common import Turn
from bot.dialogs.unit_of_work import DuplicateUpdate, UnitOfWork
from bot.services.patients import find_by_user


class DatabaseMiddleware(BaseMiddleware):
    """Commits the update's work together with its id, so a re-delivered update is a no-op."""

    def __init__(
        self, session_factory: SessionFactory, after_commit: Callable[[], None] | None = None
    ) -> None:
        self.session_factory = session_factory
        # Told after each commit (the outbox sender looks for what the update queued).
        self.after_commit = after_commit

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        async with self.session_factory() as session:
            if not await claims.claim_update(session, event.update_id, utcnow()):
                return None
            data["session"] = session
            work = UnitOfWork(session, self.after_commit)
            token = unit_of_work.current.set(work)  # committed before each Bot API call
            try:
                result = await handler(event, data)
                await work.commit()
            except DuplicateUpdate:  # the same update handled concurrently elsewhere
                return None
            finally:
                unit_of_work.current.reset(token)
            return result


class PatientMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        patient: Patient | None = None
        if user is not None and (chat is None or chat.type == "private"):
            patient = await find_by_user(data["session"], user.id)
        data["patient"] = patient
        if patient is not None:
            data["turn"] = Turn(data["bot"], data["ctx"], data["session"], data["i18n"], patient)
        return await handler(event, data)


def stranger_language(user: User | None) -> str:
    code = (user.language_code or "") if user else ""
    return "sv" if code.startswith("sv") or not code else "en"


class PatientLocale(I18nMiddleware):
    """The staff language in a staff chat; the patient's chosen language; for strangers,
    their Telegram language."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        if data.get("unit") is not None:
            return str(data["ctx"].settings.staff_language)
        patient: Patient | None = data.get("patient")
        if patient is not None:
            return patient.language
        return stranger_language(data.get("event_from_user"))
