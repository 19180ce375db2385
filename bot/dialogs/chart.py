"""The wellbeing trend as a PNG: scores over time against the form's bands, for the staff
chat (/chart), the patient (My answers) and the PDF export.

Drawn with matplotlib's object API (a Figure of its own, no pyplot state), so it may run in
a worker thread: `wellbeing_chart` keeps the event loop free while it draws."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.content.schema import Form
from bot.domain.scoring import shown

BAND_COLOURS = ("#f4c7c3", "#fce8b2", "#d9ead3")


def wellbeing_png(
    form: Form, series: Sequence[tuple[datetime, float]], tz: ZoneInfo, language: str, title: str
) -> bytes:
    # Imported here: matplotlib takes a second to load, and only charts need it.
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 3.6), dpi=110)
    FigureCanvasAgg(figure)  # no screen on a server
    axes = figure.subplots()
    low = 0.0
    bands = form.scoring.bands if form.scoring else ()
    for colour, band in zip(BAND_COLOURS, bands, strict=False):
        high = float(band.below) if band.below is not None else 100.0
        axes.axhspan(low, high, color=colour, alpha=0.6, linewidth=0)
        axes.text(
            0.01,
            (low + high) / 2,
            band.label(language),
            transform=axes.get_yaxis_transform(),
            va="center",
            fontsize=8,
            color="#555555",
        )
        low = high
    times = [mdates.date2num(m.astimezone(tz)) for m, _s in series]  # type: ignore[no-untyped-call]
    scores = [score for _moment, score in series]
    axes.plot(times, scores, marker="o", color="#1a5fb4", linewidth=2)
    for moment, score in zip(times, scores, strict=True):
        axes.annotate(
            shown(score),
            (moment, score),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    axes.set_ylim(0, 100)
    axes.set_title(title, fontsize=11)
    formatter = mdates.DateFormatter("%Y-%m-%d", tz=tz)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    figure.autofmt_xdate()
    axes.grid(axis="y", alpha=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


async def wellbeing_chart(
    form: Form, series: Sequence[tuple[datetime, float]], tz: ZoneInfo, language: str, title: str
) -> bytes:
    """The same PNG, drawn in a worker thread (a chart takes a tenth of a second or more)."""
    return await asyncio.to_thread(wellbeing_png, form, series, tz, language, title)
