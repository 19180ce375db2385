"""Scoring of the validated instruments, exactly as INSTRUMENTS.md gives it.

The numbers (scales, reversals, tables, bands) are data in the form files; this module holds
only the formulas, so the chat, `python -m bot score` and the tests share one implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.content.schema import Band, Form, Scoring
from bot.domain.answers import NOT_APPLICABLE, AnswerError, check_choice


class ScoringError(ValueError):
    """An incomplete or invalid set of answers; the message lists every item at fault."""


@dataclass(frozen=True)
class ScoreResult:
    score: float | None
    category: str | None
    subscales: dict[str, float | None] = field(default_factory=dict)
    dimensions: dict[str, float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"score": self.score, "category": self.category}
        if self.subscales:
            result["subscales"] = self.subscales
        if self.dimensions:
            result["dimensions"] = self.dimensions
        if self.flags:
            result["flags"] = list(self.flags)
        return result


def checked_answers(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """Every scored item answered and valid (our missing-answer rule), or a ScoringError."""
    problems: list[str] = []
    cleaned: dict[str, Any] = {}
    unknown = sorted(set(answers) - {item.id for item in form.items})
    if unknown:
        problems.append(f"unknown items: {', '.join(unknown)}")
    for item in form.items:
        if item.id not in answers or answers[item.id] is None:
            if item.required:
                problems.append(f"{item.id}: missing")
            continue
        try:
            cleaned[item.id] = check_choice(item, answers[item.id])
        except AnswerError as error:
            problems.append(f"{item.id}: {_describe(error, item.min, item.max)}")
    if problems:
        raise ScoringError("; ".join(problems))
    return cleaned


def _describe(error: AnswerError, low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{error.problem.value} (expected a whole number {low}-{high})"
    return error.problem.value


def band_for(bands: tuple[Band, ...], total: float) -> Band | None:
    return next((b for b in bands if b.below is None or total < b.below), None)


def shown(value: float) -> str:
    """A score as people read it: one decimal at most (scores are stored unrounded)."""
    return f"{round(value, 1):g}"


def _exact(value: float) -> float:
    """Whole numbers stay whole (60, not 60.0); nothing is rounded."""
    return int(value) if float(value).is_integer() else value


def needs_attention(result: dict[str, Any] | None) -> bool:
    """A score the coordinator must hear of and the patient is shown the clinic for: a band
    the content flags, or a single item at or below the content's item limit (WHO-5: any
    item at 0 or 1, INSTRUMENTS.md). One rule for the patient's screen and the staff flag."""
    return bool(result and result.get("flags"))


def _points(scoring: Scoring, item_id: str, value: Any) -> float:
    if item_id in scoring.tables:
        return scoring.tables[item_id][str(value)]
    if item_id in scoring.reverse:
        return float(scoring.reverse[item_id] - value)
    return float(value)


def _sum(form: Form, answers: dict[str, Any]) -> tuple[float, dict[str, float | None]]:
    scoring = form.scoring
    assert scoring is not None
    total = sum(_points(scoring, item.id, answers[item.id]) for item in form.items)
    return total * scoring.multiplier, {}


def _mean_of(scoring: Scoring, values: list[Any]) -> float | None:
    applicable = [value for value in values if value != NOT_APPLICABLE]
    if not applicable:
        return None
    return _exact(sum(applicable) / len(applicable) * scoring.multiplier)


def _mean(form: Form, answers: dict[str, Any]) -> tuple[float | None, dict[str, float | None]]:
    scoring = form.scoring
    assert scoring is not None
    subscales = {
        name: _mean_of(scoring, [answers[item] for item in items])
        for name, items in scoring.subscales.items()
    }
    return _mean_of(scoring, [answers[item.id] for item in form.items]), subscales


def _step_points(steps: list[list[float]], value: float) -> float:
    """Points from a table of [upper bound, points] rows, the first bound not exceeded."""
    for upper, points in steps:
        if value <= upper:
            return points
    raise ScoringError(f"{value} is beyond the scoring table")


def wai_dimensions(scoring: Scoring, answers: dict[str, Any]) -> dict[str, float]:
    params = scoring.params
    physical, mental = params["work_type_weights"][answers["work_type"]]
    resources = answers["wai7a"] + answers["wai7b"] + answers["wai7c"]
    return {
        "wai1": answers["wai1"],
        "wai2": physical * answers["wai2_physical"] + mental * answers["wai2_mental"],
        "wai3": _step_points(params["disease_points"], answers["wai3_diseases_physician"]),
        "wai4": answers["wai4"],
        "wai5": _step_points(params["sick_day_points"], answers["wai5_sick_days"]),
        "wai6": scoring.tables["wai6"][answers["wai6"]],
        "wai7": _step_points(params["mental_resource_points"], resources),
    }


def score(form: Form, answers: dict[str, Any]) -> ScoreResult:
    scoring = form.scoring
    if scoring is None:
        raise ScoringError(f"form {form.id!r} is not scored")
    values = checked_answers(form, answers)
    dimensions: dict[str, float] = {}
    total: float | None
    if scoring.method == "wai":
        dimensions = {k: _exact(v) for k, v in wai_dimensions(scoring, values).items()}
        total, subscales = sum(dimensions.values()), dict[str, float | None]()
    elif scoring.method == "mean":
        total, subscales = _mean(form, values)
    else:
        total, subscales = _sum(form, values)
    band = band_for(scoring.bands, total) if total is not None else None
    flags: list[str] = []
    if band and band.flag:
        flags.append(band.category)
    if scoring.item_flag_at_or_below is not None:
        flags += [
            f"low_item:{item_id}"
            for item_id, value in values.items()
            if value != NOT_APPLICABLE and value <= scoring.item_flag_at_or_below
        ]
    return ScoreResult(
        score=None if total is None else _exact(total),
        category=band.category if band else None,
        subscales=subscales,
        dimensions=dimensions,
        flags=tuple(flags),
    )


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    STEADY = "steady"
    FIRST = "first"


def trend(scores: list[float], meaningful_change: float | None) -> Trend:
    """The last score against the one before: a change counts only from `meaningful_change`
    (WHO-5: 10 points), so noise is not shown as a trend."""
    if len(scores) < 2:
        return Trend.FIRST
    change = scores[-1] - scores[-2]
    threshold = meaningful_change or 0.0
    if abs(change) < threshold or change == 0:
        return Trend.STEADY
    return Trend.UP if change > 0 else Trend.DOWN
