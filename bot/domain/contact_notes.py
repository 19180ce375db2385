"""The coordinator's contact notes (seed 002, "Dokumentation"): what kind of contact it was,
how long, who took part, a short note and the next step; and the hours they add up to.

A note is written on one line, in Swedish or English, so a busy coordinator types it as
they would say it: `/note coaching 45 min with employer, fk Talked about hours. Next: call
Friday`. The words for kinds and actors are data (KIND_WORDS, PARTY_WORDS); nothing here
knows Telegram.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ContactKind(StrEnum):
    ROUTINE = "routine"  # rutinsamtal: the risk and needs assessment
    COACHING = "coaching"  # coachande samtal
    COORDINATION = "coordination"  # samordnande stöd: a multi-party meeting
    HANDOVER = "handover"  # överlämning when the support ends
    OTHER = "other"  # övrig anteckning


class Party(StrEnum):
    PATIENT = "patient"
    EMPLOYER = "employer"
    FK = "fk"  # Försäkringskassan
    OCCUPATIONAL = "occupational"  # företagshälsovård
    CARE = "care"  # hälso- och sjukvård (Reko, primary or specialist care)
    AF = "af"  # Arbetsförmedlingen
    SOCIAL = "social"  # socialtjänsten
    OTHER = "other"


# Coordinating support is counted apart from coaching in the case log (seed 002).
COORDINATING = frozenset({ContactKind.COORDINATION})
# The actors whose contact the case log records as established ("kontakt etablerats med"),
# the seed's "övriga etablerade kontakter" (social services, another actor) among them.
ESTABLISHED = (
    Party.OCCUPATIONAL, Party.FK, Party.CARE, Party.EMPLOYER, Party.AF, Party.SOCIAL, Party.OTHER,
)  # fmt: skip

KIND_WORDS: dict[str, ContactKind] = {
    **{w: ContactKind.ROUTINE for w in ("routine", "rutin", "rutinsamtal", "assessment")},
    **{w: ContactKind.COACHING for w in ("coaching", "coachande", "coach", "samtal")},
    **{
        w: ContactKind.COORDINATION
        for w in ("coordination", "coordinating", "samordning", "samordnande", "flerpart")
    },
    **{w: ContactKind.HANDOVER for w in ("handover", "överlämning", "overlamning", "avslut")},
    **{w: ContactKind.OTHER for w in ("other", "övrig", "övrigt", "ovrigt", "annat")},
}
PARTY_WORDS: dict[str, Party] = {
    **{w: Party.PATIENT for w in ("patient", "patienten")},
    **{w: Party.EMPLOYER for w in ("employer", "manager", "chef", "arbetsgivare", "ag")},
    **{w: Party.FK for w in ("fk", "försäkringskassan", "forsakringskassan")},
    **{
        w: Party.OCCUPATIONAL
        for w in ("fhv", "occupational", "företagshälsovård", "företagshälsan")
    },
    **{w: Party.CARE for w in ("care", "vård", "vården", "reko", "hälsovård", "sjukvård")},
    **{w: Party.AF for w in ("af", "arbetsförmedlingen")},
    **{w: Party.SOCIAL for w in ("soc", "social", "socialtjänsten")},
    **{w: Party.OTHER for w in ("other", "annan", "andra")},
}
_WITH = ("with", "med")
_NEXT = re.compile(r"\b(?:next|nästa(?:\s+steg)?)\s*:\s*", re.IGNORECASE)
_DURATION = re.compile(
    r"^(?:(?P<hours>\d+(?:[.,]\d+)?)\s*(?:h|tim|timmar|hours?)"
    r"(?:\s*(?P<rest>\d{1,2})\s*(?:m|min)?)?|(?P<minutes>\d{1,3})\s*(?:m|min|minuter|minutes)?)$",
    re.IGNORECASE,
)
MAX_MINUTES = 8 * 60


class NoteProblem(StrEnum):
    NO_KIND = "no_kind"
    NO_DURATION = "no_duration"
    TOO_LONG = "too_long"


class NoteError(ValueError):
    def __init__(self, problem: NoteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class ContactEntry:
    kind: ContactKind
    minutes: int
    participants: tuple[Party, ...] = (Party.PATIENT,)
    note: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class Contact:
    """A stored note as it is shown: in the journal and on request."""

    kind: ContactKind
    minutes: int
    participants: tuple[Party, ...]
    note: str
    next_step: str
    held_at: datetime


@dataclass
class Hours:
    coaching_minutes: int = 0
    coordination_minutes: int = 0
    established: set[Party] = field(default_factory=set)
    contacts: int = 0


def minutes_of(text: str) -> int | None:
    """ "45", "45 min", "1h", "1.5 h", "1h30": minutes, or None."""
    found = _DURATION.match(text.strip())
    if found is None:
        return None
    if found["minutes"] is not None:
        return int(found["minutes"])
    hours = float(found["hours"].replace(",", "."))
    return round(hours * 60) + int(found["rest"] or 0)


def _duration(words: list[str]) -> tuple[int, int]:
    """The minutes and how many words they took (one, or a number and its unit)."""
    for taken in (2, 1):
        if len(words) >= taken:
            minutes = minutes_of(" ".join(words[:taken]))
            if minutes is not None:
                return minutes, taken
    raise NoteError(NoteProblem.NO_DURATION)


def _parties(words: list[str]) -> tuple[tuple[Party, ...], int]:
    """The parties named after "with"/"med", and the words they took. Only after that word:
    a note may well begin with "vård" or "chef"."""
    if not words or words[0].lower() not in _WITH:
        return (Party.PATIENT,), 0
    found: list[Party] = []
    used = 1
    for word in words[1:]:
        names = [n for n in re.split(r"[,&+]", word.lower().strip(",")) if n]
        if not names or any(n not in PARTY_WORDS and n not in ("och", "and") for n in names):
            break
        found.extend(PARTY_WORDS[n] for n in names if n in PARTY_WORDS)
        used += 1
    if not found:
        return (Party.PATIENT,), 0
    ordered = tuple(dict.fromkeys([Party.PATIENT, *found]))  # the patient is always there
    return ordered, used


def parse(text: str) -> ContactEntry:
    """ "KIND DURATION [with ACTOR, ACTOR] [note] [Next: step]" into an entry, or NoteError."""
    words = text.split()
    if not words or words[0].lower() not in KIND_WORDS:
        raise NoteError(NoteProblem.NO_KIND)
    kind = KIND_WORDS[words[0].lower()]
    minutes, taken = _duration(words[1:])
    if not 0 < minutes <= MAX_MINUTES:
        raise NoteError(NoteProblem.TOO_LONG)
    rest = words[1 + taken :]
    participants, used = _parties(rest)
    body = " ".join(rest[used:])
    note, *following = _NEXT.split(body, maxsplit=1)
    next_step = following[0] if following else ""
    return ContactEntry(kind, minutes, participants, note.strip(), next_step.strip())


def hours(entries: Iterable[tuple[str, int, str]]) -> Hours:
    """From (kind, minutes, participants) of each note: the minutes of coaching and of
    coordination, and the actors contact was established with."""
    total = Hours()
    for kind, minutes, participants in entries:
        total.contacts += 1
        if kind in COORDINATING:
            total.coordination_minutes += minutes
        else:
            total.coaching_minutes += minutes
        total.established |= {Party(a) for a in participants.split(",") if a} & set(ESTABLISHED)
    return total
