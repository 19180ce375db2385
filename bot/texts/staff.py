"""How a patient reads to the coordinators: the pinned card, summaries, alerts, the journal.

Every function here returns HTML for the staff chat and is called inside the staff locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.content.schema import Form
from bot.context import AppContext
from bot.db.models import (
    AlertKind,
    AuditEntry,
    CareUnit,
    ContactWay,
    Coordinator,
    Patient,
    PatientStatus,
    ProgramPhase,
    SafetyCheck,
)
from bot.domain.audit import AuditAction
from bot.domain.scoring import Trend
from bot.domain.summaries import Overview, Submitted
from bot.texts import N_
from bot.texts import patient as fmt

URGENT_BUTTON = "urgent-button"  # an alert's reason when the patient pressed "It's urgent"
TREND_ARROWS = {Trend.UP: "↗", Trend.DOWN: "↘", Trend.STEADY: "→", Trend.FIRST: ""}
ALERT_ICONS = {AlertKind.ACUTE: "🚨", AlertKind.URGENT: "🟠", AlertKind.LOW_WELLBEING: "📉"}


def mention(who: Coordinator) -> str:
    return f'<a href="tg://user?id={who.user_id}">{escape(who.first_name or str(who.user_id))}</a>'


def staff_link(unit: CareUnit, thread_id: int | None) -> str | None:
    """A t.me link into a supergroup topic (supergroup ids are -100 followed by the id)."""
    raw = str(unit.staff_chat_id)
    if not raw.startswith("-100") or thread_id is None:
        return None
    return f"https://t.me/c/{raw[4:]}/{thread_id}"


def topic_title(patient: Patient, overview: Overview) -> str:
    active = ", ".join(f"M{n}" for n in overview.active)
    return f"{patient.pseudonym} · {active}" if active else patient.pseudonym


def contact_way(way: ContactWay) -> str:
    return {
        ContactWay.PHONE: _("phone call"),
        ContactWay.MESSAGE: _("message"),
        ContactWay.VISIT: _("visit"),
    }[way]


def alert_kind(kind: AlertKind) -> str:
    return {
        AlertKind.ACUTE: _("acute risk"),
        AlertKind.URGENT: _("urgent"),
        AlertKind.LOW_WELLBEING: _("low wellbeing score"),
    }[kind]


def status_line(patient: Patient) -> str:
    if patient.status == PatientStatus.INVITED:
        return _("invited, has not opened the link yet")
    if patient.status == PatientStatus.CONSENT_PENDING:
        return _("joined, has not answered the consent yet")
    if patient.status == PatientStatus.DECLINED:
        return _("declined to take part")
    if patient.phase == ProgramPhase.MAINTENANCE:
        return _("in maintenance")
    if patient.phase == ProgramPhase.ENDED:
        return _("program ended")
    return _("taking part")


def safety_check_line(check: SafetyCheck, language: str, tz: ZoneInfo) -> str:
    """The direct question about risk, and what the patient answered."""
    asked = fmt.when(check.asked_at, language, tz)
    if check.answer == "yes":
        return "🚨 " + _("asked directly about risk {when}: answered yes").format(when=asked)
    if check.answer == "no":
        return "🟡 " + _("asked directly about risk {when}: answered no").format(when=asked)
    return "🟡 " + _("asked directly about risk {when}: not answered yet").format(when=asked)


def alert(
    patient: Patient,
    kind: AlertKind,
    reason: str,
    quote: str,
    coordinators: Sequence[Coordinator],
    link: str | None,
    escalation: int = 0,
) -> str:
    head = (
        f"{ALERT_ICONS[kind]} <b>{alert_kind(kind).capitalize()}</b> – {escape(patient.pseudonym)}"
    )
    if escalation:
        head = "⏰ " + _("Not acknowledged yet (reminder {n})").format(n=escalation) + "\n" + head
    lines = [head]
    if quote:
        lines.append(f"<blockquote>{escape(quote[:600])}</blockquote>")
    if reason == URGENT_BUTTON:
        lines.append(_("The patient pressed “It's urgent” and was shown where to turn."))
    elif reason:
        lines.append(_("Matched: {reason}").format(reason=escape(reason)))
    if link:
        lines.append(_('<a href="{link}">Open the patient\'s topic</a>').format(link=link))
    if coordinators:
        lines.append(" ".join(mention(c) for c in coordinators))
    lines.append(_("Press Acknowledge when someone has taken it on."))
    return "\n".join(lines)


def acknowledged(text: str, who: str, at: str) -> str:
    return text + "\n\n✅ " + _("Acknowledged by {who} at {at}.").format(who=escape(who), at=at)


def escalation_notice(unit: CareUnit, patient: Patient, kind: AlertKind, raised: str) -> str:
    return "⏰ " + _(
        "An alert ({kind}) for patient {patient} at {unit}, raised {raised}, has not been "
        "acknowledged by a coordinator. Please make sure someone takes it on."
    ).format(
        kind=alert_kind(kind),
        patient=escape(patient.pseudonym),
        unit=escape(unit.name),
        raised=raised,
    )


def forms_summary(ctx: AppContext, responses: Sequence[Submitted]) -> str:
    language = ctx.settings.staff_language
    if not responses:
        return _("No forms sent yet.")
    latest: dict[str, Submitted] = {}
    for response in responses:  # newest first
        latest.setdefault(response.form_id, response)
    blocks = []
    for form_id, response in latest.items():
        form = ctx.catalog.forms.get(form_id)
        if form is None:
            continue
        sent = fmt.when(response.submitted_at, language, ctx.settings.tz)
        head = f"<b>{escape(form.title(language))}</b> (M{response.module}, {sent})"
        score = fmt.score_block(form, response.score, language)
        blocks.append(
            "\n".join(
                [head, score, fmt.answers_block(form, response.answers, language)]
                if score
                else [head, fmt.answers_block(form, response.answers, language)]
            )
        )
    return "\n\n".join(blocks)


def plan(
    ctx: AppContext, responses: Sequence[Submitted], notes: Sequence[tuple[datetime, str]]
) -> str:
    language = ctx.settings.staff_language
    parts = []
    for form_id in ("rehab_plan", "plan_activities"):
        response = next((r for r in responses if r.form_id == form_id), None)
        form: Form | None = ctx.catalog.forms.get(form_id)
        if response and form:
            parts.append(
                f"<b>{escape(form.title(language))}</b>\n"
                + fmt.answers_block(form, response.answers, language)
            )
    if not parts:
        parts.append(_("The patient has not written a plan yet."))
    if notes:
        lines = [
            f"• {fmt.when(at, language, ctx.settings.tz)}: {escape(text)}" for at, text in notes
        ]
        parts.append("<b>" + _("The coordinator's complements") + "</b>\n" + "\n".join(lines))
    parts.append(_("Add to the plan: /plan followed by the text."))
    return "\n\n".join(parts)


def audit_lines(ctx: AppContext, entries: Sequence[AuditEntry], pseudonyms: dict[int, str]) -> str:
    if not entries:
        return _("The audit log is empty.")
    language = ctx.settings.staff_language
    lines = [_("<b>Audit log</b> (newest first)")]
    for entry in entries:
        who = escape(entry.actor_name or str(entry.actor_id))
        whom = pseudonyms.get(entry.patient_id or 0, "")
        refused = " ⛔ " + _("refused") if not entry.allowed else ""
        detail = f" – {escape(entry.detail)}" if entry.detail else ""
        at = fmt.when(entry.at, language, ctx.settings.tz)
        lines.append(
            f"{at} · {who} · {audit_action(entry.action)}"
            f"{' · ' + escape(whom) if whom else ''}{detail}{refused}"
        )
    return "\n".join(lines)


# How each kind of audit entry reads in the log (marked here, translated where shown).
AUDIT_ACTIONS = {
    AuditAction.INVITE: N_("invited a patient"),
    AuditAction.NOTE: N_("wrote a note"),
    AuditAction.REPLY: N_("replied"),
    AuditAction.EDIT_REPLY: N_("edited a reply"),
    AuditAction.ACKNOWLEDGE_ALERT: N_("acknowledged an alert"),
    AuditAction.AWAY: N_("set an absence"),
    AuditAction.AWAY_OFF: N_("ended an absence"),
    AuditAction.VIEW_AUDIT: N_("read the audit log"),
    AuditAction.VIEW_CARD: N_("looked at the card"),
    AuditAction.VIEW_FORMS: N_("looked at the forms"),
    AuditAction.VIEW_CHART: N_("looked at the wellbeing chart"),
    AuditAction.VIEW_PLAN: N_("looked at the plan"),
    AuditAction.VIEW_TODO: N_("looked at the to-do list"),
    AuditAction.VIEW_JOURNAL: N_("made a journal summary"),
    AuditAction.ACTIVATE: N_("activated a module"),
    AuditAction.FINISH: N_("finished a module"),
    AuditAction.COMPLEMENT_PLAN: N_("added to the plan"),
    AuditAction.TICK: N_("ticked an item"),
    AuditAction.UNTICK: N_("unticked an item"),
    AuditAction.SET_CONTACT: N_("set the next contact"),
    AuditAction.CONTACT_DONE: N_("recorded a contact"),
    AuditAction.CONTACT_NOTE: N_("documented a contact"),
    AuditAction.ASSESS: N_("assessed risks and needs"),
    AuditAction.SEND_FORM: N_("sent a form"),
    AuditAction.VIEW_CONSENT: N_("looked at the consent to share"),
    AuditAction.VIEW_CASELOAD: N_("looked at the list of patients"),
    AuditAction.DECLINE_REASON: N_("recorded why a patient declined"),
    AuditAction.VIEW_REPORT: N_("took out the case log"),
    AuditAction.ASK_CONSENT: N_("asked for consent to share"),
    AuditAction.RECORD_CONSENT: N_("recorded a consent to share"),
    AuditAction.WITHDRAW_CONSENT: N_("recorded a withdrawn consent"),
    AuditAction.NAME_OTHER: N_("named the other actor"),
    AuditAction.MAINTENANCE: N_("started maintenance"),
    AuditAction.END_PROGRAM: N_("ended the program"),
    AuditAction.HAND_OVER: N_("handed the patient over"),
    AuditAction.CONTENT_DELETED: N_("deleted the content"),
    AuditAction.COMMAND: N_("tried a command"),
    AuditAction.WRITE_TO_PATIENT: N_("tried to write to a patient"),
    AuditAction.BUTTON: N_("pressed a button"),
}


def audit_action(action: str) -> str:
    """An entry's action in the staff language; one recorded before the names were fixed
    reads as it was stored."""
    try:
        return _(AUDIT_ACTIONS[AuditAction(action)])
    except (ValueError, KeyError):
        return escape(action)
