"""The contact notes as the coordinators read them: kinds and parties by name, the card's
line of hours, the journal's lines, and how to write a note. Called in the staff locale."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from babel.numbers import format_decimal

from bot.domain.contact_notes import Contact, ContactKind, Hours, NoteProblem, Party


def kind(value: ContactKind) -> str:
    return {
        ContactKind.ROUTINE: _("routine call"),
        ContactKind.COACHING: _("coaching"),
        ContactKind.COORDINATION: _("coordinating support"),
        ContactKind.HANDOVER: _("handover"),
        ContactKind.OTHER: _("other contact"),
    }[value]


def party(value: Party) -> str:
    return {
        Party.PATIENT: _("the patient"),
        Party.EMPLOYER: _("employer"),
        Party.FK: _("Försäkringskassan"),
        Party.OCCUPATIONAL: _("occupational health"),
        Party.CARE: _("health care"),
        Party.AF: _("Arbetsförmedlingen"),
        Party.SOCIAL: _("social services"),
        Party.OTHER: _("other"),
    }[value]


def hours_text(minutes: int, language: str) -> str:
    """ "1,5 h" or "45 min": as a coordinator would write it in the log."""
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    value = format_decimal(minutes / 60, format="#,##0.#", locale=language)
    return _("{hours} h").format(hours=value)


def card_line(total: Hours, language: str) -> str:
    """The card's line: contacts and the hours of each kind of support."""
    if not total.contacts:
        return _("Contacts documented: none yet (/note)")
    line = _("Contacts documented: {count} · coaching {coaching} · coordinating {coordinating}")
    return line.format(
        count=total.contacts,
        coaching=hours_text(total.coaching_minutes, language),
        coordinating=hours_text(total.coordination_minutes, language),
    )


def journal_lines(contacts: Sequence[Contact], language: str) -> list[str]:
    lines = []
    for contact in contacts:
        who = ", ".join(party(p) for p in contact.participants)
        line = _("{day} {kind}, {length}, present: {who}.").format(
            day=format_date(contact.held_at, format="short", locale=language),
            kind=kind(contact.kind).capitalize(),
            length=hours_text(contact.minutes, language),
            who=who,
        )
        if contact.note:
            line += " " + contact.note
        if contact.next_step:
            line += " " + _("Next step: {step}").format(step=contact.next_step)
        lines.append(line)
    return lines


def recorded(contact_kind: ContactKind, minutes: int, total: Hours, language: str) -> str:
    return _("📝 Noted: {kind}, {length}.\n{hours}").format(
        kind=kind(contact_kind),
        length=hours_text(minutes, language),
        hours=card_line(total, language),
    )


def how_to(problem: NoteProblem | None = None) -> str:
    """How a note is written; with what was wrong first, when something was."""
    lead = {
        None: "",
        NoteProblem.NO_KIND: _("Start with the kind of contact."),
        NoteProblem.NO_DURATION: _("After the kind, give how long it took."),
        NoteProblem.TOO_LONG: _("A contact is between 1 minute and 8 hours."),
    }[problem]
    usage = _(
        "Write a contact note like this:\n"
        "<code>/note coaching 45 min with employer, fk Talked about hours. "
        "Next: call Friday</code>\n"
        "Kinds: routine, coaching, coordination (a multi-party meeting), handover, other. "
        "Who took part, after <i>with</i>: employer, fk, fhv (occupational health), care, "
        "af, soc, other; the patient is always counted."
    )
    return f"⚠️ {lead}\n\n{usage}" if lead else usage


def echo(text: str) -> str:
    """What the coordinator wrote, given back so nothing is lost when it was not understood."""
    return _("What you wrote:") + f"\n<code>{escape(text)}</code>"
