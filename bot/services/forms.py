"""Drafts saved at every step, and submitted responses with their score and wording."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content import Catalog
from bot.content.schema import Form
from bot.db.models import FormDraft, FormResponse, Patient
from bot.db.vault import Vault
from bot.domain import forms as engine
from bot.domain.scoring import ScoreResult, score
from bot.domain.summaries import Submitted


async def _draft_row(
    session: AsyncSession, patient_id: int, module: int, form_id: str
) -> FormDraft | None:
    found = await session.exec(
        select(FormDraft).where(
            FormDraft.patient_id == patient_id,
            FormDraft.module == module,
            FormDraft.form_id == form_id,
        )
    )
    return found.first()


async def load_draft(
    session: AsyncSession, vault: Vault, form: Form, *, patient_id: int, module: int
) -> engine.Draft | None:
    row = await _draft_row(session, patient_id, module, form.id)
    if row is None:
        return None
    return engine.reconcile(form, engine.Draft.model_validate(vault.open(row.payload)))


async def save_draft(
    session: AsyncSession,
    vault: Vault,
    draft: engine.Draft,
    *,
    patient_id: int,
    module: int,
    form_id: str,
    now: datetime,
) -> None:
    row = await _draft_row(session, patient_id, module, form_id) or FormDraft(
        patient_id=patient_id, module=module, form_id=form_id, payload=b""
    )
    row.payload = vault.seal(draft.model_dump(mode="json"))
    row.updated_at = now
    session.add(row)


async def submit(
    session: AsyncSession,
    vault: Vault,
    catalog: Catalog,
    patient: Patient,
    *,
    module: int,
    form: Form,
    draft: engine.Draft,
    now: datetime,
) -> tuple[FormResponse, ScoreResult | None]:
    result = score(form, draft.answers) if form.scoring else None
    response = FormResponse(
        patient_id=patient.key,
        module=module,
        form_id=form.id,
        payload=vault.seal(
            {"answers": draft.answers, "score": result.as_dict() if result else None}
        ),
        wording=catalog.wording(form.id, patient.language),
        content_version=catalog.version,
        submitted_at=now,
    )
    session.add(response)
    row = await _draft_row(session, patient.key, module, form.id)
    if row is not None:
        await session.delete(row)
    await session.flush()
    return response, result


def _unseal(vault: Vault, row: FormResponse) -> Submitted:
    payload = vault.open(row.payload)
    return Submitted(
        id=row.id,  # type: ignore[arg-type]
        form_id=row.form_id,
        module=row.module,
        answers=payload["answers"],
        score=payload["score"],
        wording=row.wording,
        submitted_at=row.submitted_at,
    )


async def responses(session: AsyncSession, vault: Vault, patient_id: int) -> list[Submitted]:
    found = await session.exec(
        select(FormResponse)
        .where(FormResponse.patient_id == patient_id)
        .order_by(col(FormResponse.submitted_at).desc(), col(FormResponse.id).desc())
    )
    return [_unseal(vault, row) for row in found.all()]


async def response(
    session: AsyncSession, vault: Vault, patient_id: int, response_id: int
) -> Submitted | None:
    row = await session.get(FormResponse, response_id)
    if row is None or row.patient_id != patient_id:
        return None
    return _unseal(vault, row)


def _of_form(patient_id: Any, module: Any, form_id: Any) -> tuple[Any, ...]:
    return (
        FormResponse.patient_id == patient_id,
        FormResponse.module == module,
        FormResponse.form_id == form_id,
    )


async def latest(
    session: AsyncSession, vault: Vault, patient_id: int, module: int, form_id: str
) -> Submitted | None:
    found = await session.exec(
        select(FormResponse)
        .where(*_of_form(patient_id, module, form_id))
        .order_by(col(FormResponse.submitted_at).desc(), col(FormResponse.id).desc())
        .limit(1)
    )
    row = found.first()
    return None if row is None else _unseal(vault, row)


_ANSWERED = (
    select(FormResponse.id)
    .where(*_of_form(bindparam("patient"), bindparam("module"), bindparam("form")))
    .limit(1)
)


async def answered(session: AsyncSession, patient_id: int, module: int, form_id: str) -> bool:
    """Whether the form was ever sent: for a page's button, read without decrypting."""
    asked = {"patient": patient_id, "module": module, "form": form_id}
    found = await session.exec(_ANSWERED, params=asked)
    return found.first() is not None
