"""The safety path: what is stored, in one transaction, before a patient in danger is
answered, and the direct question asked when a message may signal risk.

Everything is written before anything is sent: the alert, its message to the staff chat
(built when sent, so it names the coordinators known then) and the answer to the patient,
claimed by the caller, who sends it at once after the commit. If that send fails, the outbox
retries it like any other row, in the safety lane, ahead of everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    Alert,
    AlertKind,
    CareUnit,
    Lane,
    OutboxMessage,
    OutboxMethod,
    Patient,
    SafetyCheck,
)
from bot.db.vault import Vault
from bot.domain.calendar import OfficeHours
from bot.services import messages, outbox


@dataclass(frozen=True)
class Raised:
    alert: Alert | None  # None where the patient has no staff chat to alert
    answer: OutboxMessage | None  # the answer to send at once (claimed), if any


def alert_lane(kind: AlertKind) -> Lane:
    return Lane.SAFETY if kind == AlertKind.ACUTE else Lane.NORMAL


async def queue_alert(
    session: AsyncSession, vault: Vault, unit: CareUnit, alert: Alert, quote: str, now: datetime
) -> None:
    """The alert's message in the staff chat (again at each escalation), built when sent."""
    await outbox.enqueue(
        session,
        vault,
        key=f"alert:{alert.id}:{alert.escalations}",
        purpose="alert",
        method=OutboxMethod.ALERT,
        chat_id=unit.staff_chat_id,
        patient_id=alert.patient_id,
        text=quote,
        alert=alert.id,
        lane=alert_lane(AlertKind(alert.kind)),
        now=now,
    )


async def raise_alarm(
    session: AsyncSession,
    vault: Vault,
    patient: Patient,
    unit: CareUnit | None,
    *,
    kind: AlertKind,
    reason: str,
    quote: str,
    answer: str,
    now: datetime,
    office: OfficeHours,
    window: timedelta,
) -> Raised:
    """Store the alert and both messages (not committed: the caller commits with them
    whatever else the patient's message stored)."""
    alert: Alert | None = None
    if unit is not None:
        alert = await messages.raise_alert(
            session, patient, unit, kind=kind, reason=reason, now=now, office=office,
            window=window,
        )  # fmt: skip
        await queue_alert(session, vault, unit, alert, quote, now)
    row = await answer_at_once(session, vault, patient, answer, f"answer:{kind}", now)
    return Raised(alert, row)


async def answer_at_once(
    session: AsyncSession,
    vault: Vault,
    patient: Patient,
    text: str,
    purpose: str,
    now: datetime,
    reply_markup: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    if not text or patient.chat_id is None:
        return None
    return await outbox.enqueue(
        session,
        vault,
        key=f"{purpose}:{patient.key}:{now.isoformat()}",
        purpose=purpose,
        chat_id=patient.chat_id,
        patient_id=patient.key,
        text=text,
        reply_markup=reply_markup,
        lane=Lane.SAFETY,
        claimed=True,
        now=now,
    )


async def ask(session: AsyncSession, patient: Patient, reason: str, now: datetime) -> SafetyCheck:
    check = SafetyCheck(patient_id=patient.key, reason=reason[:120], asked_at=now)
    session.add(check)
    await session.flush()
    return check


async def answer(
    session: AsyncSession, patient: Patient, check_id: int, said_yes: bool, now: datetime
) -> SafetyCheck | None:
    """Record the answer; None if the question is not this patient's or was answered."""
    check = await session.get(SafetyCheck, check_id)
    if check is None or check.patient_id != patient.key or check.answer:
        return None
    check.answer = "yes" if said_yes else "no"
    check.answered_at = now
    session.add(check)
    await session.flush()
    return check


async def latest_check(session: AsyncSession, patient: Patient) -> SafetyCheck | None:
    found = await session.exec(
        select(SafetyCheck)
        .where(SafetyCheck.patient_id == patient.key)
        .order_by(col(SafetyCheck.id).desc())
    )
    return found.first()
