"""When the pinned card in the patient's topic must be drawn again.

Every change a coordinator should see on the card (a module opened or finished, a form
sent, an alert raised or acknowledged, consent lapsed, a patient who blocked the bot, a
handover) calls `changed` in the same transaction as the change itself. One queued redraw
serves all changes before it goes: the delivery draws it from the state of then.
"""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import OutboxMethod, Patient
from bot.services import (
    alerts,
    assessments,
    checks,
    contact_notes,
    form_requests,
    outbox,
    overview,
    plans,
    sharing,
    staff,
)  # fmt: skip
from bot.services import forms as form_store
from bot.texts import card as card_text
from bot.texts import staff as views


async def changed(
    session: AsyncSession, ctx: AppContext, patient: Patient, repost: bool = False
) -> None:
    """Queue a redraw of the patient's card (opening their topic if need be); `repost`
    posts it anew at the foot of the topic."""
    unit = await staff.unit_of(session, ctx.settings, patient)
    if unit is None:
        return
    if not repost and await outbox.pending_of(session, patient.key, OutboxMethod.CARD):
        return
    await outbox.enqueue(
        session,
        ctx.vault,
        key=f"card:{patient.key}:{uuid.uuid4().hex}",
        purpose="card",
        method=OutboxMethod.CARD,
        chat_id=unit.staff_chat_id,
        in_topic=True,
        patient_id=patient.key,
        repost=repost,
        now=ctx.clock(),
    )


async def card(session: AsyncSession, ctx: AppContext, patient: Patient) -> tuple[str, str]:
    """The topic's title and the card's text, in the staff language, as the patient is now."""
    ov = await overview.overview(session, ctx.vault, ctx.catalog, patient)
    sent = [
        found
        for form_id in ctx.catalog.texts.sendable_forms
        if (found := await form_store.latest(
            session, ctx.vault, patient.key, form_requests.SENT, form_id
        ))
    ]  # fmt: skip
    facts = card_text.CardFacts(
        responsible=await staff.responsible(session, patient),
        alerts=await alerts.open_alerts(session, patient),
        check=await checks.latest_check(session, patient),
        hours=await contact_notes.hours_of(session, patient.key),
        needs=await assessments.latest_needs(session, patient.key),
        waiting=await form_requests.open_requests(session, patient.key),
        sent=sent,
        consent=await sharing.current(session, ctx.vault, patient.key),
        plan=await plans.plan_of(session, ctx.vault, patient),
    )
    with ctx.staff_speaking():
        title = views.topic_title(patient, ov)
        return title, card_text.card(ctx, patient, ov, facts)


async def topic_title(session: AsyncSession, ctx: AppContext, patient: Patient) -> str:
    ov = await overview.overview(session, ctx.vault, ctx.catalog, patient)
    with ctx.staff_speaking():
        return views.topic_title(patient, ov)
