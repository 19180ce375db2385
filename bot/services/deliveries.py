"""What follows from a send's outcome: 👌 under a coordinator's message the patient has, a
note when it is late or refused, and the patient flagged when they blocked the bot.

Called by the outbox sender (through the delivery's callbacks) in its own session; the
sender commits with the row's new state.
"""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import OutboxMessage, OutboxMethod, Patient, Relay, RelayDirection
from bot.services import cards, messages, outbox, staff
from bot.texts import notes

log = logging.getLogger(__name__)
DELIVERED = "👌"


async def patient_of(session: AsyncSession, row: OutboxMessage) -> Patient | None:
    """The row's patient as stored now (a sender's session lives for a whole batch, and the
    other sender may have changed the patient meanwhile)."""
    if row.patient_id is None:
        return None
    return await session.get(Patient, row.patient_id, populate_existing=True)


async def stored(session: AsyncSession, ids: tuple[int, ...]) -> list[Relay]:
    """These stored messages, less any deleted meanwhile, in the order they were written:
    Telegram takes an album's ids only in increasing order."""
    found = [await session.get(Relay, relay_id) for relay_id in ids]
    return sorted((r for r in found if r is not None), key=lambda r: r.source_message_id)


async def relays_of(session: AsyncSession, ctx: AppContext, row: OutboxMessage) -> list[Relay]:
    if row.method != OutboxMethod.RELAY:
        return []
    return await stored(session, outbox.outgoing(ctx.vault, row).relays)


async def sent(session: AsyncSession, ctx: AppContext, row: OutboxMessage) -> None:
    relays = await relays_of(session, ctx, row)
    if not relays or relays[0].direction != RelayDirection.TO_PATIENT:
        return
    relay = relays[0]
    await outbox.enqueue(
        session, ctx.vault, key=f"delivered:{relay.id}", purpose="delivered",
        method=OutboxMethod.REACT, chat_id=relay.source_chat_id, patient_id=row.patient_id,
        text=DELIVERED, reply_to=relay.source_message_id, now=ctx.clock(),
    )  # fmt: skip
    patient = await patient_of(session, row)
    if patient is not None and patient.blocked_bot:
        patient.blocked_bot = False
        session.add(patient)
        await cards.changed(session, ctx, patient)


async def delayed(session: AsyncSession, ctx: AppContext, row: OutboxMessage) -> None:
    """A coordinator's reply that did not go at once: they see it is on its way."""
    relays = await relays_of(session, ctx, row)
    if relays and relays[0].direction == RelayDirection.TO_PATIENT:
        with ctx.staff_speaking():
            text = notes.not_delivered_yet()
        await _note_under(session, ctx, relays[0], f"delayed:{relays[0].id}", "delayed", text)


async def refused(
    session: AsyncSession, ctx: AppContext, row: OutboxMessage, blocked: bool
) -> None:
    """Telegram will never take it: the relay is marked, and a patient who cannot be reached
    is flagged and the coordinators are told, in the topic."""
    patient = await patient_of(session, row)
    if patient is None:
        return
    relays = await relays_of(session, ctx, row)
    for relay in relays:
        messages.undeliverable(session, relay)
    if row.chat_id != patient.chat_id:
        log.warning("the staff chat refused %s: %s", row.dedupe_key, row.last_error)
        return
    patient.blocked_bot = blocked or patient.blocked_bot
    session.add(patient)
    reply = relays[0] if relays else None  # a coordinator's, as the chat is the patient's
    with ctx.staff_speaking():
        if reply is not None and blocked:
            text = notes.blocked()
        else:
            text = notes.undeliverable(patient.pseudonym, row.purpose, row.last_error)
    key = f"undeliverable:{row.id}"
    if reply is not None:
        await _note_under(session, ctx, reply, key, "undeliverable", text)
    elif (unit := await staff.unit_of(session, ctx.settings, patient)) is not None:
        await outbox.enqueue(
            session, ctx.vault, key=key, purpose="undeliverable", chat_id=unit.staff_chat_id,
            in_topic=True, patient_id=patient.key, text=text, now=ctx.clock(),
        )  # fmt: skip
    await cards.changed(session, ctx, patient)


async def forget_topic(session: AsyncSession, patient_id: int, lost: int) -> None:
    """Staff deleted the topic: forget it, so the next message opens a new one. Only the
    topic that failed is forgotten, so messages failing together open one new topic."""
    log.info("the topic of patient %s was deleted; opening a new one", patient_id)
    await session.exec(
        update(Patient)
        .where(col(Patient.id) == patient_id, col(Patient.topic_id) == lost)
        .values(topic_id=None, card_message_id=None, card_digest="")
    )
    await session.commit()


async def _note_under(
    session: AsyncSession, ctx: AppContext, relay: Relay, key: str, purpose: str, text: str
) -> None:
    """A line in the topic, answering the coordinator's message it is about."""
    await outbox.enqueue(
        session, ctx.vault, key=key, purpose=purpose, chat_id=relay.source_chat_id,
        in_topic=True, patient_id=relay.patient_id, text=text,
        reply_to=relay.source_message_id, now=ctx.clock(),
    )  # fmt: skip
