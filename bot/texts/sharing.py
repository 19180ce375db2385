"""Consent to share, in words: for the patient (their own form's names for the actors) and
for the coordinators (the card's line, the journal's lines, /consent). Called in the
locale of whoever reads it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.content.schema import Form
from bot.domain.contact_notes import Party
from bot.domain.sharing import BY_OPTION, SHAREABLE, Consent
from bot.texts import patient as fmt
from bot.texts.contacts import party


def _day(moment: datetime, language: str, tz: ZoneInfo) -> str:
    return fmt.long_date(moment.astimezone(tz).date(), language)


def patient_actors(form: Form, consent: Consent, language: str) -> str:
    """The actors as the patient's form names them; the other one by its given name."""
    options = {party: option for option, party in BY_OPTION.items()}
    item = form.item("actors")
    labels = {o.id: o.label(language) for o in item.options}
    names = []
    for actor in SHAREABLE:
        if actor in consent.actors:
            other = actor == Party.OTHER and consent.other
            names.append(consent.other if other else labels[options[actor]])
    return ", ".join(names)


def patient_state(form: Form, consent: Consent | None, now: datetime, language: str,
                  tz: ZoneInfo) -> str:  # fmt: skip
    """One paragraph: what the patient has agreed to now, or that they have not."""
    if consent is None or not consent.actors:
        return _(
            "You have not given consent to share information with anyone. Your coordinator "
            "may need to talk with, for example, Försäkringskassan or your employer; you "
            "decide who."
        )
    if consent.withdrawn_at is not None:
        return _("You withdrew your consent to share information on {day}.").format(
            day=_day(consent.withdrawn_at, language, tz)
        )
    if not consent.in_force(now):
        return _("Your consent to share information ended on {day}.").format(
            day=_day(consent.valid_until, language, tz)
        )
    return _(
        "You have agreed that your coordinator may share information with: {actors}. "
        "It is valid until {day}."
    ).format(
        actors=escape(patient_actors(form, consent, language)),
        day=_day(consent.valid_until, language, tz),
    )


def staff_actors(consent: Consent) -> str:
    names = [party(a) for a in SHAREABLE if a in consent.actors and a != Party.OTHER]
    if Party.OTHER in consent.actors:
        names.append(consent.other or _("another actor (not named yet: /consent other NAME)"))
    return ", ".join(names)


def card_line(consent: Consent | None, now: datetime, language: str, tz: ZoneInfo) -> str:
    if consent is None or not consent.actors:
        return _("Consent to share: not given (/consent)")
    if consent.withdrawn_at is not None:
        return "⛔ " + _("Consent to share: withdrawn {day}").format(
            day=_day(consent.withdrawn_at, language, tz)
        )
    if not consent.in_force(now):
        return "⛔ " + _("Consent to share: ended {day}").format(
            day=_day(consent.valid_until, language, tz)
        )
    return _("Consent to share: {actors} (until {day})").format(
        actors=escape(staff_actors(consent)), day=_day(consent.valid_until, language, tz)
    )


def journal_lines(history: Sequence[Consent], language: str, tz: ZoneInfo) -> list[str]:
    lines = []
    for consent in history:
        if not consent.actors:
            continue
        given = _day(consent.given_at, language, tz)
        until = _day(consent.valid_until, language, tz)
        line = _("Consent to share given {day}, valid until {until}: {actors}.").format(
            day=given, until=until, actors=staff_actors(consent)
        )
        if consent.not_to_share:
            line += " " + _("Not to be shared: {text}").format(text=consent.not_to_share)
        lines.append(line)
        if consent.withdrawn_at is not None:
            lines.append(
                _("Consent to share withdrawn {day}.").format(
                    day=_day(consent.withdrawn_at, language, tz)
                )
            )
    return lines


def withdrawn_by_patient() -> str:
    return _("The patient withdrew the consent to share information, here in the chat.")


def refused(parties: Sequence[Party]) -> str:
    names = ", ".join(party(p) for p in parties)
    return "⛔ " + _(
        "Not saved: the patient has not agreed to share information with {actors}. Ask "
        "for their consent with /consent ask, or record one they signed with /consent."
    ).format(actors=escape(names))


def how_to() -> str:
    return _(
        "<b>Consent to share</b>\n"
        "/consent ask – the consent form goes to the patient\n"
        "/consent care fk af soc employer other [until DATE] – record a consent the patient "
        "signed or gave you (at most a year)\n"
        "/consent other NAME – name the other actor\n"
        "/consent withdraw – the patient withdrew it"
    )
