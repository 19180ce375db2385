"""A learned second opinion beside the triage's rules: it may only raise an ordinary verdict
to "possible" (the direct question), never lower one.

Rules catch the ideas they were written for; a patient's own words often carry the same
idea in a form no rule names ("nobody would miss me", "this is goodbye"). A logistic
regression over the same readings the rules use (lemmas and stems, their neighbours, the
concepts found and which of them stand together) weighs every such word by the labelled
messages. Its weights are data (bot/content/triage_model.json), trained offline by
`python -m bot triage train` (bot/domain/triage_training.py), so the bot itself only adds
up numbers, and the reason it gives names the words that weighed most.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.domain.language import Reading
from bot.domain.triage_levels import Level

MODEL_FILE = Path(__file__).parent.parent / "content" / "triage_model.json"


class Readable(Protocol):
    """What a clause gives the second opinion (bot/domain/triage.Clause)."""

    readings: list[Reading]

    def names(self) -> list[str]: ...


def canonical(reading: Reading) -> str:
    """One form per word, the same for all its inflections: its shortest form, folded."""
    shortest = min(reading.folded, key=lambda form: (len(form), form), default=reading.typed)
    return shortest.lower()


def features(clauses: Iterable[Readable]) -> set[str]:
    """The words (w:), neighbouring pairs (b:), concepts (c:) and pairs of concepts in one
    clause (cc:) of a message: the same for training and for use."""
    found: set[str] = set()
    for clause in clauses:
        words = [canonical(reading) for reading in clause.readings]
        found.update(f"w:{word}" for word in words)
        found.update(f"b:{a}_{b}" for a, b in itertools.pairwise(words))
        names = sorted(clause.names())
        found.update(f"c:{name}" for name in names)
        found.update(f"cc:{a}+{b}" for i, a in enumerate(names) for b in names[i + 1 :])
    return found


@dataclass(frozen=True)
class Opinion:
    probability: float
    level: Level  # possible at the threshold (ask), acute at the acute threshold
    weightiest: tuple[str, ...]  # the features that counted most for risk, for the reason

    @property
    def reason(self) -> str:
        return "learned: " + ", ".join(self.weightiest)


@dataclass(frozen=True)
class SecondOpinion:
    weights: dict[str, float]
    bias: float
    threshold: float  # from here the patient is asked (possible)
    acute_threshold: float  # from here the 112 answer goes at once
    trained_on: str = ""  # a digest of the data and vocabulary it was trained on

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SecondOpinion | None:
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            data["weights"],
            data["bias"],
            data["threshold"],
            data["acute_threshold"],
            data["trained_on"],
        )

    def judge(self, found: set[str]) -> Opinion:
        counted = {name: self.weights[name] for name in found if name in self.weights}
        score = self.bias + sum(counted.values())
        probability = 1 / (1 + math.exp(-score))
        weightiest = sorted((n for n, w in counted.items() if w > 0), key=lambda n: -counted[n])
        level = Level.ORDINARY
        if probability >= self.acute_threshold:
            level = Level.ACUTE
        elif probability >= self.threshold:
            level = Level.POSSIBLE
        return Opinion(probability, level, tuple(weightiest[:3]))

    def to_json(self) -> str:
        data = {
            "trained_on": self.trained_on,
            "threshold": self.threshold,
            "acute_threshold": self.acute_threshold,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=0) + "\n"
