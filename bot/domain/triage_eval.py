"""The triage against labelled messages: the figures that say whether it can be trusted.

Labels are what a coordinator would want (acute, urgent, ordinary); verdicts have a fourth
level, possible, which asks the patient directly. Per part of the labelled set:
- acute caught: acute messages answered as acute or possible (asked);
- acute at once: acute messages given the 112 answer straight away;
- false alarms: ordinary messages flagged acute, possible or urgent;
- urgent caught: urgent messages flagged urgent or higher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.domain.triage import Level, Triage

Labelled = dict[str, dict[str, list[str]]]  # {label: {language: [message, ...]}}


@dataclass
class Evaluation:
    name: str
    counts: dict[tuple[Level, Level], int] = field(default_factory=dict)
    misses: list[tuple[Level, Level, str, str]] = field(default_factory=list)

    def add(self, label: Level, verdict: Level, text: str, reason: str) -> None:
        self.counts[label, verdict] = self.counts.get((label, verdict), 0) + 1
        if (label == Level.ORDINARY) != (verdict == Level.ORDINARY) or (
            label == Level.ACUTE and verdict != Level.ACUTE
        ):
            self.misses.append((label, verdict, text, reason))

    def total(self, label: Level) -> int:
        return sum(n for (lab, _v), n in self.counts.items() if lab == label)

    def share(self, label: Level, verdicts: set[Level]) -> float:
        hits = sum(n for (lab, v), n in self.counts.items() if lab == label and v in verdicts)
        return hits / self.total(label) if self.total(label) else 0.0

    @property
    def acute_caught(self) -> float:
        return self.share(Level.ACUTE, {Level.ACUTE, Level.POSSIBLE})

    @property
    def acute_at_once(self) -> float:
        return self.share(Level.ACUTE, {Level.ACUTE})

    @property
    def false_alarms(self) -> float:
        return self.share(Level.ORDINARY, {Level.URGENT, Level.POSSIBLE, Level.ACUTE})

    @property
    def urgent_caught(self) -> float:
        return self.share(Level.URGENT, {Level.URGENT, Level.POSSIBLE, Level.ACUTE})

    def summary(self) -> str:
        messages = sum(self.counts.values())
        return (
            f"{self.name}: messages={messages} acute_caught={self.acute_caught:.1%} "
            f"acute_at_once={self.acute_at_once:.1%} false_alarms={self.false_alarms:.1%} "
            f"urgent_caught={self.urgent_caught:.1%}"
        )

    def lines(self, show_misses: bool = True) -> list[str]:
        verdicts = list(Level)
        out = [f"== {self.name}", "label \\ verdict " + "".join(f"{v:>10}" for v in verdicts)]
        for label in (Level.ACUTE, Level.URGENT, Level.ORDINARY):
            row = "".join(f"{self.counts.get((label, v), 0):>10}" for v in verdicts)
            out.append(f"{label:<16}{row}")
        if show_misses:
            out += [f"  {lab} -> {ver}: {text}  [{why}]" for lab, ver, text, why in self.misses]
        return out


def evaluate(triage: Triage, labelled: Labelled, name: str = "set") -> Evaluation:
    evaluation = Evaluation(name)
    for label_name, by_language in labelled.items():
        label = Level(label_name)
        for language, messages in by_language.items():
            for text in messages:
                verdict = triage.classify(text, hint=language)
                evaluation.add(label, verdict.level, text, verdict.reason)
    return evaluation


def load(path: Path) -> Labelled:
    data: Labelled = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data
