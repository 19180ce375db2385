"""The learned second opinion: it hears what no rule names, it only ever raises a verdict,
it leaves alone what a cue has lowered, and the shipped weights are in date with the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import TRAINING_PARTS
from bot.domain.second_opinion import MODEL_FILE, SecondOpinion
from bot.domain.triage import Level, Triage, default_triage, rules_data
from bot.domain.triage_eval import load
from bot.domain.triage_training import digest, train

DATA = Path(__file__).parent / "data"


def rules_only() -> Triage:
    return Triage(rules_data())


def test_the_shipped_weights_were_trained_on_todays_vocabulary_and_data() -> None:
    model = SecondOpinion.load()
    assert model is not None, f"{MODEL_FILE} is missing: python -m bot triage train"
    assert model.trained_on == digest(TRAINING_PARTS), "retrain: python -m bot triage train"
    assert 0 < model.threshold <= model.acute_threshold < 1


@pytest.mark.parametrize("text", ["I have a plan", "idk why im even here anymore"])
def test_it_hears_what_no_rule_names_and_says_why(text: str) -> None:
    assert rules_only().classify(text, "en").level == Level.ORDINARY
    verdict = default_triage().classify(text, "en")
    assert verdict.level in (Level.POSSIBLE, Level.ACUTE)
    assert verdict.reason.startswith("learned: ") and len(verdict.reason) > len("learned: ")


def test_it_never_lowers_a_verdict() -> None:
    rules, both = rules_only(), default_triage()
    for by_language in load(DATA / "triage_set.yaml").values():
        for language, messages in by_language.items():
            for text in messages:
                alone = rules.classify(text, language).level
                assert both.classify(text, language).level.rank >= alone.rank, text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I'm not suicidal, just exhausted", Level.POSSIBLE),
        ("read an article about suicide prevention", Level.ORDINARY),
    ],
)
def test_what_a_cue_lowered_stays_lowered(text: str, level: Level) -> None:
    assert default_triage().classify(text, "en").level == level


def test_training_is_repeatable_and_its_file_reads_back(tmp_path: Path) -> None:
    parts = [DATA / "triage_set.yaml"]
    first, second = train(rules_only(), parts), train(rules_only(), parts)
    assert first == second
    saved = tmp_path / "model.json"
    saved.write_text(first.to_json(), encoding="utf-8")
    assert SecondOpinion.load(saved) == first
