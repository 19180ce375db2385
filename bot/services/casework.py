"""A coordinator's actions on a patient, each one use case: check the rule, change it,
audit it, tell the patient, redraw the card, commit. The staff dialogs parse and reply;
what the action does is here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content.schema import Form
from bot.context import AppContext
from bot.db.models import CareUnit, ContactWay, Coordinator, Patient
from bot.domain.assessment import AssessmentEntry
from bot.domain.audit import AuditAction
from bot.domain.contact_notes import ContactEntry, Party
from bot.domain.plan import Change
from bot.domain.sharing import FORM_ID as SHARING_FORM
from bot.domain.sharing import NotAgreed, not_agreed
from bot.services import (
    assessments,
    cards,
    contact_notes,
    contacts,
    ending,
    form_requests,
    maintenance,
    outbox,
    plans,
    program,
    sharing,
    staff,
)  # fmt: skip
from bot.texts import notices
from bot.texts import plan as plan_words


@dataclass(frozen=True)
class Actor:
    """Who acts, for the audit log."""

    unit: CareUnit
    user_id: int
    name: str


async def audit(
    session: AsyncSession, ctx: AppContext, actor: Actor, action: AuditAction,
    patient: Patient | None = None, detail: str = "",
) -> None:  # fmt: skip
    """One entry in the unit's audit log, by this actor."""
    await staff.audit(
        session, unit=actor.unit, actor_id=actor.user_id, actor_name=actor.name,
        action=action, patient=patient, detail=detail, now=ctx.clock(),
    )  # fmt: skip


async def _done(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient,
    action: AuditAction, detail: str = "", *, redraw: bool = True,
) -> None:  # fmt: skip
    """What every action ends with: the audit entry, the card's redraw, the commit."""
    await audit(session, ctx, actor, action, patient, detail)
    if redraw:
        await cards.changed(session, ctx, patient)
    await session.commit()


async def _tell(
    session: AsyncSession, ctx: AppContext, patient: Patient, key: str, text: str
) -> None:
    await outbox.tell_patient(session, ctx.vault, patient, text, key, ctx.clock())


async def change_module(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, module: int,
    *, activate: bool,
) -> None:  # fmt: skip
    """Open a module (the patient is told) or finish it. Raises ModuleRuleError, changing
    nothing, when the program does not allow it."""
    now = ctx.clock()
    if activate:
        await program.activate_module(session, ctx.catalog, patient, module, now)
        title = ctx.catalog.module(module).title(patient.language)
        with ctx.speaking(patient.language):
            text = notices.module_opened(module, title)
        await _tell(
            session, ctx, patient, f"module-open:{patient.key}:{module}:{now.isoformat()}", text
        )
    else:
        await program.finish_module(session, patient, module, now)
    action = AuditAction.ACTIVATE if activate else AuditAction.FINISH
    await _done(session, ctx, actor, patient, action, f"module {module}")


async def set_contact(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient,
    moment: datetime, way: ContactWay,
) -> None:  # fmt: skip
    """The next contact, its reminders scheduled, and the patient told."""
    tz = ctx.settings.tz
    await contacts.set_contact(session, patient, moment, way, now=ctx.clock(), tz=tz)
    with ctx.speaking(patient.language):
        text = notices.contact_set(moment, way, patient.language, tz)
    await _tell(session, ctx, patient, f"contact-set:{patient.key}:{moment.isoformat()}", text)
    await _done(session, ctx, actor, patient, AuditAction.SET_CONTACT, moment.isoformat())


async def record_contact(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient
) -> None:
    """The contact took place."""
    contacts.record_done(session, patient, ctx.clock())
    await _done(session, ctx, actor, patient, AuditAction.CONTACT_DONE)


async def note_contact(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, entry: ContactEntry
) -> None:
    """A contact documented: its kind, minutes and who took part (the card's hours).
    Raises NotAgreed, storing nothing, when it names an actor the patient has not agreed
    to share with."""
    consent = await sharing.current(session, ctx.vault, patient.key)
    refused = not_agreed(entry.participants, consent, ctx.clock())
    if refused:
        raise NotAgreed(refused)
    contact_notes.add(session, ctx.vault, patient, actor.user_id, entry, ctx.clock())
    detail = f"{entry.kind.value} {entry.minutes} min"
    await _done(session, ctx, actor, patient, AuditAction.CONTACT_NOTE, detail)


async def assess(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient,
    entry: AssessmentEntry,
) -> None:  # fmt: skip
    """A risk and needs assessment, made at the start and whenever it is repeated."""
    assessments.add(session, ctx.vault, patient, actor.user_id, entry, ctx.clock())
    detail = ", ".join(f"{a.area.value} {int(a.need)}" for a in entry.areas)
    await _done(session, ctx, actor, patient, AuditAction.ASSESS, detail)


