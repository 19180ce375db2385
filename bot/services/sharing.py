"""Consent to share, stored and read: the actors and dates in the clear (the contact check,
the card and the case log read them), the other actor's name and the patient's limits
sealed. Every new consent supersedes the one before; withdrawing ends the one in force."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Patient, ShareConsent
from bot.db.vault import Vault
from bot.domain.contact_notes import Party
from bot.domain.sharing import Consent, actors_of, valid_until


def _opened(vault: Vault, row: ShareConsent) -> Consent:
    sealed = vault.open(row.payload)
    return Consent(
        actors=frozenset(Party(a) for a in row.actors.split(",") if a),
        given_at=row.given_at,
        valid_until=row.valid_until,
        withdrawn_at=row.withdrawn_at,
        other=sealed.get("other", ""),
        not_to_share=sealed.get("not_to_share", ""),
        by_coordinator=row.recorded_by is not None,
    )


async def _newest(session: AsyncSession, patient_id: int) -> ShareConsent | None:
    found = await session.exec(
        select(ShareConsent)
        .where(ShareConsent.patient_id == patient_id)
        .order_by(col(ShareConsent.given_at).desc(), col(ShareConsent.id).desc())
        .limit(1)
    )
    return found.first()


async def current(session: AsyncSession, vault: Vault, patient_id: int) -> Consent | None:
    """The newest consent, in force or not (withdrawn, lapsed): the card says which."""
    row = await _newest(session, patient_id)
    return _opened(vault, row) if row is not None else None


async def history(session: AsyncSession, vault: Vault, patient_id: int) -> list[Consent]:
    found = await session.exec(
        select(ShareConsent)
        .where(ShareConsent.patient_id == patient_id)
        .order_by(col(ShareConsent.given_at), col(ShareConsent.id))
    )
    return [_opened(vault, row) for row in found.all()]


async def give(
    session: AsyncSession, vault: Vault, patient: Patient, actors: frozenset[Party],
    now: datetime, *, recorded_by: int | None = None, until: datetime | None = None,
    not_to_share: str = "",
) -> Consent:  # fmt: skip
    """A new consent in force from now; the other actor's name carries over from the one
    before, as the coordinator gave it."""
    before = await current(session, vault, patient.key)
    payload: dict[str, Any] = {
        "other": before.other if before is not None else "",
        "not_to_share": not_to_share,
    }
    row = ShareConsent(
        patient_id=patient.key,
        actors=",".join(sorted(a.value for a in actors)),
        payload=vault.seal(payload),
        given_at=now,
        valid_until=valid_until(now, until),
        recorded_by=recorded_by,
    )
    session.add(row)
    return _opened(vault, row)


async def from_form(
    session: AsyncSession, vault: Vault, patient: Patient, answers: dict[str, Any], now: datetime
) -> Consent:
    """The patient's own form, sent: it becomes the consent in force."""
    chosen = answers.get("actors") or []
    limits = str(answers.get("not_to_share") or "")
    return await give(session, vault, patient, actors_of(chosen), now, not_to_share=limits)


async def withdraw(session: AsyncSession, patient_id: int, now: datetime) -> bool:
    """False when no consent was in force (given, not withdrawn, not lapsed)."""
    row = await _newest(session, patient_id)
    if row is None or row.withdrawn_at is not None or row.valid_until <= now or not row.actors:
        return False
    row.withdrawn_at = now
    session.add(row)
    return True


async def name_other(
    session: AsyncSession, vault: Vault, patient: Patient, name: str, now: datetime
) -> None:
    """The coordinator names the "other" actor (the seed's form leaves it to them): on the
    newest consent, or, before there is one, on an empty one that agrees to nothing."""
    row = await _newest(session, patient.key)
    if row is None:
        row = ShareConsent(
            patient_id=patient.key, payload=b"", given_at=now, valid_until=valid_until(now)
        )
        sealed: dict[str, Any] = {}
    else:
        sealed = vault.open(row.payload)
    row.payload = vault.seal({**sealed, "other": name})
    session.add(row)


async def ever_agreed(session: AsyncSession, patient_id: int) -> set[str]:
    """Every actor the patient agreed to at some time (the case log)."""
    found = await session.exec(
        select(ShareConsent.actors).where(ShareConsent.patient_id == patient_id)
    )
    return {actor for actors in found.all() for actor in actors.split(",") if actor}
