"""Consent to share information with other actors (seed 002, "Metodstöd samtycke och
samtyckesblankett"): which actors, from when, until when (at most a year), and whether it
was withdrawn. Whom a contact may include follows from it; nothing here knows Telegram."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.answers import AnswerError, parse_date
from bot.domain.contact_notes import PARTY_WORDS, Party

FORM_ID = "consent_sharing"  # the patient's own form (module 1, or from the home screen)
LONGEST = timedelta(days=365)  # "till dess att din rehabilitering är klar, dock max ett år"
# The actors a patient may agree to, as the form's options name them.
BY_OPTION: dict[str, Party] = {
    "healthcare": Party.CARE,
    "forsakringskassan": Party.FK,
    "arbetsformedlingen": Party.AF,
    "social_services": Party.SOCIAL,
    "employer": Party.EMPLOYER,
    "other": Party.OTHER,
}
SHAREABLE = tuple(BY_OPTION.values())
# Occupational health is the employer's service: it is reached under the employer's consent.
COVERED_BY = {Party.OCCUPATIONAL: Party.EMPLOYER}


@dataclass(frozen=True)
class Consent:
    actors: frozenset[Party]
    given_at: datetime
    valid_until: datetime
    withdrawn_at: datetime | None = None
    other: str = ""  # the "other" actor, named by the coordinator
    not_to_share: str = ""  # what the patient does not want documented or shared
    by_coordinator: bool = False  # recorded from a signed form or the patient's word

    def in_force(self, now: datetime) -> bool:
        return self.withdrawn_at is None and now < self.valid_until and bool(self.actors)


class NotAgreed(ValueError):
    """A contact with actors the patient has not agreed to share with."""

    def __init__(self, parties: list[Party]) -> None:
        super().__init__(",".join(p.value for p in parties))
        self.parties = parties


def valid_until(given: datetime, until: datetime | None = None) -> datetime:
    """The end the patient agreed to, never more than a year from the day it was given."""
    longest = given + LONGEST
    return min(until, longest) if until is not None else longest


def actors_of(options: Iterable[str]) -> frozenset[Party]:
    return frozenset(BY_OPTION[option] for option in options if option in BY_OPTION)


def not_agreed(parties: Iterable[Party], consent: Consent | None, now: datetime) -> list[Party]:
    """The actors in a contact that the consent in force does not cover (the patient never
    needs one), in the order given."""
    agreed = consent.actors if consent is not None and consent.in_force(now) else frozenset()
    return [
        party
        for party in parties
        if party != Party.PATIENT and COVERED_BY.get(party, party) not in agreed
    ]


_UNTIL = ("until", "till", "tom", "t.o.m.")


def parse_record(text: str, today: date) -> tuple[frozenset[Party], date | None]:
    """ "care fk employer [until 2027-06-30]": the actors a coordinator records, and the
    last day if shorter than a year. ValueError names the word not understood."""
    words = text.replace(",", " ").split()
    actors: set[Party] = set()
    until: date | None = None
    for index, word in enumerate(words):
        if word.lower() in _UNTIL:
            rest = " ".join(words[index + 1 :])
            try:
                until = parse_date(rest, today, "future")
            except AnswerError as error:
                raise ValueError(rest or word) from error
            break
        found = PARTY_WORDS.get(word.lower())
        actor = COVERED_BY.get(found, found) if found is not None else None
        if actor is None or actor not in SHAREABLE:
            raise ValueError(word)
        actors.add(actor)
    if not actors:
        raise ValueError(text)
    return frozenset(actors), until
