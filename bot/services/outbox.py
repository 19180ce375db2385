"""The persistent outbox: queue a message once (by its dedupe key), claim due ones atomically,
and record what became of each."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import claims
from bot.db.models import Lane, OutboxMessage, OutboxMethod, OutboxStatus, Patient
from bot.db.vault import Vault


@dataclass(frozen=True)
class Outgoing:
    """What an outbox row carries (sealed, as JSON)."""

    text: str = ""
    reply_markup: dict[str, Any] | None = None
    reply_to: int | None = None  # a message in the same chat this answers (or reacts to)
    relays: tuple[int, ...] = ()  # the stored messages a RELAY or EDIT row carries
    repost: bool = False  # a CARD row: post the card anew rather than edit it
    alert: int | None = None  # an ALERT row: the alert it shows


QUEUED = "outbox_queued"


async def enqueue(
    session: AsyncSession,
    vault: Vault,
    *,
    key: str,
    purpose: str,
    chat_id: int,
    now: datetime,
    text: str = "",
    method: OutboxMethod = OutboxMethod.SEND,
    thread_id: int | None = None,
    in_topic: bool = False,
    patient_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
    reply_to: int | None = None,
    relays: tuple[int, ...] = (),
    repost: bool = False,
    alert: int | None = None,
    not_before: datetime | None = None,
    lane: Lane = Lane.NORMAL,
    claimed: bool = False,
) -> OutboxMessage | None:
    """Queue a message; None if one with this key was queued before (sent or not).

    `in_topic` sends it into the patient's topic as it is when sent (opened if need be).
    `claimed`: the caller sends it itself right after the commit (the answer to a patient in
    danger); should that fail, it is retried like any other row."""
    found = await session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
    if found.first() is not None:
        return None
    payload = Outgoing(text, reply_markup, reply_to, relays, repost, alert)
    row = OutboxMessage(
        dedupe_key=key[:160],
        purpose=purpose,
        method=method,
        chat_id=chat_id,
        thread_id=thread_id,
        in_topic=in_topic,
        patient_id=patient_id,
        payload=vault.seal(asdict(payload)),
        next_attempt_at=max(now, not_before or now),
        created_at=now,
        lane=lane,
        status=OutboxStatus.SENDING if claimed else OutboxStatus.PENDING,
        claimed_at=now if claimed else None,
    )
    session.add(row)
    await session.flush()
    session.info[QUEUED] = True  # the sender need look only after commits that queued
    return row


def queued_since_asked(session: AsyncSession) -> bool:
    """Whether this session queued a message since the last time this was asked."""
    return bool(session.info.pop(QUEUED, False))


def outgoing(vault: Vault, row: OutboxMessage) -> Outgoing:
    data = vault.open(row.payload)
    return Outgoing(**{**data, "relays": tuple(data.get("relays", ()))})


async def pending_of(
    session: AsyncSession, patient_id: int, method: OutboxMethod
) -> OutboxMessage | None:
    """A message of this kind for the patient not yet taken by a sender (to coalesce)."""
    found = await session.exec(
        select(OutboxMessage).where(
            OutboxMessage.patient_id == patient_id,
            OutboxMessage.method == method,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    return found.first()


async def claim(
    session: AsyncSession, now: datetime, limit: int, lane: Lane | None = None
) -> list[OutboxMessage]:
    """Due messages (of one lane), marked as being sent in one statement, so no two
    senders take one."""
    return await claims.claim_due(
        session,
        OutboxMessage,
        due=OutboxMessage.next_attempt_at,
        pending=OutboxStatus.PENDING,
        claimed=OutboxStatus.SENDING,
        now=now,
        limit=limit,
        first=OutboxMessage.lane,
        where=None if lane is None else col(OutboxMessage.lane) == lane,
    )


def sent(row: OutboxMessage, message_id: int | None, now: datetime) -> None:
    row.status = OutboxStatus.SENT
    row.message_id = message_id
    row.sent_at = now
    row.attempts += 1


def retry(row: OutboxMessage, at: datetime, error: str, count: bool = True) -> None:
    row.status = OutboxStatus.PENDING
    row.next_attempt_at = at
    row.last_error = error[:200]
    if count:
        row.attempts += 1


def refused(row: OutboxMessage, error: str, status: OutboxStatus = OutboxStatus.REFUSED) -> None:
    row.status = status
    row.last_error = error[:200]
    row.attempts += 1


async def release(session: AsyncSession, ids: list[int]) -> None:
    """Claimed messages that were not finished: pending again (sent ones are left alone)."""
    if not ids:
        return
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.status) == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING)
    )
    await session.commit()


async def release_stale(session: AsyncSession, now: datetime, older_than: timedelta) -> int:
    """Messages a sender claimed and never finished (it died): back in the queue."""
    result = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.SENDING,
            col(OutboxMessage.claimed_at) <= now - older_than,
        )
        .values(status=OutboxStatus.PENDING)
    )
    await session.commit()
    return int(result.rowcount)


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.exec(
        select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
    )
    return {status: int(number) for status, number in rows.all()}


async def tell_patient(
    session: AsyncSession,
    vault: Vault,
    patient: Patient,
    text: str,
    key: str,
    now: datetime,
    *,
    purpose: str = "",
    not_before: datetime | None = None,
) -> None:
    """A notice to the patient, sent after the transaction that queued it commits."""
    if patient.chat_id is None:
        return
    await enqueue(
        session, vault, key=key, purpose=purpose or key.split(":", 1)[0],
        chat_id=patient.chat_id, patient_id=patient.key, text=text, now=now,
        not_before=not_before,
    )  # fmt: skip
