"""The unit's case log (seed 002, "Ärendelogg") and its monthly overview ("Mall för
månadsutvärdering"): one row for every patient offered the program, and the figures the
monthly meeting reads – in total, by sex and by age band – with counts under a threshold
shown as "<5" in anything that leaves the staff chat. Pure: rows are read in
services/caselog.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class CaseStatus(StrEnum):
    OFFERED = "offered"  # invited; the invite not opened or not answered yet
    ACCEPTED = "accepted"
    DECLINED = "declined"


class DeclineReason(StrEnum):
    NOT_NEEDED = "not_needed"  # no need of support now
    OTHER_SUPPORT = "other_support"  # support from elsewhere already
    NO_ENERGY = "no_energy"  # no time or energy now
    NOT_DIGITAL = "not_digital"  # does not want support by chat
    OTHER = "other"
    UNSAID = "unsaid"  # did not want to say


REASONS = frozenset(r.value for r in DeclineReason)
# How a coordinator names the reason in /declined (the ids work too).
REASON_WORDS: dict[str, DeclineReason] = {
    **{r.value: r for r in DeclineReason},
    **dict.fromkeys(("behov", "inget-behov"), DeclineReason.NOT_NEEDED),
    **dict.fromkeys(("stöd", "annat-stöd"), DeclineReason.OTHER_SUPPORT),
    **dict.fromkeys(("ork", "tid"), DeclineReason.NO_ENERGY),
    **dict.fromkeys(("chatt", "digitalt"), DeclineReason.NOT_DIGITAL),
    **dict.fromkeys(("annan", "annat"), DeclineReason.OTHER),
    **dict.fromkeys(("osagt", "vill-inte-säga"), DeclineReason.UNSAID),
}
AGE_BANDS = ("-29", "30-39", "40-49", "50-59", "60-")
SEXES = ("female", "male", "other")


@dataclass(frozen=True)
class CaseEntry:
    """One row of the log, as the overview reads it (no one can be told from it)."""

    status: CaseStatus
    offered_on: date
    sex: str | None = None
    age_band: str | None = None
    target_group: str | None = None
    started_on: date | None = None
    ended_on: date | None = None
    coaching_minutes: int = 0
    coordination_minutes: int = 0
    # What the log's sheets show besides the overview's figures.
    code: str = ""  # the pseudonym while the content exists; empty after
    informed_storage: bool = False
    consent_to_share: tuple[str, ...] = ()  # actors
    ended_by: str = ""
    contacts_established: tuple[str, ...] = ()
    modules_finished: int = 0
    decline_reason: str = ""
    comment: str = ""

    @property
    def finished(self) -> bool:
        return self.status == CaseStatus.ACCEPTED and self.ended_on is not None

    @property
    def ongoing(self) -> bool:
        return self.status == CaseStatus.ACCEPTED and self.ended_on is None

    @property
    def weeks(self) -> float | None:
        if self.started_on is None or self.ended_on is None:
            return None
        return (self.ended_on - self.started_on).days / 7


@dataclass(frozen=True)
class Figures:
    """The monthly overview for one group of cases."""

    offered: int = 0
    accepted: int = 0
    declined: int = 0
    finished: int = 0
    ongoing: int = 0
    weeks: float | None = None  # mean, over finished cases
    coaching_hours: float | None = None  # mean per finished case
    coordination_hours: float | None = None

    def share(self, count: int) -> float | None:
        """Of all offered, in percent."""
        return 100 * count / self.offered if self.offered else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def figures(entries: Sequence[CaseEntry]) -> Figures:
    finished = [e for e in entries if e.finished]
    return Figures(
        offered=len(entries),
        accepted=sum(1 for e in entries if e.status == CaseStatus.ACCEPTED),
        declined=sum(1 for e in entries if e.status == CaseStatus.DECLINED),
        finished=len(finished),
        ongoing=sum(1 for e in entries if e.ongoing),
        weeks=_mean([w for e in finished if (w := e.weeks) is not None]),
        coaching_hours=_mean([e.coaching_minutes / 60 for e in finished]),
        coordination_hours=_mean([e.coordination_minutes / 60 for e in finished]),
    )


@dataclass(frozen=True)
class Window:
    """Which cases a column counts: offered, or decided, or ended in the span."""

    start: date | None = None  # None: since the unit began
    end: date | None = None  # exclusive

    def holds(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)


def in_window(entries: Sequence[CaseEntry], window: Window) -> list[CaseEntry]:
    """The cases offered in the window (the seed's columns count those offered)."""
    return [e for e in entries if window.holds(e.offered_on)]


@dataclass(frozen=True)
class Overview:
    total: Figures
    by_sex: dict[str, Figures] = field(default_factory=dict)
    by_age: dict[str, Figures] = field(default_factory=dict)


def overview(entries: Sequence[CaseEntry]) -> Overview:
    def split(key: Callable[[CaseEntry], str | None], keys: Sequence[str]) -> dict[str, Figures]:
        return {k: figures([e for e in entries if key(e) == k]) for k in keys}

    return Overview(
        total=figures(entries),
        by_sex=split(lambda e: e.sex, SEXES),
        by_age=split(lambda e: e.age_band, AGE_BANDS),
    )


def masked(count: int, threshold: int) -> int | str:
    """A count as it may leave the staff chat: under the threshold (and not zero), "<N"."""
    return f"<{threshold}" if 0 < count < threshold else count
