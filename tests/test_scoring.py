"""Scoring against the published bands and boundaries, through the code the bot uses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.content import Catalog
from bot.domain.scoring import ScoringError, score


def who5(catalog: Catalog, *values: int):
    return score(catalog.instrument("WHO-5"), {f"q{n}": v for n, v in enumerate(values, 1)})


@pytest.mark.parametrize(
    ("values", "expected", "category"),
    [
        ((0, 0, 0, 0, 0), 0, "depression_likely"),
        ((2, 2, 1, 1, 1), 28, "depression_likely"),
        ((2, 2, 2, 1, 1), 32, "low_wellbeing"),
        ((3, 3, 2, 2, 2), 48, "low_wellbeing"),
        ((3, 3, 3, 2, 2), 52, "adequate"),
        ((5, 5, 5, 5, 5), 100, "adequate"),
    ],
)
def test_who5_bands(catalog: Catalog, values, expected, category) -> None:
    result = who5(catalog, *values)
    assert (result.score, result.category) == (expected, category)


def test_who5_flags_single_low_items(catalog: Catalog) -> None:
    assert who5(catalog, 5, 5, 1, 5, 5).flags == ("low_item:q3",)
    assert "depression_likely" in who5(catalog, 0, 0, 0, 0, 0).flags
    assert who5(catalog, 5, 5, 2, 5, 5).flags == ()


WAI_BASE = {
    "wai1": 5,
    "work_type": "both",
    "wai2_physical": 3,
    "wai2_mental": 3,
    "wai3_diseases_physician": 1,
    "wai4": 4,
    "wai5_sick_days": 30,
    "wai6": "not_certain",
    "wai7a": 2,
    "wai7b": 2,
    "wai7c": 2,
}  # 5 + 6 + 5 + 4 + 2 + 4 + 2 = 28


def wai(catalog: Catalog, **changes):
    return score(catalog.instrument("WAI"), {**WAI_BASE, **changes})


def test_wai_total_and_bands(catalog: Catalog) -> None:
    assert (wai(catalog).score, wai(catalog).category) == (28, "moderate")
    assert (wai(catalog, wai1=4).score, wai(catalog, wai1=4).category) == (27, "poor")
    # mainly mental: 0.5 x 3 + 1.5 x 4 = 7.5; the rest 5 + 4 + 2 + 4 + 2 = 17
    half = wai(catalog, wai1=3, work_type="mental", wai2_physical=3, wai2_mental=4)
    assert (half.score, half.category) == (27.5, "poor")
    above = wai(catalog, wai1=4, work_type="mental", wai2_physical=3, wai2_mental=4)
    assert (above.score, above.category) == (28.5, "moderate")


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (7, "poor"),
        (27.5, "poor"),
        (28, "moderate"),
        (36.5, "moderate"),
        (37, "good"),
        (43.5, "good"),
        (44, "excellent"),
        (49, "excellent"),
    ],
)
def test_wai_band_boundaries(catalog: Catalog, total, category) -> None:
    from bot.domain.scoring import band_for

    scoring = catalog.instrument("WAI").scoring
    assert scoring is not None
    band = band_for(scoring.bands, total)
    assert band is not None and band.category == category


def test_wai_extremes_and_dimension_tables(catalog: Catalog) -> None:
    worst = wai(
        catalog,
        wai1=0,
        work_type="physical",
        wai2_physical=1,
        wai2_mental=1,
        wai3_diseases_physician=7,
        wai4=1,
        wai5_sick_days=200,
        wai6="unlikely",
        wai7a=0,
        wai7b=0,
        wai7c=0,
    )
    # 0 + (1.5 + 0.5) + 1 + 1 + 1 + 1 + 1 = 7
    assert (worst.score, worst.category) == (7, "poor")
    best = wai(
        catalog,
        wai1=10,
        wai2_physical=5,
        wai2_mental=5,
        wai3_diseases_physician=0,
        wai4=6,
        wai5_sick_days=0,
        wai6="relatively_certain",
        wai7a=4,
        wai7b=4,
        wai7c=4,
    )
    assert (best.score, best.category) == (49, "excellent")
    mental = wai(catalog, work_type="mental", wai2_physical=2, wai2_mental=5)
    assert mental.dimensions["wai2"] == 0.5 * 2 + 1.5 * 5
    for count, points in [(0, 7), (1, 5), (2, 4), (3, 3), (4, 2), (5, 1), (12, 1)]:
        assert wai(catalog, wai3_diseases_physician=count).dimensions["wai3"] == points
    for days, points in [(0, 5), (9, 4), (10, 3), (24, 3), (25, 2), (99, 2), (100, 1), (365, 1)]:
        assert wai(catalog, wai5_sick_days=days).dimensions["wai5"] == points
    for each, points in [(1, 1), (2, 2), (3, 3), (4, 4)]:  # sums 3, 6, 9, 12
        assert wai(catalog, wai7a=each, wai7b=each, wai7c=each).dimensions["wai7"] == points


def wrfq(catalog: Catalog, default, **changes):
    answers = {f"w{n}": default for n in range(1, 28)}
    return score(catalog.instrument("WRFQ"), {**answers, **changes})


def test_wrfq_mean_times_25_and_subscales(catalog: Catalog) -> None:
    assert wrfq(catalog, 4).score == 100
    assert wrfq(catalog, 0).score == 0
    physical_na = wrfq(catalog, 2, w11="NA", w12="NA", w13="NA", w14="NA", w15="NA")
    assert physical_na.subscales["PD"] is None
    assert physical_na.score == 50 and physical_na.subscales["WSOD"] == 50
    mixed = wrfq(catalog, 4, w1=0)
    assert mixed.subscales["WSOD"] == 90  # (0 + 9 x 4) / 10 x 25
    assert mixed.category is None


def test_keds_and_orebro_cutoffs(catalog: Catalog) -> None:
    keds = catalog.instrument("KEDS")
    at_18 = {f"k{n}": 2 for n in range(1, 10)}
    assert score(keds, at_18).category == "below_cutoff"
    assert score(keds, {**at_18, "k1": 3}).as_dict() == {
        "score": 19,
        "category": "at_or_above_cutoff",
        "flags": ["at_or_above_cutoff"],
    }
    orebro = catalog.instrument("OREBRO-SF")
    answers = {
        "o1": 5,
        "o2": 5,
        "o3": 5,
        "o4": 5,
        "o5": 5,
        "o6": 5,
        "o7": 5,
        "o8": 5,
        "o9": 4,
        "o10": 5,
    }  # 5 + 4 + 5 + 5 + 5 + 5 + 5 + 5 + 4 + 5 (o3, o4, o8 reversed)
    assert score(orebro, answers).score == 49
    assert score(orebro, answers).category == "below_cutoff"
    assert score(orebro, {**answers, "o9": 5}).category == "high_risk"
    assert score(orebro, {**answers, "o3": 10}).score == 44  # reversed: 10 - 10


def test_incomplete_or_invalid_answers_are_refused(catalog: Catalog) -> None:
    form = catalog.instrument("WHO-5")
    with pytest.raises(ScoringError, match="q5: missing"):
        score(form, {"q1": 1, "q2": 1, "q3": 1, "q4": 1})
    with pytest.raises(ScoringError, match="q1: out_of_range"):
        score(form, {"q1": 9, "q2": 1, "q3": 1, "q4": 1, "q5": 1})
    with pytest.raises(ScoringError, match="unknown items: q6"):
        score(form, {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1})


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, check=False
    )


def test_score_command_prints_json_and_fails_clearly(catalog: Catalog) -> None:
    done = run_cli("score", "WHO-5", json.dumps({"q1": 3, "q2": 3, "q3": 3, "q4": 2, "q5": 2}))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"score": 52, "category": "adequate"}
    wai_done = run_cli("score", "wai", json.dumps(WAI_BASE))
    assert json.loads(wai_done.stdout)["category"] == "moderate"
    incomplete = run_cli("score", "WHO-5", '{"q1": 3}')
    assert incomplete.returncode != 0 and "q2: missing" in incomplete.stderr
    assert run_cli("score", "KASAM", "{}").returncode != 0
    assert run_cli("score", "WHO-5", "not json").returncode != 0
