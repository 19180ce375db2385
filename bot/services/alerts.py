"""Alerts that must be acknowledged: raised with their message to the staff chat, and
escalated, again and to the unit's fallback chat, while nobody acknowledges them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Alert, AlertKind, CareUnit, Lane, OutboxMethod, Patient
from bot.db.vault import Vault
from bot.domain.calendar import OfficeHours
from bot.services import outbox
from bot.texts import patient as fmt
from bot.texts import staff as views


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


def escalation_time(
    raised: datetime, office: OfficeHours, window: timedelta, kind: AlertKind
) -> datetime | None:
    """When an unacknowledged alert is repeated: `window` into office hours. Urgent (not
    acute) messages are flagged on the card but not escalated."""
    if kind == AlertKind.URGENT:
        return None
    return office.next_opening(raised) + window


async def raise_alert(
    session: AsyncSession,
    patient: Patient,
    unit: CareUnit,
    *,
    kind: AlertKind,
    reason: str,
    now: datetime,
    office: OfficeHours,
    window: timedelta,
) -> Alert:
    alert = Alert(
        patient_id=patient.key,
        unit_id=unit.key,
        kind=kind,
        reason=reason[:200],
        raised_at=now,
        escalate_at=escalation_time(now, office, window, kind),
    )
    session.add(alert)
    await session.flush()
    return alert


async def acknowledge(session: AsyncSession, alert: Alert, user_id: int, now: datetime) -> bool:
    """True if this press acknowledged it; False if someone already had."""
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at = now
    alert.acknowledged_by = user_id
    alert.escalate_at = None
    session.add(alert)
    await session.flush()
    return True


async def open_alerts(session: AsyncSession, patient: Patient) -> list[Alert]:
    found = await session.exec(
        select(Alert)
        .where(Alert.patient_id == patient.key, col(Alert.acknowledged_at).is_(None))
        .order_by(col(Alert.id))
    )
    return list(found.all())


async def due_alerts(session: AsyncSession, now: datetime) -> list[Alert]:
    found = await session.exec(
        select(Alert)
        .where(
            col(Alert.acknowledged_at).is_(None),
            col(Alert.escalate_at).is_not(None),
            col(Alert.escalate_at) <= now,
        )
        .order_by(col(Alert.id))
    )
    return list(found.all())


def escalated(session: AsyncSession, alert: Alert, now: datetime, window: timedelta) -> None:
    alert.escalations += 1
    alert.escalate_at = now + window
    session.add(alert)


async def escalate(session: AsyncSession, ctx: AppContext, alert: Alert) -> None:
    """Nobody acknowledged the alert in time: post it again, and tell the fallback chat."""
    unit = await session.get(CareUnit, alert.unit_id)
    patient = await session.get(Patient, alert.patient_id)
    assert unit is not None and patient is not None
    now = ctx.clock()
    escalated(session, alert, now, timedelta(minutes=ctx.settings.alert_ack_minutes))
    await queue_alert(session, ctx.vault, unit, alert, "", now)
    if unit.fallback_chat_id is None:
        return
    kind = AlertKind(alert.kind)
    with ctx.staff_speaking():
        raised = fmt.when(alert.raised_at, ctx.settings.staff_language, ctx.settings.tz)
        text = views.escalation_notice(unit, patient, kind, raised)
    await outbox.enqueue(
        session, ctx.vault, key=f"escalation:{alert.id}:{alert.escalations}",
        purpose="escalation", chat_id=unit.fallback_chat_id, text=text, lane=alert_lane(kind),
        now=now,
    )  # fmt: skip


async def escalate_due(session: AsyncSession, ctx: AppContext) -> int:
    """Escalate every alert whose time came; committed one by one."""
    due = await due_alerts(session, ctx.clock())
    for alert in due:
        await escalate(session, ctx, alert)
        await session.commit()
    return len(due)
