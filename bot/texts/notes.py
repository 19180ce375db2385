"""Short lines the bot posts in the staff chat about its own work: what could not be
delivered, what was edited, a missed contact, an ended program. Called inside the staff
locale."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.texts import patient as fmt


def not_delivered_yet() -> str:
    return "⏳ " + _("Not delivered yet; the bot will try again.")


def blocked() -> str:
    return "⛔ " + _("Not delivered: the patient has blocked the bot.")


def undeliverable(code: str, purpose: str, reason: str | None) -> str:
    return "⛔ " + _("A message to {code} could not be delivered ({purpose}): {reason}").format(
        code=code, purpose=purpose, reason=reason
    )


def edited(text: str) -> str:
    return text + "\n<i>(" + _("edited") + ")</i>"


def contact_missed(contact: datetime, language: str, tz: ZoneInfo) -> str:
    return "⚠️ " + _(
        "The contact on {when} is not recorded as done. Record it with /done (and set "
        "the next with /done DATE TIME)."
    ).format(when=fmt.appointment(contact, language, tz))


def program_deleted(code: str, ended_by: str) -> str:
    return "🗑 " + (
        _("{code} asked for everything to be deleted. It is deleted.")
        if ended_by == "erasure"
        else _("The program of {code} has ended, and its content is deleted.")
    ).format(code=code)
