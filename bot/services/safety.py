"""The safety path: what is stored, in one transaction, before a patient in danger is
answered, and the direct question asked when a message may signal risk.

Everything is written before anything is sent: the alert, its message to the staff chat
(built when sent, so it names the coordinators known then) and the answer to the patient,
claimed by the caller, who sends it at once after the commit. If that send fails, the outbox
retries it like any other row, in the safety lane, ahead of everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    Alert,
    AlertKind,
    Lane,
    OutboxMessage,
    Patient,
    SafetyCheck,
)
from bot.db.vault import Vault
from bot.domain.scoring import needs_attention, shown
from bot.services import alerts, cards, checks, outbox, staff
from bot.texts import patient as fmt

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Raised:
    alert: Alert | None  # None where the patient has no staff chat to alert
    answer: OutboxMessage | None  # the answer to send at once (claimed), if any


async def raise_alarm(
    session: AsyncSession, ctx: AppContext, patient: Patient, *, kind: AlertKind,
    reason: str, quote: str, answer: str,
) -> Raised:  # fmt: skip
    """Store the alert and both messages in the patient's unit (not committed: the caller
    commits with them whatever else the patient's message stored)."""
    unit = await staff.unit_of(session, ctx.settings, patient)
    if unit is None:
        log.error("alert (%s) for %s, but no staff chat is configured", kind, patient.pseudonym)
    vault, now = ctx.vault, ctx.clock()
    office, window = fmt.office_hours(ctx), timedelta(minutes=ctx.settings.alert_ack_minutes)
    alert: Alert | None = None
    if unit is not None:
        alert = await alerts.raise_alert(
            session, patient, unit, kind=kind, reason=reason, now=now, office=office,
            window=window,
        )  # fmt: skip
        await alerts.queue_alert(session, vault, unit, alert, quote, now)
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


async def alarm(
    session: AsyncSession, ctx: AppContext, patient: Patient, kind: AlertKind, reason: str,
    quote: str, answer: str,
) -> Raised:  # fmt: skip
    """The use case: an alert the coordinators must acknowledge, the patient's answer and
    the card's redraw, committed together. The caller then sends the answer at once."""
    raised = await raise_alarm(
        session, ctx, patient, kind=kind, reason=reason, quote=quote, answer=answer
    )
    await cards.changed(session, ctx, patient)
    await session.commit()
    return raised


async def ask_directly(
    session: AsyncSession, ctx: AppContext, patient: Patient, reason: str, question: str,
    markup: Callable[[int], dict[str, Any]],
) -> OutboxMessage | None:  # fmt: skip
    """The direct question, recorded, and queued to go at once (claimed); committed."""
    check = await checks.ask(session, patient, reason, ctx.clock())
    row = await answer_at_once(
        session, ctx.vault, patient, question, "safety-question", ctx.clock(),
        markup(check.id or 0),
    )  # fmt: skip
    await cards.changed(session, ctx, patient)
    await session.commit()
    return row


async def record_answer(
    session: AsyncSession, ctx: AppContext, patient: Patient, check_id: int, said_yes: bool
) -> SafetyCheck | None:
    """The patient's yes or no, committed; a no redraws the card (a yes raises an alarm,
    which does). None: answered before."""
    check = await checks.answer(session, patient, check_id, said_yes, ctx.clock())
    if check is not None and not said_yes:
        await cards.changed(session, ctx, patient)
    await session.commit()
    return check


async def flag_low_score(
    session: AsyncSession, ctx: AppContext, patient: Patient, form_id: str,
    score: dict[str, Any] | None,
) -> Alert | None:  # fmt: skip
    """The low-wellbeing alert: a form whose score the content flags (a WHO-5 item at 1, a
    low total) raises an alert to acknowledge, in the transaction that stores the form."""
    if score is None or not needs_attention(score):
        return None
    flags = ", ".join(flag.removeprefix("low_item:") for flag in score["flags"])
    reason = f"{form_id}: {shown(score['score'])} ({flags})"
    raised = await raise_alarm(
        session, ctx, patient, kind=AlertKind.LOW_WELLBEING, reason=reason, quote="", answer=""
    )
    return raised.alert
