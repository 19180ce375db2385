"""The triage on the labelled set: no acute message may be missed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.domain.triage import Level, Rules, classify, default_rules, evaluate

LABELLED = Path(__file__).parent / "data" / "triage_set.yaml"


@pytest.fixture(scope="module")
def labelled() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    return data


def test_the_set_is_big_enough_in_both_languages(labelled) -> None:
    assert sum(len(m) for langs in labelled.values() for m in langs.values()) >= 150
    for label in ("acute", "urgent", "ordinary"):
        assert len(labelled[label]["sv"]) >= 15 and len(labelled[label]["en"]) >= 15


def test_every_acute_message_is_caught_and_false_alarms_stay_rare(labelled) -> None:
    report = evaluate(default_rules(), labelled)
    missed = [text for label, verdict, text in report.misses if label == Level.ACUTE]
    assert missed == []
    assert report.acute_recall == 1.0
    assert report.false_alarm_rate < 0.05


@pytest.mark.parametrize(
    "text",
    ["I'm dying to go back to work", "Jag dör av längtan efter jobbet", "My back is killing me"],
)
def test_everyday_phrasings_are_not_alarms(text: str) -> None:
    assert classify(text).level == Level.ORDINARY


@pytest.mark.parametrize("text", ["självmors tankar", "SJALVMORD", "feeling sucidal", "kms"])
def test_misspellings_and_folded_letters_are_caught(text: str) -> None:
    assert classify(text).level == Level.ACUTE


def test_a_rule_set_that_misses_an_acute_message_fails_the_evaluation(labelled) -> None:
    weakened = Rules.from_data({"acute": ["suicid*"], "urgent": [], "not_alarming": []})
    assert evaluate(weakened, labelled).acute_recall < 1.0


def test_the_evaluate_command_prints_the_figures(capsys) -> None:
    assert main(["triage", "evaluate", str(LABELLED)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "acute_recall=100.0%" in last and "false_alarm_rate=" in last
