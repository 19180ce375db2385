"""The pinned card in a patient's topic: where the patient is, their scores, the method's
records and the open flags, in the staff language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.context import AppContext
from bot.db.models import Alert, Coordinator, FormRequest, ModuleStatus, Patient, SafetyCheck
from bot.domain.assessment import Area
from bot.domain.contact_notes import Hours
from bot.domain.plan import Plan
from bot.domain.scoring import shown
from bot.domain.sharing import Consent
from bot.domain.summaries import Overview, Submitted
from bot.texts import assessment, contacts, plan, sharing
from bot.texts import patient as fmt
from bot.texts.staff import (
    ALERT_ICONS,
    TREND_ARROWS,
    alert_kind,
    contact_way,
    safety_check_line,
    status_line,
)


@dataclass(frozen=True)
class CardFacts:
    """What the card shows besides the program's overview."""

    responsible: Coordinator | None = None
    alerts: Sequence[Alert] = ()
    check: SafetyCheck | None = None
    hours: Hours | None = None
    needs: tuple[datetime, Mapping[Area, int]] | None = None
    waiting: Sequence[FormRequest] = ()  # forms sent and not answered yet
    sent: Sequence[Submitted] = ()  # the newest answer to each sent form
    consent: Consent | None = None  # to share, the newest
    plan: Plan | None = None


def card(ctx: AppContext, patient: Patient, overview: Overview, facts: CardFacts) -> str:
    language = ctx.settings.staff_language
    tz = ctx.settings.tz
    lines = [f"🗂 <b>{escape(patient.pseudonym)}</b> – {status_line(patient)}"]
    modules = [
        _("{number} (page {page} of {pages})").format(number=m.number, page=m.page, pages=m.pages)
        for m in overview.modules
        if m.status == ModuleStatus.ACTIVE
    ]
    finished = [str(m.number) for m in overview.modules if m.status == ModuleStatus.FINISHED]
    lines.append(_("Active modules: {modules}").format(modules=", ".join(modules) or "–"))
    if finished:
        lines.append(_("Finished: {modules}").format(modules=", ".join(finished)))
    lines.extend(_scores(ctx, overview, facts))
    if patient.next_contact_at:
        lines.append(
            _("Next contact: {when}, {way}").format(
                when=fmt.appointment(patient.next_contact_at, language, tz),
                way=contact_way(patient.contact_way),
            )
        )
    else:
        lines.append(_("Next contact: not set (/contact)"))
    lines.append(assessment.card_line(facts.needs, language))
    if facts.plan is not None:
        lines.append(plan.card_line(facts.plan, language))
    lines.append(sharing.card_line(facts.consent, ctx.clock(), language, tz))
    if facts.hours is not None:
        lines.append(contacts.card_line(facts.hours, language))
    responsible = facts.responsible
    if responsible:
        lines.append(_("Responsible: {who}").format(who=escape(responsible.first_name)))
        if responsible.away_until:
            lines[-1] += " " + _("(away until {day})").format(
                day=format_date(responsible.away_until, format="medium", locale=language)
            )
    flags = [f"{ALERT_ICONS[a.kind]} {alert_kind(a.kind)}" for a in facts.alerts]
    if facts.check is not None:
        flags.append(safety_check_line(facts.check, language, tz))
    if patient.blocked_bot:
        flags.append("⛔ " + _("has blocked the bot: messages do not reach them"))
    lines.append(_("Open flags: {flags}").format(flags="; ".join(flags) or "–"))
    return "\n".join(lines)


def _scores(ctx: AppContext, overview: Overview, facts: CardFacts) -> list[str]:
    """WHO-5 with its trend, the WAI band, the sent forms' scores and those still waiting."""
    language = ctx.settings.staff_language
    lines = []
    if overview.latest_wellbeing is None:
        lines.append(_("Wellbeing (WHO-5): not answered yet"))
    else:
        arrow = TREND_ARROWS[overview.wellbeing_trend]
        history = " · ".join(shown(score) for _when, score in overview.wellbeing[-4:])
        lines.append(
            _("Wellbeing (WHO-5): {score} {arrow} ({history})").format(
                score=shown(overview.latest_wellbeing), arrow=arrow, history=history
            )
        )
    if overview.wai_category:
        band = _band_label(ctx, "wai", overview.wai_category)
        lines.append(_("Work ability (WAI): {band}").format(band=band))
    for response in facts.sent:
        form = ctx.catalog.forms.get(response.form_id)
        if form is None or not response.score or response.score.get("score") is None:
            continue
        band = _band_label(ctx, form.id, response.score.get("category"))
        day = format_date(response.submitted_at, format="medium", locale=language)
        result = " ".join(part for part in (shown(response.score["score"]), band) if part)
        lines.append(f"{escape(form.title(language))}: {result} ({day})")
    for request in facts.waiting:
        form = ctx.catalog.forms.get(request.form_id)
        if form is not None:
            day = format_date(request.requested_at, format="medium", locale=language)
            lines.append(
                "📋 "
                + _("Sent {day}, not answered yet: {form}").format(
                    day=day, form=escape(form.title(language))
                )
            )
    return lines


def _band_label(ctx: AppContext, form_id: str, category: str | None) -> str:
    form = ctx.catalog.forms.get(form_id)
    band = form.band(category) if form else None
    return escape(band.label(ctx.settings.staff_language)) if band else (category or "")