async def send_form(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, form: Form
) -> bool:
    """Ask the patient to fill in a form outside the modules; they are told, and find it on
    their home screen. False, changing nothing, when it already waits for them."""
    now = ctx.clock()
    request = await form_requests.ask(session, patient, form.id, actor.user_id, now)
    if request is None:
        return False
    with ctx.speaking(patient.language):
        text = notices.form_requested(form.title(patient.language))
    await _tell(
        session, ctx, patient, f"form-asked:{patient.key}:{form.id}:{now.isoformat()}", text
    )
    await _done(session, ctx, actor, patient, AuditAction.SEND_FORM, form.id)
    return True


async def ask_consent(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient
) -> bool:
    """The consent form goes to the patient (their home screen and a notice); False when it
    already waits for them."""
    form = ctx.catalog.forms[SHARING_FORM]
    now = ctx.clock()
    if await form_requests.ask(session, patient, form.id, actor.user_id, now) is None:
        return False
    with ctx.speaking(patient.language):
        text = notices.sharing_asked(form.title(patient.language))
    await _tell(session, ctx, patient, f"consent-asked:{patient.key}:{now.isoformat()}", text)
    await _done(session, ctx, actor, patient, AuditAction.ASK_CONSENT)
    return True


async def record_consent(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient,
    actors: frozenset[Party], until: datetime | None,
) -> None:  # fmt: skip
    """A consent the patient gave on the signed form or in a call, recorded by the
    coordinator; the patient is told what is recorded."""
    now = ctx.clock()
    consent = await sharing.give(
        session, ctx.vault, patient, actors, now, recorded_by=actor.user_id, until=until
    )
    with ctx.speaking(patient.language):
        text = notices.sharing_recorded(ctx.catalog.forms[SHARING_FORM], consent, patient.language)
    await _tell(session, ctx, patient, f"consent-recorded:{patient.key}:{uuid.uuid4().hex}", text)
    detail = ",".join(sorted(a.value for a in actors))
    await _done(session, ctx, actor, patient, AuditAction.RECORD_CONSENT, detail)


async def withdraw_consent(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient
) -> bool:
    """The patient withdrew the consent in a call or a letter; False if none was in force."""
    if not await sharing.withdraw(session, patient.key, ctx.clock()):
        return False
    await _done(session, ctx, actor, patient, AuditAction.WITHDRAW_CONSENT)
    return True


async def name_other_actor(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, name: str
) -> None:
    await sharing.name_other(session, ctx.vault, patient, name, ctx.clock())
    await _done(session, ctx, actor, patient, AuditAction.NAME_OTHER)


async def start_maintenance(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient
) -> datetime:
    """Vidmakthåll begins; returns when the program ends. The patient is told and offered
    an export."""
    settings = ctx.settings
    ends = await maintenance.start_maintenance(
        session, patient, now=ctx.clock(), weeks=settings.maintenance_weeks, tz=settings.tz
    )
    day = ends.astimezone(settings.tz).date()
    with ctx.speaking(patient.language):
        text = notices.maintenance_started(day, patient.language)
    await _tell(session, ctx, patient, f"maintenance:{patient.key}:{ends.isoformat()}", text)
    await _done(session, ctx, actor, patient, AuditAction.MAINTENANCE, ends.isoformat())
    return ends


async def hand_over(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, to: Coordinator
) -> None:
    staff.hand_over(session, patient, to)
    detail = f"to {to.first_name or to.user_id}"
    await _done(session, ctx, actor, patient, AuditAction.HAND_OVER, detail)


async def change_plan(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient, made: Change
) -> None:
    """The coordinator's addition to the shared plan: stored, and the patient told what it
    is (they see the whole plan under 🎯)."""
    await plans.change(session, ctx, patient, actor.user_id, made)
    with ctx.speaking(patient.language):
        text = plan_words.changed_for_patient(made, patient.language)
    # One notice for each change, however close in time (a dedupe key of its own).
    await _tell(session, ctx, patient, f"plan-changed:{patient.key}:{uuid.uuid4().hex}", text)
    await _done(session, ctx, actor, patient, AuditAction.COMPLEMENT_PLAN, made.kind.value)


async def end_program(
    session: AsyncSession, ctx: AppContext, actor: Actor, patient: Patient
) -> None:
    """Audited first, as the patient's content (and their part of the log) goes with it."""
    await audit(session, ctx, actor, AuditAction.END_PROGRAM, patient)
    await ending.end_program(session, ctx, patient, "program")
    await session.commit()
