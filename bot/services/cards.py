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
from bot.services import alerts, checks, contact_notes, outbox, overview, staff
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
    open_alerts = await alerts.open_alerts(session, patient)
    responsible = await staff.responsible(session, patient)
    check = await checks.latest_check(session, patient)
    hours = await contact_notes.hours_of(session, patient.key)
    with ctx.staff_speaking():
        title = views.topic_title(patient, ov)
        return title, views.card(ctx, patient, ov, responsible, open_alerts, check, hours)


async def topic_title(session: AsyncSession, ctx: AppContext, patient: Patient) -> str:
    ov = await overview.overview(session, ctx.vault, ctx.catalog, patient)
    with ctx.staff_speaking():
        return views.topic_title(patient, ov)
