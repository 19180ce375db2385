"""Forms the coordinator sends outside the modules (KEDS, the Örebro form): asked for, open
until the patient sends the form, then answered. A sent form is filled in under module
SENT, so its draft and answers never mix with a module's."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import FormRequest, Patient

SENT = 0  # the "module" a sent form is filled in and stored under


async def open_requests(session: AsyncSession, patient_id: int) -> list[FormRequest]:
    """The forms asked for and not sent yet, the oldest first."""
    found = await session.exec(
        select(FormRequest)
        .where(FormRequest.patient_id == patient_id, col(FormRequest.answered_at).is_(None))
        .order_by(col(FormRequest.requested_at), col(FormRequest.id))
    )
    return list(found.all())


async def open_request(session: AsyncSession, patient_id: int, form_id: str) -> FormRequest | None:
    return next(
        (r for r in await open_requests(session, patient_id) if r.form_id == form_id), None
    )


async def ask(
    session: AsyncSession, patient: Patient, form_id: str, by: int, now: datetime
) -> FormRequest | None:
    """The request, or None when the same form is already waiting for the patient."""
    if await open_request(session, patient.key, form_id) is not None:
        return None
    request = FormRequest(
        patient_id=patient.key, form_id=form_id, requested_by=by, requested_at=now
    )
    session.add(request)
    return request


async def answered(session: AsyncSession, patient_id: int, form_id: str, now: datetime) -> None:
    request = await open_request(session, patient_id, form_id)
    if request is not None:
        request.answered_at = now
        session.add(request)
