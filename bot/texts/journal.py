"""The journal summary: plain text for the coordinator to copy into the patient record
(seed 003), with everything the method documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.context import AppContext
from bot.db.models import ModuleStatus, Patient
from bot.domain.assessment import Assessed
from bot.domain.contact_notes import Contact
from bot.domain.plan import Plan
from bot.domain.scoring import shown
from bot.domain.sharing import Consent
from bot.domain.summaries import Overview, Submitted
from bot.texts import assessment, contacts, plan, sharing
from bot.texts import patient as fmt
from bot.texts.staff import contact_way


@dataclass(frozen=True)
class JournalFacts:
    """What the summary holds besides the program's overview."""

    responses: Sequence[Submitted] = ()
    plan: Plan = field(default_factory=Plan)
    documented: Sequence[Contact] = ()
    assessed: Sequence[Assessed] = ()
    consents: Sequence[Consent] = ()  # to share, the first first


def journal(
    ctx: AppContext, patient: Patient, overview: Overview, facts: JournalFacts, today: date
) -> str:
    language = ctx.settings.staff_language
    lines = [
        _("Sjukskrivningskollen – summary {day}").format(
            day=format_date(today, format="short", locale=language)
        ),
        _("Patient code: {code}").format(code=patient.pseudonym),
    ]
    for module in overview.modules:
        title = ctx.catalog.module(module.number).title(language)
        state = _("finished") if module.status == ModuleStatus.FINISHED else _("ongoing")
        lines.append(
            _("Module {n} {title}: {state}").format(n=module.number, title=title, state=state)
        )
    lines.extend(sharing.journal_lines(facts.consents, language, ctx.settings.tz))
    lines.extend(assessment.journal_lines(facts.assessed, language))
    lines.extend(_scores(ctx, facts.responses))
    lines.extend(plan.journal_lines(facts.plan, patient.sick_leave_start, today, language))
    lines.extend(contacts.journal_lines(facts.documented, language))
    if patient.next_contact_at:
        lines.append(
            _("Next contact: {when} ({way})").format(
                when=fmt.appointment(patient.next_contact_at, language, ctx.settings.tz),
                way=contact_way(patient.contact_way),
            )
        )
    return "<pre>" + escape("\n".join(lines)) + "</pre>"


def _scores(ctx: AppContext, responses: Sequence[Submitted]) -> list[str]:
    language = ctx.settings.staff_language
    lines = []
    for response in responses:
        form = ctx.catalog.forms.get(response.form_id)
        if form and response.score and response.score.get("score") is not None:
            found = form.band(response.score.get("category"))
            band = found.label(language) if found else ""
            day = format_date(response.submitted_at, format="short", locale=language)
            score = shown(response.score["score"])
            lines.append(f"{form.title(language)} {day}: {score} {band}".rstrip())
    return lines
