"""Invites, joining and consent."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    ConsentRecord,
    ContactWay,
    Patient,
    PatientStatus,
    Sex,
    TargetGroup,
)
from bot.domain import invite as steps
from bot.domain.caseload import Criterion, criteria_of
from bot.domain.caselog import AGE_BANDS
from bot.services import caselog

PARTICIPATION = "participation"
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Invite:
    patient: Patient
    code: str


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def _new_pseudonym(session: AsyncSession) -> str:
    while True:
        candidate = "P-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(5))
        if await find_by_pseudonym(session, candidate) is None:
            return candidate


@dataclass(frozen=True)
class InviteDetails:
    """What the coordinator records when inviting (the staff dialog and the CLI alike)."""

    language: str = "sv"
    pseudonym: str | None = None
    sex: Sex | None = None
    target_group: TargetGroup | None = None
    sick_leave_start: date | None = None
    contact_way: ContactWay = ContactWay.PHONE
    first_contact: datetime | None = None
    first_module: int | None = steps.DEFAULT_FIRST_MODULE  # None: the coordinator opens one
    criteria: tuple[Criterion, ...] = ()  # why coordination may be needed (seed 001)
    age_band: str | None = None  # for the statistics by age (domain/caselog.AGE_BANDS)
    unit_id: int | None = None
    coordinator_id: int | None = None


def invite_details(
    state: dict[str, str], *, unit_id: int | None, coordinator_id: int | None
) -> InviteDetails:
    """Answers checked by bot.domain.invite (the staff dialog and the CLI alike)."""
    code = state.get("pseudonym")
    return InviteDetails(
        language=state.get("language", "sv"),
        pseudonym=None if code in (None, "*") else code,
        sex=Sex(state["sex"]) if "sex" in state else None,
        target_group=TargetGroup(state["target_group"]) if "target_group" in state else None,
        sick_leave_start=(
            date.fromisoformat(state["sick_leave_start"]) if "sick_leave_start" in state else None
        ),
        contact_way=ContactWay(state.get("contact_way", ContactWay.PHONE.value)),
        first_contact=(
            datetime.fromisoformat(state["first_contact"]) if "first_contact" in state else None
        ),
        first_module=int(state.get("first_module", steps.DEFAULT_FIRST_MODULE)),
        criteria=criteria_of(state.get("criteria", "")),
        age_band=state.get("age_band") if state.get("age_band") in AGE_BANDS else None,
        unit_id=unit_id,
        coordinator_id=coordinator_id,
    )


async def create_invite(
    session: AsyncSession, details: InviteDetails, *, now: datetime, ttl: timedelta,
    today: date | None = None,
) -> Invite:  # fmt: skip
    """The patient, invited, and their row in the case log: offered."""
    code = secrets.token_urlsafe(12)
    patient = Patient(
        pseudonym=(details.pseudonym or await _new_pseudonym(session)).upper(),
        language=details.language,
        invite_code_hash=_hash(code),
        invite_expires_at=now + ttl,
        created_at=now,
        sex=details.sex,
        target_group=details.target_group,
        sick_leave_start=details.sick_leave_start,
        contact_way=details.contact_way,
        next_contact_at=details.first_contact,
        first_module=details.first_module,
        criteria=",".join(c.value for c in details.criteria),
        age_band=details.age_band,
        unit_id=details.unit_id,
        coordinator_id=details.coordinator_id,
    )
    session.add(patient)
    await session.flush()
    caselog.offered(session, patient, today or now.date())
    return Invite(patient, code)


# Built once: every update of a patient starts here (statements of the update path are
# built at import, so no update pays for building and keying them again).
_BY_USER = select(Patient).where(Patient.telegram_user_id == bindparam("user"))


async def find_by_user(session: AsyncSession, telegram_user_id: int) -> Patient | None:
    found = await session.exec(_BY_USER, params={"user": telegram_user_id})
    return found.first()


async def find_by_pseudonym(session: AsyncSession, pseudonym: str) -> Patient | None:
    found = await session.exec(select(Patient).where(Patient.pseudonym == pseudonym))
    return found.first()


async def redeem_invite(
    session: AsyncSession, *, code: str, telegram_user_id: int, chat_id: int, now: datetime
) -> Patient | InviteProblem:
    """Bind an invite to the Telegram user who opened it; a code works once."""
    found = await session.exec(select(Patient).where(Patient.invite_code_hash == _hash(code)))
    patient: Patient | None = found.first()
    if patient is None:
        return InviteProblem.UNKNOWN
    if patient.invite_expires_at is None or patient.invite_expires_at <= now:
        return InviteProblem.EXPIRED
    patient.invite_code_hash = None
    patient.invite_expires_at = None
    patient.telegram_user_id = telegram_user_id
    patient.chat_id = chat_id
    patient.status = PatientStatus.CONSENT_PENDING
    patient.joined_at = now
    session.add(patient)
    return patient


async def record_consent(
    session: AsyncSession, patient: Patient, *, accepted: bool, version: str, now: datetime
) -> None:
    session.add(
        ConsentRecord(
            patient_id=patient.key,
            kind=PARTICIPATION,
            version=version,
            accepted=accepted,
            decided_at=now,
        )
    )
    patient.status = PatientStatus.ACTIVE if accepted else PatientStatus.DECLINED
    session.add(patient)
