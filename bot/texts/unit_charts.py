"""The unit's charts (/stats and the workbook's chart sheet): cases per month, wellbeing at
the start and at the end, and WAI bands at the start and at the end, each with one series per
sex. A chart is first described (`Chart`, plain data the tests read), then drawn by one
renderer with matplotlib's object API (no pyplot state, so it may run in a worker thread).

With a threshold (anything that leaves the staff chat), a count under it is left out of the
bars, and a sex with fewer cases than it gets no series; the chart's note says so."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiogram.utils.i18n import gettext as _

from bot.domain.caselog import SEXES, CaseEntry, CaseStatus, Pair
from bot.domain.evaluation import per_month
from bot.texts.caselog import sex_label

SEX_COLOURS = {"female": "#c061cb", "male": "#1a5fb4", "other": "#e5a50a"}


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]
    colour: str = "#555555"


@dataclass(frozen=True)
class Panel:
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bars"  # or "lines" (the same cases at two moments)
    top: float | None = None


@dataclass(frozen=True)
class Chart:
    title: str
    panels: list[Panel]
    note: str = ""
    empty: bool = field(default=False)


def _shown(count: int, threshold: int) -> float:
    return 0.0 if 0 < count < threshold else float(count)


def _hidden_note(threshold: int) -> str:
    return _("Counts under {n} are not shown.").format(n=threshold) if threshold > 1 else ""


def _sexes(entries: Sequence[CaseEntry]) -> list[str]:
    """The sexes with any case (women and men always, "other" only when it occurs)."""
    return [s for s in SEXES if s != "other" or any(e.sex == s for e in entries)]


def cases_per_month(entries: Sequence[CaseEntry], threshold: int = 1) -> Chart:
    counted = per_month(entries)
    panels = []
    for title, which in ((_("Accepted"), "accepted"), (_("Declined"), "declined"),
                         (_("Finished"), "finished")):  # fmt: skip
        series = [
            Series(
                sex_label(sex),
                [_shown(getattr(c, which), threshold) for c in counted.counts[sex]],
                SEX_COLOURS[sex],
            )
            for sex in _sexes(entries)
        ]
        panels.append(Panel(title, counted.months, series))
    return Chart(_("Cases per month"), panels, _hidden_note(threshold), not counted.months)


def _paired(entries: Sequence[CaseEntry], pick: str) -> dict[str, list[Pair]]:
    """The cases measured at least twice, by sex."""
    pairs: dict[str, list[Pair]] = {}
    for e in entries:
        measure: Pair = getattr(e.outcome, pick)
        if e.status == CaseStatus.ACCEPTED and measure.change is not None and e.sex:
            pairs.setdefault(e.sex, []).append(measure)
    return pairs


def wellbeing_start_and_end(entries: Sequence[CaseEntry], threshold: int = 1) -> Chart:
    """The mean WHO-5 at the first and the last measurement, one line per sex (n cases)."""
    moments = [_("First measurement"), _("Last measurement")]
    series = []
    for sex, pairs in sorted(_paired(entries, "who5").items(), key=lambda kv: SEXES.index(kv[0])):
        if len(pairs) < threshold:
            continue
        first = sum(p.first or 0 for p in pairs) / len(pairs)
        last = sum(p.last or 0 for p in pairs) / len(pairs)
        label = f"{sex_label(sex)} (n={len(pairs)})"
        series.append(Series(label, [first, last], SEX_COLOURS[sex]))
    note = _("Groups under {n} cases are not shown.").format(n=threshold) if threshold > 1 else ""
    panel = Panel(_("WHO-5, mean (0–100)"), moments, series, kind="lines", top=100)
    return Chart(_("Wellbeing at the start and at the end"), [panel], note, not series)


def _in_bands(
    pairs: Sequence[Pair], pick: str, bands: Sequence[tuple[str, str]], threshold: int
) -> list[float]:
    return [
        _shown(sum(1 for p in pairs if getattr(p, pick) == category), threshold)
        for category, _label in bands
    ]


def wai_bands_start_and_end(
    entries: Sequence[CaseEntry], bands: Sequence[tuple[str, str]], threshold: int = 1
) -> Chart:
    """How many cases were in each WAI band at the first and the last measurement; a panel
    per sex. `bands`: (category, label) in order."""
    panels = []
    for sex, pairs in sorted(_paired(entries, "wai").items(), key=lambda kv: SEXES.index(kv[0])):
        if len(pairs) < threshold:
            continue
        series = [
            Series(_("First measurement"), _in_bands(pairs, "first_band", bands, threshold),
                   "#99c1f1"),
            Series(_("Last measurement"), _in_bands(pairs, "last_band", bands, threshold),
                   "#1a5fb4"),
        ]  # fmt: skip
        title = f"{sex_label(sex)} (n={len(pairs)})"
        panels.append(Panel(title, [label for _c, label in bands], series))
    return Chart(
        _("Work ability (WAI) at the start and at the end"), panels, _hidden_note(threshold),
        not panels,
    )  # fmt: skip


def render(chart: Chart) -> bytes:
    """The chart as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = max(1, len(chart.panels))
    figure = Figure(figsize=(7.6, 2.4 * count + 0.7), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes_list = figure.subplots(count, 1, squeeze=False)[:, 0]
    for axes, panel in zip(axes_list, chart.panels, strict=False):
        _draw(axes, panel)
    if not chart.panels:
        axes_list[0].text(0.5, 0.5, _("No cases yet."), ha="center", va="center")
        axes_list[0].set_axis_off()
    figure.suptitle(chart.title, fontsize=12)
    if chart.note:
        figure.supxlabel(chart.note, fontsize=8, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _draw(axes: object, panel: Panel) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    assert isinstance(axes, Axes)
    positions = list(range(len(panel.categories)))
    if panel.kind == "lines":
        for series in panel.series:
            axes.plot(positions, series.values, marker="o", linewidth=2, label=series.label,
                      color=series.colour)  # fmt: skip
            for x, y in zip(positions, series.values, strict=False):
                axes.annotate(f"{y:.0f}", (x, y), textcoords="offset points", xytext=(0, 6),
                              ha="center", fontsize=8)  # fmt: skip
        axes.set_xlim(-0.4, len(positions) - 0.6)
    else:
        width = 0.8 / max(1, len(panel.series))
        for index, series in enumerate(panel.series):
            offset = (index - (len(panel.series) - 1) / 2) * width
            axes.bar([p + offset for p in positions], series.values, width, label=series.label,
                     color=series.colour)  # fmt: skip
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(positions, panel.categories, fontsize=8)
    if panel.top is not None:
        axes.set_ylim(0, panel.top)
    axes.set_title(panel.title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    if panel.series:
        axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
