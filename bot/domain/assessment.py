"""The risk and needs assessment of the routine call (seed 002, "Metodstöd rutinsamtal"):
five areas, each with a level of need and a short note.

The coordinator writes it as they would after the call, one area a line:

    /assess
    employer 2 No adaptations yet, manager hard to reach
    health 1 Waiting for a psychologist
    social 0
    knowledge 1 Unsure about the rules of the sick leave
    coordination 2 No contact with occupational health
    Summary: Wants to start with the employer

The words for areas and levels are data (AREA_WORDS, NEED_WORDS), in Swedish and English;
nothing here knows Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum


class Area(StrEnum):
    EMPLOYER = "employer"  # arbetsgivare & arbetsmiljö
    HEALTH = "health"  # hälsa, rehabilitering & vård
    SOCIAL = "social"  # socialt & livsstil
    KNOWLEDGE = "knowledge"  # kunskap & motivation
    COORDINATION = "coordination"  # samordning av aktörer


class Need(IntEnum):
    NONE = 0
    SOME = 1
    GREAT = 2


AREA_WORDS: dict[str, Area] = {
    **{w: Area.EMPLOYER for w in ("employer", "work", "arbetsgivare", "arbetsmiljö", "arbete")},
    **{w: Area.HEALTH for w in ("health", "care", "rehab", "hälsa", "vård")},
    **{w: Area.SOCIAL for w in ("social", "lifestyle", "socialt", "livsstil")},
    **{w: Area.KNOWLEDGE for w in ("knowledge", "motivation", "kunskap")},
    **{w: Area.COORDINATION for w in ("coordination", "actors", "samordning", "aktörer")},
}
# The word each area is written with in the template the coordinator copies.
KEYWORDS: dict[str, dict[Area, str]] = {
    "sv": {
        Area.EMPLOYER: "arbetsgivare",
        Area.HEALTH: "hälsa",
        Area.SOCIAL: "socialt",
        Area.KNOWLEDGE: "kunskap",
        Area.COORDINATION: "samordning",
    },
    "en": {area: area.value for area in Area},
}
NEED_WORDS: dict[str, Need] = {
    **{w: Need.NONE for w in ("0", "none", "no", "ingen", "inget", "nej")},
    **{w: Need.SOME for w in ("1", "some", "visst", "viss", "lite", "medel")},
    **{w: Need.GREAT for w in ("2", "great", "high", "stort", "stor", "hög", "högt")},
}
_SUMMARY = re.compile(r"^\s*(?:summary|sammanfattning)\s*:\s*", re.IGNORECASE)
MAX_NOTE = 600


class AssessmentProblem(StrEnum):
    EMPTY = "empty"
    UNKNOWN_AREA = "unknown_area"  # a line that begins with no area's word
    NO_LEVEL = "no_level"  # an area without a level of need
    MISSING = "missing"  # not every area assessed
    TWICE = "twice"


class AssessmentError(ValueError):
    def __init__(self, problem: AssessmentProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail  # the line, or the areas missing


@dataclass(frozen=True)
class AreaNeed:
    area: Area
    need: Need
    note: str = ""


@dataclass(frozen=True)
class AssessmentEntry:
    areas: tuple[AreaNeed, ...]
    summary: str = ""

    @property
    def in_need(self) -> tuple[AreaNeed, ...]:
        """The areas with a need, the greatest first."""
        return tuple(sorted((a for a in self.areas if a.need), key=lambda a: -a.need))


@dataclass(frozen=True)
class Assessed:
    """A stored assessment, as it is shown on the card and in the journal."""

    entry: AssessmentEntry
    made_at: datetime


def _line(text: str) -> AreaNeed:
    words = text.split()
    area = AREA_WORDS.get(words[0].lower().strip(":,"))
    if area is None:
        raise AssessmentError(AssessmentProblem.UNKNOWN_AREA, text)
    level = NEED_WORDS.get(words[1].lower().strip(":,")) if len(words) > 1 else None
    if level is None:
        raise AssessmentError(AssessmentProblem.NO_LEVEL, text)
    return AreaNeed(area, level, " ".join(words[2:])[:MAX_NOTE])


def parse(text: str) -> AssessmentEntry:
    """One line an area ("AREA LEVEL [note]") and an optional "Summary: …" line; every area
    once. AssessmentError says what is wrong, and with which line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise AssessmentError(AssessmentProblem.EMPTY)
    summary = ""
    found: dict[Area, AreaNeed] = {}
    for line in lines:
        if _SUMMARY.match(line):
            summary = _SUMMARY.sub("", line)[:MAX_NOTE]
            continue
        entry = _line(line)
        if entry.area in found:
            raise AssessmentError(AssessmentProblem.TWICE, entry.area.value)
        found[entry.area] = entry
    missing = [area.value for area in Area if area not in found]
    if missing:
        raise AssessmentError(AssessmentProblem.MISSING, ",".join(missing))
    return AssessmentEntry(tuple(found[area] for area in Area), summary)


def encode_needs(entry: AssessmentEntry) -> str:
    """ "employer=2,health=1,…": the levels in the clear, for the card and the case log."""
    return ",".join(f"{a.area.value}={int(a.need)}" for a in entry.areas)


def decode_needs(stored: str) -> dict[Area, Need]:
    pairs = (part.split("=", 1) for part in stored.split(",") if "=" in part)
    return {Area(area): Need(int(level)) for area, level in pairs}
