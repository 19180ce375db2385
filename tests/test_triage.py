"""The triage: concepts that generalise, cues that lower by one step, and its figures on
every part of the labelled set (the held-out part only guarded, never tuned on)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.__main__ import LABELLED_PARTS, main
from bot.domain.triage import RULES_FILE, Level, Triage, classify, default_triage
from bot.domain.triage_eval import Labelled, evaluate, load

DATA = Path(__file__).parent / "data"
TUNING, HELDOUT = DATA / "triage" / "tuning.yaml", DATA / "triage" / "heldout.yaml"
UNSEEN = [DATA / "triage" / f"{name}.yaml" for name in ("unseen", "unseen2", "unseen3")]


def count(labelled: Labelled) -> int:
    return sum(len(messages) for languages in labelled.values() for messages in languages.values())


def test_the_set_is_big_enough_with_a_held_out_part_in_both_languages() -> None:
    tuning, heldout = load(TUNING), load(HELDOUT)
    unseen = [load(path) for path in UNSEEN]
    assert count(tuning) + count(heldout) >= 600 and count(heldout) >= 200
    parts = ((tuning, 20), (heldout, 20), (unseen[0], 10), (unseen[1], 5), (unseen[2], 10))
    for part, least in parts:
        for label in ("acute", "urgent", "ordinary"):
            assert len(part[label]["sv"]) >= least and len(part[label]["en"]) >= least
    tuned = {m for langs in tuning.values() for ms in langs.values() for m in ms}
    for part in (heldout, *unseen):
        assert not tuned & {m for langs in part.values() for ms in langs.values() for m in ms}


def test_the_tuning_part_meets_the_targets() -> None:
    report = evaluate(default_triage(), load(TUNING), "tuning")
    assert report.acute_caught >= 0.98 and report.acute_at_once >= 0.9
    assert report.false_alarms <= 0.1 and report.urgent_caught >= 0.9


@pytest.mark.parametrize(
    ("path", "caught", "at_once", "false_alarms"),
    [
        (HELDOUT, 0.98, 0.95, 0.10),
        (UNSEEN[0], 0.85, 0.80, 0.20),
        (UNSEEN[1], 0.75, 0.65, 0.17),
        (UNSEEN[2], 0.80, 0.65, 0.20),
    ],
)
def test_the_held_out_parts_do_not_fall_below_their_figures(
    path: Path, caught: float, at_once: float, false_alarms: float
) -> None:
    """A guard against a change that breaks generalisation, not a target to tune on: only
    the figures are compared, so a failure never shows which messages were missed."""
    report = evaluate(default_triage(), load(path), path.stem)
    figures = (report.acute_caught, report.acute_at_once, report.false_alarms)
    assert figures[0] >= caught and figures[1] >= at_once and figures[2] <= false_alarms, (
        f"{path.stem}: caught, at once, false alarms = {figures}"
    )


def test_a_weakened_vocabulary_fails_the_evaluation() -> None:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["rules"] = [rule for rule in data["rules"] if rule["level"] != "acute"]
    report = evaluate(Triage(data), load(TUNING), "weakened")
    assert report.acute_at_once == 0.0 and report.acute_caught < 0.5


@pytest.mark.parametrize(
    "text",
    [
        "villinteleva",  # run together
        "iwanttodie",
        "självmors tankar",  # misspelt
        "sjalvmordstankar",  # without å/ä/ö
        "jag ville att jag var död",  # inflected
        "I wished I had died",
        "vill bara dööö",  # text-message lengthening
        "everyone would be happier if I was gone",  # burden, never listed as a sentence
        "har gömt undan en massa tabletter",  # means gathered
        "svalde typ trettio piller",  # an overdose taken
    ],
)
def test_new_phrasings_of_known_ideas_are_acute(text: str) -> None:
    assert classify(text).level == Level.ACUTE, classify(text)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I'm not suicidal, just exhausted", Level.POSSIBLE),  # a denial: asked, not silent
        ("jag vill inte dö", Level.POSSIBLE),
        ("for ten years ago I wanted to die", Level.POSSIBLE),
        ("read an article about suicide prevention", Level.ORDINARY),  # topic, and news
        ("min kollega tog livet av sig", Level.ORDINARY),  # someone else's
    ],
)
def test_cues_lower_by_one_step_never_more(text: str, level: Level) -> None:
    assert classify(text).level == level, classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to go back to work",
        "Jag dör av längtan efter jobbet",
        "My back is killing me",
        "det här formuläret tar livet av mig",
        "jag har tagit min medicin som vanligt",
        "vi gick över bron på promenaden",
    ],
)
def test_everyday_phrasings_are_not_alarms(text: str) -> None:
    assert classify(text).level == Level.ORDINARY, classify(text)


@pytest.mark.parametrize(
    "text",
    ["min medicin tar slut imorgon", "my sick note runs out on friday", "jag har fått sparken"],
)
def test_urgent_needs_are_urgent(text: str) -> None:
    assert classify(text).level == Level.URGENT, classify(text)


def test_the_reason_names_the_rule_and_the_cue() -> None:
    assert classify("I don't want to die").reason == "wish-death (lowered: negation)"


def test_the_evaluate_command_prints_every_part_held_out_ones_last(capsys) -> None:
    assert main(["triage", "evaluate"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-len(LABELLED_PARTS) :]
    assert [line.split(":")[0] for line in last] == [
        "triage_set",
        "tuning",
        "heldout",
        "unseen",
        "unseen2",
        "unseen3",
    ]
    assert all("acute_caught=" in line and "false_alarms=" in line for line in last)
