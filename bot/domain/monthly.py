"""The monthly overview (seed 002's template) as figures: offered, accepted, declined,
finished and ongoing, and the means per finished case, for a span. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.caselog import CaseEntry, CaseStatus


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
    hours_per_week: float | None = None  # the template's "antal timmar per vecka"

    def share(self, count: int) -> float | None:
        """Of all offered, in percent."""
        return 100 * count / self.offered if self.offered else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Window:
    """The span a column of the overview counts: since the start (no bounds), a month, or
    since the last monthly meeting (no end)."""

    start: date | None = None  # None: since the unit began
    end: date | None = None  # exclusive

    def holds(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)

    def running_at_end(self, entry: CaseEntry) -> bool:
        """Begun by the window's end and not ended before it (now, for an open end)."""
        if entry.status != CaseStatus.ACCEPTED or entry.started_on is None:
            return False
        if self.end is None:
            return entry.ended_on is None
        return entry.started_on < self.end and (
            entry.ended_on is None or entry.ended_on >= self.end
        )


def figures(entries: Sequence[CaseEntry], window: Window | None = None) -> Figures:
    """Each figure counts its own event in the window, as the seed's template does ("since
    the last monthly meeting": offered, accepted, declined, finished since then): offered by
    the invite, accepted by the start, declined by the decline, finished by the end; ongoing
    is the state at the window's end. The means are over the cases finished in it."""
    span = window or Window()
    accepted = [e for e in entries if e.status == CaseStatus.ACCEPTED]
    finished = [e for e in accepted if e.finished and span.holds(e.ended_on)]
    declined = [e for e in entries if e.status == CaseStatus.DECLINED]
    return Figures(
        offered=sum(1 for e in entries if span.holds(e.offered_on)),
        accepted=sum(1 for e in accepted if span.holds(e.started_on)),
        declined=sum(1 for e in declined if span.holds(e.declined_on or e.offered_on)),
        finished=len(finished),
        ongoing=sum(1 for e in accepted if span.running_at_end(e)),
        weeks=_mean([w for e in finished if (w := e.weeks) is not None]),
        coaching_hours=_mean([e.coaching_minutes / 60 for e in finished]),
        coordination_hours=_mean([e.coordination_minutes / 60 for e in finished]),
        hours_per_week=_mean([e.hours_per_week for e in finished if e.hours_per_week is not None]),
    )
