"""Care units, who is a coordinator, ownership, absence, and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.db.models import AuditEntry, CareUnit, Coordinator, Patient, Signature
from bot.domain.audit import AuditAction
from bot.services import caselog


@dataclass(frozen=True)
class Member:
    """A member of a staff chat as Telegram reports it."""

    user_id: int
    first_name: str


async def default_unit(session: AsyncSession, settings: Settings) -> CareUnit | None:
    """The unit of STAFF_CHAT_ID, created on first use with the settings' allow-list."""
    if settings.staff_chat_id is None:
        return None
    unit = await unit_by_chat(session, settings.staff_chat_id)
    if unit is None:
        unit = await add_unit(
            session,
            name=settings.clinic_name,
            staff_chat_id=settings.staff_chat_id,
            signature=Signature(settings.staff_signature),
            fallback_chat_id=settings.fallback_chat_id,
            allow_list=settings.staff_allow_list,
        )
    return unit


async def add_unit(
    session: AsyncSession,
    *,
    name: str,
    staff_chat_id: int,
    signature: Signature = Signature.ROLE,
    fallback_chat_id: int | None = None,
    allow_list: Sequence[int] = (),
) -> CareUnit:
    unit = CareUnit(
        name=name,
        staff_chat_id=staff_chat_id,
        signature=signature,
        fallback_chat_id=fallback_chat_id,
    )
    session.add(unit)
    await session.flush()
    for user_id in allow_list:
        session.add(Coordinator(unit_id=unit.key, user_id=user_id, allow_listed=True))
    await session.flush()
    return unit


async def unit_of(session: AsyncSession, settings: Settings, patient: Patient) -> CareUnit | None:
    """The patient's unit; one without a unit joins the default unit (if there is one)."""
    if patient.unit_id is not None:
        return await session.get(CareUnit, patient.unit_id)
    unit = await default_unit(session, settings)
    if unit is not None:
        patient.unit_id = unit.key
        session.add(patient)
        await caselog.joined_unit(session, patient)
    return unit


async def unit_by_chat(session: AsyncSession, chat_id: int) -> CareUnit | None:
    found = await session.exec(select(CareUnit).where(CareUnit.staff_chat_id == chat_id))
    return found.first()


async def units(session: AsyncSession) -> list[CareUnit]:
    return list((await session.exec(select(CareUnit).order_by(col(CareUnit.id)))).all())


def admins_are_stale(unit: CareUnit, now: datetime, refresh: timedelta) -> bool:
    return unit.admins_checked_at is None or now - unit.admins_checked_at >= refresh


async def record_admins(
    session: AsyncSession, unit: CareUnit, admins: Sequence[Member], now: datetime
) -> None:
    """What getChatAdministrators said: admins become coordinators, former admins stop."""
    known = {c.user_id: c for c in await coordinators(session, unit, only_active=False)}
    current = {member.user_id for member in admins}
    for member in admins:
        row = known.get(member.user_id) or Coordinator(unit_id=unit.key, user_id=member.user_id)
        row.is_admin = True
        row.first_name = member.first_name[:64]
        session.add(row)
    for user_id, row in known.items():
        if user_id not in current and row.is_admin:
            row.is_admin = False
            session.add(row)
    unit.admins_checked_at = now
    session.add(unit)
    await session.flush()


def record_chat_kind(session: AsyncSession, unit: CareUnit, *, forum: bool) -> None:
    """The staff chat has topics (or no longer has): patients' messages follow."""
    if unit.forum != forum:
        unit.forum = forum
        session.add(unit)


async def coordinators(
    session: AsyncSession, unit: CareUnit, *, only_active: bool = True
) -> list[Coordinator]:
    found = await session.exec(
        select(Coordinator).where(Coordinator.unit_id == unit.key).order_by(col(Coordinator.id))
    )
    return [c for c in found.all() if c.active or not only_active]


async def coordinator(session: AsyncSession, unit: CareUnit, user_id: int) -> Coordinator | None:
    """The unit's coordinator with this Telegram id, if they are one now."""
    found = await session.exec(
        select(Coordinator).where(Coordinator.unit_id == unit.key, Coordinator.user_id == user_id)
    )
    row = found.first()
    return row if row is not None and row.active else None


async def responsible(session: AsyncSession, patient: Patient) -> Coordinator | None:
    if patient.coordinator_id is None:
        return None
    return await session.get(Coordinator, patient.coordinator_id)


def hand_over(session: AsyncSession, patient: Patient, to: Coordinator) -> None:
    patient.coordinator_id = to.id
    session.add(patient)


def set_away(session: AsyncSession, who: Coordinator, until: date | None) -> None:
    who.away_until = until
    session.add(who)


def away_until(who: Coordinator | None, today: date) -> date | None:
    """The day the coordinator is back, if they are away today."""
    if who is None or who.away_until is None or who.away_until < today:
        return None
    return who.away_until


async def responsible_back(session: AsyncSession, patient: Patient, today: date) -> date | None:
    """The day the patient's coordinator is back, if they are away today."""
    return away_until(await responsible(session, patient), today)


async def audit(
    session: AsyncSession,
    *,
    unit: CareUnit | None,
    actor_id: int,
    actor_name: str,
    action: AuditAction,
    now: datetime,
    patient: Patient | None = None,
    detail: str = "",
    allowed: bool = True,
) -> None:
    session.add(
        AuditEntry(
            unit_id=unit.id if unit else None,
            actor_id=actor_id,
            actor_name=actor_name[:64],
            action=action[:40],
            patient_id=patient.id if patient else None,
            detail=detail[:200],
            allowed=allowed,
            at=now,
        )
    )
    await session.flush()


async def audit_trail(
    session: AsyncSession, unit: CareUnit, patient: Patient | None = None, limit: int = 30
) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.unit_id == unit.key)
    if patient is not None:
        query = query.where(AuditEntry.patient_id == patient.key)
    found = await session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit))
    return list(found.all())


async def last_viewed(
    session: AsyncSession, patient: Patient, action: AuditAction
) -> datetime | None:
    """When a coordinator last did `action` (e.g. looked at the forms) for this patient."""
    found = await session.exec(
        select(AuditEntry.at)
        .where(
            AuditEntry.patient_id == patient.key,
            AuditEntry.action == action,
            col(AuditEntry.allowed).is_(True),
        )
        .order_by(col(AuditEntry.at).desc())
        .limit(1)
    )
    return found.first()


async def unit_patient(
    session: AsyncSession,
    unit: CareUnit,
    *,
    topic_id: int | None = None,
    pseudonym: str | None = None,
    card_message_id: int | None = None,
) -> Patient | None:
    """A patient of this unit only, by topic, code or card: other units' patients are not
    found."""
    query = select(Patient).where(Patient.unit_id == unit.key)
    if topic_id is not None:
        query = query.where(Patient.topic_id == topic_id)
    if pseudonym is not None:
        query = query.where(Patient.pseudonym == pseudonym.upper())
    if card_message_id is not None:
        query = query.where(Patient.card_message_id == card_message_id)
    return (await session.exec(query)).first()
