"""The overview for the monthly evaluation (seed 002's template), as rows of a sheet: each
figure in each column with its share of those offered, in total, by sex and by each age band
that has cases. A
column is a group of cases in a window: since the start, a month, since the last monthly
meeting, or (the regional report) a unit. Counts under the threshold are "<5", and so are the
means over fewer finished cases than that."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.domain.caselog import AGE_BANDS, SEXES, CaseEntry
from bot.domain.caselog import masked as masked_count
from bot.domain.monthly import Figures, Window, figures
from bot.texts.caselog import sex_label


@dataclass(frozen=True)
class Column:
    label: str
    entries: Sequence[CaseEntry]
    window: Window = field(default_factory=Window)
    shares: bool = False  # the template gives the share of those offered since the start


def since_label(day: str) -> str:
    return _("Since the meeting {day}").format(day=day)


def since_start_label() -> str:
    return _("In all since the start")


def title() -> str:
    return _("Monthly overview")


def all_units_label() -> str:
    return _("All units")


def header(columns: Sequence[Column]) -> list[str]:
    cells = [""]
    for column in columns:
        cells += [column.label, "%"] if column.shares else [column.label]
    return cells


def _block(label: str, groups: Sequence[tuple[Figures, bool]], threshold: int) -> list[list[Any]]:
    """One block: each figure in each column (with its share of offered where it has one)."""

    def count(value: int, of: Figures, shares: bool) -> list[Any]:
        shown = masked_count(value, threshold)
        if not shares:
            return [shown]
        share = of.share(value)
        return [shown, round(share) if share is not None and isinstance(shown, int) else None]

    def mean(value: float | None, of: Figures, shares: bool) -> list[Any]:
        pad = [None] if shares else []
        if value is None:
            return [None, *pad]
        return [f"<{threshold}" if of.finished < threshold else round(value, 1), *pad]

    counts: list[tuple[str, Callable[[Figures], int]]] = [
        (_("Offered support"), lambda f: f.offered),
        (_("Accepted"), lambda f: f.accepted),
        (_("Declined"), lambda f: f.declined),
        (_("Finished"), lambda f: f.finished),
        (_("Ongoing"), lambda f: f.ongoing),
    ]
    means: list[tuple[str, Callable[[Figures], float | None]]] = [
        (_("Weeks per finished case (mean)"), lambda f: f.weeks),
        (_("Hours of coaching per finished case"), lambda f: f.coaching_hours),
        (_("Hours of coordination per finished case"), lambda f: f.coordination_hours),
        (_("Hours per week per finished case"), lambda f: f.hours_per_week),
    ]
    rows: list[list[Any]] = [[label]]
    for name, pick in counts:
        rows.append([name, *(c for f, s in groups for c in count(pick(f), f, s))])
    for name, average in means:
        rows.append([name, *(c for f, s in groups for c in mean(average(f), f, s))])
    return rows


def rows(columns: Sequence[Column], threshold: int) -> list[list[Any]]:
    def block(label: str, keep: Callable[[CaseEntry], bool]) -> list[list[Any]]:
        groups = [
            (figures([e for e in c.entries if keep(e)], c.window), c.shares) for c in columns
        ]
        return _block(label, groups, threshold)

    everyone = [e for c in columns for e in c.entries]
    found = block(_("All"), lambda e: True)
    for sex in SEXES:  # women and men always; "other" when there is such a case
        if sex != "other" or any(e.sex == sex for e in everyone):
            found += [[], *block(sex_label(sex), lambda e, s=sex: e.sex == s)]  # type: ignore[misc]
    for band in AGE_BANDS:  # the bands with any case
        if any(e.age_band == band for e in everyone):
            label = _("Age {band}").format(band=band)
            found += [[], *block(label, lambda e, b=band: e.age_band == b)]  # type: ignore[misc]
    return found
