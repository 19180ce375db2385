"""The evaluation's figures (the program has never been scientifically evaluated): anonymous
figures over the accepted cases of a unit, in total and by sex, for the unit to begin with.

- completion of each module: the cases that finished it, of all accepted;
- contact days kept and missed (a contact day counts once its check has run);
- WHO-5 and WAI change from the first to the last measurement: mean, median and the number
  of cases measured at least twice;
- the weeks from the start to the return to work;
- the share back at work at the end, of the finished cases.
Pure: given the case log's entries, returns the figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from bot.domain.caselog import SEXES, CaseEntry, CaseStatus, Pair

MODULES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Stat:
    """A measure over some cases: how many, their mean and median."""

    cases: int = 0
    mean: float | None = None
    median: float | None = None


def stat(values: Sequence[float]) -> Stat:
    if not values:
        return Stat()
    return Stat(len(values), sum(values) / len(values), float(median(values)))


@dataclass(frozen=True)
class Share:
    """A count of a whole, and its percentage."""

    count: int = 0
    of: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.of if self.of else None


@dataclass(frozen=True)
class Evaluation:
    cases: int
    modules: dict[int, Share]
    contacts_kept: Share  # of the contact days checked
    contacts_missed: int
    who5_change: Stat
    wai_change: Stat
    weeks_to_work: Stat
    back_at_work: Share  # of the finished cases


def _weeks_to_work(entry: CaseEntry) -> float | None:
    back, start = entry.outcome.back_at_work_on, entry.started_on
    return (back - start).days / 7 if back and start and back >= start else None


def _back_by_end(entry: CaseEntry) -> bool:
    back, end = entry.outcome.back_at_work_on, entry.ended_on
    return back is not None and end is not None and back <= end


def _changes(entries: Sequence[CaseEntry], pick: Callable[[CaseEntry], Pair]) -> Stat:
    return stat([c for e in entries if (c := pick(e).change) is not None])


def evaluate(entries: Sequence[CaseEntry]) -> Evaluation:
    accepted = [e for e in entries if e.status == CaseStatus.ACCEPTED]
    finished = [e for e in accepted if e.finished]
    kept = sum(e.outcome.contacts_kept for e in accepted)
    missed = sum(e.outcome.contacts_missed for e in accepted)
    return Evaluation(
        cases=len(accepted),
        modules={
            m: Share(sum(1 for e in accepted if m in e.outcome.modules_done), len(accepted))
            for m in MODULES
        },
        contacts_kept=Share(kept, kept + missed),
        contacts_missed=missed,
        who5_change=_changes(accepted, lambda e: e.outcome.who5),
        wai_change=_changes(accepted, lambda e: e.outcome.wai),
        weeks_to_work=stat([w for e in accepted if (w := _weeks_to_work(e)) is not None]),
        back_at_work=Share(sum(1 for e in finished if _back_by_end(e)), len(finished)),
    )


def by_sex(entries: Sequence[CaseEntry]) -> dict[str, Evaluation]:
    """In total (key "all") and for each sex."""
    return {
        "all": evaluate(entries),
        **{sex: evaluate([e for e in entries if e.sex == sex]) for sex in SEXES},
    }


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


@dataclass(frozen=True)
class MonthCounts:
    accepted: int = 0
    declined: int = 0
    finished: int = 0


@dataclass(frozen=True)
class Months:
    """Cases per month for the chart, months in order with none skipped between the first
    and the last: for everyone ("all") and each sex."""

    months: list[str]
    counts: dict[str, list[MonthCounts]]


def per_month(entries: Sequence[CaseEntry]) -> Months:
    """Accepted by their start, declined by their offer, finished by their end."""
    events: list[tuple[str, str | None, int]] = []  # month, sex, which count
    for e in entries:
        if e.status == CaseStatus.ACCEPTED:
            events += [
                (month_of(d), e.sex, i) for i, d in ((0, e.started_on), (2, e.ended_on)) if d
            ]
        elif e.status == CaseStatus.DECLINED:
            events.append((month_of(e.offered_on), e.sex, 1))
    months = months_between(sorted({month for month, _sex, _i in events}))
    counts: dict[str, list[MonthCounts]] = {}
    for group in ("all", *SEXES):
        table = {m: [0, 0, 0] for m in months}
        for month, sex, which in events:
            if group in ("all", sex):
                table[month][which] += 1
        counts[group] = [MonthCounts(*table[m]) for m in months]
    return Months(months, counts)


def months_between(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last given ("2026-11"), in order."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
