"""The unit's case log (seed 002, "Ärendelogg") and its monthly overview ("Mall för
månadsutvärdering"): one row for every patient offered the program, and the figures the
monthly meeting reads – in total, by sex and by age band – with counts under a threshold
shown as "<5" in anything that leaves the staff chat. Pure: rows are read in
services/caselog.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
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
class Pair:
    """The first and the last of a repeated measure (WHO-5, WAI), and how many there were."""

    first: float | None = None
    last: float | None = None
    measures: int = 0
    first_band: str | None = None
    last_band: str | None = None

    @property
    def change(self) -> float | None:
        """From the first to the last; only when measured at least twice."""
        if self.measures < 2 or self.first is None or self.last is None:
            return None
        return self.last - self.first


@dataclass(frozen=True)
class Outcome:
    """What the evaluation reads of a case (domain/evaluation.py)."""

    modules_done: tuple[int, ...] = ()
    contacts_kept: int = 0
    contacts_missed: int = 0
    who5: Pair = Pair()
    wai: Pair = Pair()
    back_at_work_on: date | None = None


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
    declined_on: date | None = None
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
    outcome: Outcome = Outcome()

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

    @property
    def hours_per_week(self) -> float | None:
        weeks = self.weeks
        if not weeks:
            return None
        return (self.coaching_minutes + self.coordination_minutes) / 60 / weeks


def report_span(words: Sequence[str], today: date) -> tuple[date, date]:
    """/report's month (YYYY-MM) and the day of the last monthly meeting (YYYY-MM-DD), in
    either order; each defaults to this month, and its 1st. ValueError for anything else."""
    month = since = today.replace(day=1)
    for word in words:
        try:
            since = date.fromisoformat(word)
        except ValueError:
            month = datetime.strptime(word, "%Y-%m").date()
    return month, since


def masked(count: int, threshold: int) -> int | str:
    """A count as it may leave the staff chat: under the threshold (and not zero), "<N"."""
    return f"<{threshold}" if 0 < count < threshold else count
