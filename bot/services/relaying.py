"""Queueing a stored message for the other side: a patient's into their topic, a
coordinator's to the patient, an edit to the copy already delivered.

Queued in the transaction that stored the message, so nothing stored is left unsent. The
parts of an album arrive as separate messages: they stay stored until the delivery collects
them (`queue_album`), and a part whose process stopped meanwhile is queued by the tick
(`queue_orphans`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import OutboxMethod, Patient, Relay, RelayDirection, RelayStatus
from bot.services import messages, outbox, staff
from bot.texts import patient as fmt

ORPHAN = timedelta(minutes=1)  # a stored message not queued by then never will be


async def queue(session: AsyncSession, ctx: AppContext, relay: Relay) -> bool:
    """Queue a stored message; False for the part of an album, which waits for the rest."""
    if relay.media_group_id:
        return False
    await _queue(session, ctx, [relay], key=f"relay:{relay.id}")
    return True


async def queue_album(session: AsyncSession, ctx: AppContext, group: str) -> None:
    """All parts of an album as one; a patient is told once that it was sent."""
    await _queue_parts(session, ctx, await messages.all_pending(session, album=group), group)


async def queue_orphans(session: AsyncSession, ctx: AppContext) -> None:
    """Messages stored but never queued (the process stopped while an album waited)."""
    albums: defaultdict[str, list[Relay]] = defaultdict(list)
    for relay in await messages.all_pending(session, before=ctx.clock() - ORPHAN):
        if relay.media_group_id:
            albums[relay.media_group_id].append(relay)
        else:
            await _queue(session, ctx, [relay], key=f"relay:{relay.id}")
    for group, parts in albums.items():
        await _queue_parts(session, ctx, parts, group)


async def mirror_edit(session: AsyncSession, ctx: AppContext, relay: Relay) -> None:
    """Queue an edit for the other side's copy. A message not yet sent needs none: it is
    built from what is stored when it goes."""
    if relay.status != RelayStatus.DELIVERED or relay.copy_chat_id is None:
        return
    await outbox.enqueue(
        session, ctx.vault, key=f"edit:{relay.id}:{uuid.uuid4().hex}", purpose="edit",
        method=OutboxMethod.EDIT, chat_id=relay.copy_chat_id, patient_id=relay.patient_id,
        relays=(relay.key,), now=ctx.clock(),
    )  # fmt: skip


async def _queue_parts(
    session: AsyncSession, ctx: AppContext, parts: list[Relay], group: str
) -> None:
    if not parts:
        return
    await _queue(session, ctx, parts, key=f"album:{group}")
    patient = await session.get(Patient, parts[0].patient_id)
    if parts[0].direction != RelayDirection.FROM_PATIENT or patient is None:
        return
    back = await staff.responsible_back(session, patient, ctx.today().date())
    with ctx.speaking(patient.language):
        notice = fmt.sent_notice(ctx, patient, back)
    await outbox.tell_patient(
        session, ctx.vault, patient, notice, f"sent:album:{group}", ctx.clock()
    )


async def _queue(session: AsyncSession, ctx: AppContext, parts: list[Relay], key: str) -> None:
    first = parts[0]
    patient = await session.get(Patient, first.patient_id)
    assert patient is not None
    if first.direction == RelayDirection.FROM_PATIENT:
        unit = await staff.unit_of(session, ctx.settings, patient)
        if unit is None:
            return
        chat_id, in_topic = unit.staff_chat_id, True
    else:
        assert patient.chat_id is not None
        chat_id, in_topic = patient.chat_id, False
    await outbox.enqueue(
        session, ctx.vault, key=key, purpose="relay", method=OutboxMethod.RELAY,
        chat_id=chat_id, in_topic=in_topic, patient_id=patient.key,
        relays=tuple(part.key for part in parts), now=ctx.clock(),
    )  # fmt: skip
