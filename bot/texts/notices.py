"""What the bot tells a patient on its own initiative: reminders, nudges, the countdown,
consent, and the goodbye. Called inside the patient's locale."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.content.schema import Form
from bot.db.models import ContactWay
from bot.domain.sharing import Consent
from bot.texts import patient as fmt
from bot.texts import sharing


def contact_reminder(contact: datetime, way: ContactWay, language: str, tz: ZoneInfo, *,
                     eve: bool) -> str:  # fmt: skip
    """The day before the contact (`eve`), or the morning of it."""
    if eve:
        text = "📅 " + _("Tomorrow is your contact day: {when} – {way}.")
    else:
        text = "📅 " + _("Today is your contact day: {when} – {way}.")
    return text.format(
        when=fmt.appointment(contact, language, tz), way=fmt.contact_way_for_patient(way)
    )


def form_requested(title: str) -> str:
    return "📋 " + _(
        "Your coordinator asks you to fill in a form: {title}. It takes a few minutes, and "
        "you can stop and go on later. You find it on your start page: /menu"
    ).format(title=escape(title))


def sharing_asked(title: str) -> str:
    return "🤝 " + _(
        "Your coordinator asks for your consent to share information with other parties "
        "in your rehabilitation, such as Försäkringskassan or your employer. You choose "
        "who, and can withdraw it at any time: {title}, on your start page: /menu"
    ).format(title=escape(title))


def sharing_recorded(form: Form, consent: Consent, language: str) -> str:
    return "🤝 " + _(
        "Your coordinator has recorded your consent to share information with: {actors}, "
        "until {day}. You can see it, and withdraw it, at any time: /menu"
    ).format(
        actors=escape(sharing.patient_actors(form, consent, language)),
        day=fmt.long_date(consent.valid_until.date(), language),
    )


def pause_reminder() -> str:
    return "⏰ " + _("You asked me to remind you: your module is waiting. Open /menu to go on.")


def nudge(module: int) -> str:
    return "📖 " + _(
        "It has been a few days – module {n} is waiting for you, right where you "
        "left it. Open /menu to go on. (/reminders turns these reminders off.)"
    ).format(n=module)


def program_ends(day: date, language: str) -> str:
    return "🌿 " + _(
        "Your program ends on {day}, and then everything you wrote and answered here is "
        "deleted. Send /export to get it as a PDF to keep."
    ).format(day=fmt.long_date(day, language))


def consent_renewal(lapses: date, language: str) -> str:
    return "📝 " + _(
        "Your consent to take part lasts until {day}. To go on after that, send "
        "/consent and agree again."
    ).format(day=fmt.long_date(lapses, language))


def consent_lapsed() -> str:
    return "📝 " + _(
        "Your consent has lapsed, so nothing you do here is shared with your coordinator "
        "any more. Send /consent to renew it, or /erase to have everything deleted."
    )


def goodbye() -> str:
    return _(
        "Your Sjukskrivningskollen program has ended, and everything you wrote and "
        "answered here has now been deleted. Thank you for taking part, and good "
        "luck! For anything about your health, contact your health centre or 1177."
    )


def signature(first_name: str | None) -> str:
    """What heads a coordinator's message to the patient: their first name where the unit
    signs so, else the role."""
    if first_name:
        return "💬 <b>" + _("{name}, your coordinator").format(name=escape(first_name)) + "</b>"
    return "💬 <b>" + _("Your coordinator") + "</b>"


def module_opened(module: int, title: str) -> str:
    return _("🔓 Module {n}, “{title}”, is now open for you. Open it from /menu.").format(
        n=module, title=title
    )


def contact_set(contact: datetime, way: ContactWay, language: str, tz: ZoneInfo) -> str:
    return _("📅 Your next contact: {when} – {way}.").format(
        when=fmt.appointment(contact, language, tz), way=fmt.contact_way_for_patient(way)
    )


def maintenance_started(ends: date, language: str) -> str:
    return _(
        "🌿 Your program is now in its maintenance phase. Keep using what works for you. "
        "It ends on {day}, and then all its content is deleted: send /export to get your "
        "answers, plan and wellbeing chart as a PDF."
    ).format(day=fmt.long_date(ends, language))
