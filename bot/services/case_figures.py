"""A case's figures for the log and the evaluation, read live from the patient's records while
the case runs, and from the row once the content is gone (services/caselog.closed keeps
them there): one reading for the overview, the workbook, the evaluation and the charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import CaseRecord, ModuleStatus, RehabPlan
from bot.db.vault import Vault
from bot.domain.caselog import CaseEntry, CaseStatus, Outcome, Pair
from bot.services import contact_notes, program, sharing
from bot.services import forms as form_store
from bot.services.overview import WAI, WELLBEING


@dataclass(frozen=True)
class Live:
    """What the patient's records say of the case now."""

    coaching_minutes: int
    coordination_minutes: int
    established: tuple[str, ...]
    modules_done: tuple[int, ...]
    consent_to_share: tuple[str, ...]
    who5: Pair
    wai: Pair
    back_at_work_on: date | None


def _pair(scores: list[dict[str, object]]) -> Pair:
    """Oldest first: the first and the last score, with their bands."""
    if not scores:
        return Pair()
    first, last = scores[0], scores[-1]
    return Pair(
        float(str(first["score"])), float(str(last["score"])), len(scores),
        str(first.get("category") or "") or None, str(last.get("category") or "") or None,
    )  # fmt: skip


async def live(session: AsyncSession, vault: Vault, patient_id: int) -> Live:
    hours = await contact_notes.hours_of(session, patient_id)
    progress = await program.module_progress(session, patient_id)
    sent = sorted(
        await form_store.responses(session, vault, patient_id), key=lambda r: r.submitted_at
    )

    def scores(form_id: str) -> list[dict[str, object]]:
        return [
            r.score for r in sent
            if r.form_id == form_id and r.score and r.score.get("score") is not None
        ]  # fmt: skip

    plan = (
        await session.exec(select(RehabPlan).where(RehabPlan.patient_id == patient_id))
    ).first()
    return Live(
        coaching_minutes=hours.coaching_minutes,
        coordination_minutes=hours.coordination_minutes,
        established=tuple(sorted(p.value for p in hours.established)),
        modules_done=tuple(
            sorted(m for m, p in progress.items() if p.status == ModuleStatus.FINISHED)
        ),
        consent_to_share=tuple(sorted(await sharing.ever_agreed(session, patient_id))),
        who5=_pair(scores(WELLBEING)),
        wai=_pair(scores(WAI)),
        back_at_work_on=plan.back_at_work if plan else None,
    )


def _listed(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(",") if part)


def kept(record: CaseRecord) -> Live:
    """What the row kept when the content was deleted."""
    return Live(
        coaching_minutes=record.coaching_minutes,
        coordination_minutes=record.coordination_minutes,
        established=_listed(record.contacts_established),
        modules_done=tuple(int(m) for m in _listed(record.modules_done)),
        consent_to_share=_listed(record.consent_to_share),
        who5=Pair(record.who5_first, record.who5_last, record.who5_measures),
        wai=Pair(
            record.wai_first,
            record.wai_last,
            record.wai_measures,
            record.wai_first_band,
            record.wai_last_band,
        ),
        back_at_work_on=record.back_at_work_on,
    )


def _month_start(record: CaseRecord) -> date:
    month = record.started_month or record.ended_month or "1970-01"
    return datetime.strptime(month + "-01", "%Y-%m-%d").date()


async def entries(session: AsyncSession, vault: Vault, unit_id: int | None) -> list[CaseEntry]:
    """Every row of the unit (or of all units, with None), oldest first."""
    query = select(CaseRecord).order_by(col(CaseRecord.id))
    if unit_id is not None:
        query = query.where(CaseRecord.unit_id == unit_id)
    found = []
    for record in (await session.exec(query)).all():
        running = record.patient_id is not None
        now = await live(session, vault, record.patient_id) if record.patient_id else kept(record)
        found.append(
            CaseEntry(
                status=CaseStatus(record.status),
                offered_on=record.offered_on or record.started_on or _month_start(record),
                sex=record.sex,
                age_band=record.age_band,
                target_group=record.target_group,
                started_on=record.started_on,
                ended_on=record.ended_on,
                declined_on=record.declined_on,
                coaching_minutes=now.coaching_minutes,
                coordination_minutes=now.coordination_minutes,
                code=record.pseudonym or "",
                informed_storage=record.informed_storage,
                consent_to_share=now.consent_to_share,
                ended_by=record.ended_by,
                contacts_established=now.established,
                modules_finished=len(now.modules_done) if running else record.modules_finished,
                decline_reason=record.decline_reason,
                comment=str(vault.open(record.decline_comment)) if record.decline_comment else "",
                outcome=Outcome(
                    now.modules_done,
                    record.contacts_kept,
                    record.contacts_missed,
                    now.who5,
                    now.wai,
                    now.back_at_work_on,
                ),
            )
        )
    return found
