"""What a coordinator sees of a patient: the card's state, form summaries and the journal."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content import Catalog
from bot.db.models import ChecklistTick, ModuleStatus, Patient
from bot.db.vault import Vault
from bot.domain.navigation import resolve_page
from bot.domain.scoring import trend
from bot.domain.summaries import ModuleState, Overview
from bot.services import forms as form_store
from bot.services import program

WELLBEING = "wellbeing"
WAI = "wai"


async def wellbeing_series(
    session: AsyncSession, vault: Vault, patient: Patient
) -> list[tuple[datetime, float]]:
    series = [
        (r.submitted_at, float(r.score["score"]))
        for r in await form_store.responses(session, vault, patient.key)
        if r.form_id == WELLBEING and r.score and r.score.get("score") is not None
    ]
    return sorted(series)


async def overview(
    session: AsyncSession, vault: Vault, catalog: Catalog, patient: Patient
) -> Overview:
    progress = await program.module_progress(session, patient.key)
    modules = []
    for number, state in sorted(progress.items()):
        content = catalog.module(number)
        modules.append(
            ModuleState(
                number,
                ModuleStatus(state.status),
                resolve_page(content, state.page_id) + 1,
                len(content.pages),
            )
        )
    series = await wellbeing_series(session, vault, patient)
    wellbeing_form = catalog.forms[WELLBEING]
    change = wellbeing_form.scoring.meaningful_change if wellbeing_form.scoring else None
    responses = await form_store.responses(session, vault, patient.key)
    wai = next((r for r in responses if r.form_id == WAI and r.score), None)
    return Overview(
        modules=modules,
        wellbeing=series,
        wellbeing_trend=trend([score for _when, score in series], change),
        wai_category=wai.score.get("category") if wai and wai.score else None,
    )


async def ticks(session: AsyncSession, patient: Patient, module: int) -> set[str]:
    found = await session.exec(
        select(ChecklistTick).where(
            ChecklistTick.patient_id == patient.key, ChecklistTick.module == module
        )
    )
    return {tick.item for tick in found.all()}


async def toggle_tick(
    session: AsyncSession, patient: Patient, module: int, item: str, by: int, now: datetime
) -> bool:
    """Ticks the item, or unticks it if it was ticked; returns whether it is ticked now."""
    found = await session.exec(
        select(ChecklistTick).where(
            ChecklistTick.patient_id == patient.key,
            ChecklistTick.module == module,
            ChecklistTick.item == item,
        )
    )
    row = found.first()
    if row is not None:
        await session.delete(row)
        await session.flush()
        return False
    session.add(
        ChecklistTick(
            patient_id=patient.key, module=module, item=item, ticked_by=by, ticked_at=now
        )
    )
    await session.flush()
    return True
