"""The evaluation's figures as the unit reads them: a CSV (`report evaluation`, one row a
figure, group and unit; semicolons and decimal commas for a Swedish spreadsheet) and the
lines of /stats in the staff chat. A count under the threshold is "<5", and the share, mean
and median beside it are left empty, so no one can be recognised."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.domain.caselog import SEXES, masked
from bot.domain.evaluation import MODULES, Evaluation, Share, Stat
from bot.texts.caselog import sex_label

GROUPS = ("all", *SEXES)


def group_label(group: str) -> str:
    return _("All") if group == "all" else sex_label(group)


def _number(value: float | None, language: str) -> str:
    return "" if value is None else format_decimal(round(value, 1), "0.#", locale=language)


def _rows(evaluation: Evaluation) -> list[tuple[str, int | Share | Stat]]:
    """Each figure: its name and what it is (a count, a share of a whole, a statistic)."""
    rows: list[tuple[str, int | Share | Stat]] = [(_("Cases (accepted)"), evaluation.cases)]
    rows += [(_("Module {n} finished").format(n=m), evaluation.modules[m]) for m in MODULES]
    kept = evaluation.contacts_kept
    rows += [
        (_("Contact days kept"), kept),
        (_("Contact days missed"), Share(evaluation.contacts_missed, kept.of)),
        (_("WHO-5 change, first to last"), evaluation.who5_change),
        (_("WAI change, first to last"), evaluation.wai_change),
        (_("Weeks from start to return to work"), evaluation.weeks_to_work),
        (_("Back at work at the end (of finished)"), evaluation.back_at_work),
    ]
    return rows


def _cells(value: int | Share | Stat, threshold: int, language: str) -> list[object]:
    """count, of, percent, mean, median"""
    if isinstance(value, int):
        return [masked(value, threshold), "", "", "", ""]
    if isinstance(value, Share):
        count = masked(value.count, threshold)
        hide = isinstance(count, str) or 0 < value.of < threshold
        percent = "" if hide else _number(value.percent, language)
        return [count, masked(value.of, threshold), percent, "", ""]
    cases = masked(value.cases, threshold)
    hide = isinstance(cases, str)
    mean, middle = ("", "") if hide else (_number(value.mean, language),
                                          _number(value.median, language))  # fmt: skip
    return [cases, "", "", mean, middle]


def csv_text(units: Sequence[tuple[str, dict[str, Evaluation]]], threshold: int,
             language: str) -> str:  # fmt: skip
    """One row a unit, group and figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([_("Unit"), _("Group"), _("Figure"), _("Count"), _("Of"), "%",
                     _("Mean"), _("Median")])  # fmt: skip
    for unit, groups in units:
        for group in GROUPS:
            for name, value in _rows(groups[group]):
                writer.writerow([unit, group_label(group), name,
                                 *_cells(value, threshold, language)])  # fmt: skip
    return buffer.getvalue()


def _brief(value: int | Share | Stat, language: str) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Share):
        if not value.of:
            return "–"
        return f"{value.count}/{value.of} ({_number(value.percent, language)} %)"
    if not value.cases:
        return "–"
    mean, middle = _number(value.mean, language), _number(value.median, language)
    return _("mean {mean}, median {median} (n={n})").format(mean=mean, median=middle,
                                                             n=value.cases)  # fmt: skip


def stats_text(unit: str, groups: dict[str, Evaluation], language: str) -> str:
    """/stats: each figure in total, then for women and men (other, if any)."""
    shown = [g for g in GROUPS if g != "other" or groups["other"].cases]
    lines = [_("📊 <b>Evaluation figures of {unit}</b>, since the start").format(unit=unit)]
    named = [_rows(groups[g]) for g in shown]
    for index, (name, _value) in enumerate(named[0]):
        parts = [f"{group_label(g)} {_brief(rows[index][1], language)}"
                 for g, rows in zip(shown, named, strict=True)]  # fmt: skip
        lines.append(f"• {name}: " + " · ".join(parts))
    lines.append(_("The workbook: /report. The same figures as a file: python -m bot report "
                   "evaluation."))  # fmt: skip
    return "\n".join(lines)
