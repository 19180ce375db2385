"""Triage of what a patient writes: acute risk, urgent, or ordinary.

The rules are data (`bot/content/triage.yaml`); this module is the matcher. It is built to
miss nothing acute: words are compared after folding case and Swedish letters, long words
tolerate one typo, and a phrase's words may have a couple of other words between them. The
price is some false alarms, which the labelled set in the tests measures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA

RULES_FILE = Path(__file__).parent.parent / "content" / "triage.yaml"
# How many other words may stand between two words of a phrase.
GAP = 2
# Words at least this long are matched with one typo allowed.
FUZZY_FROM = 5


class Level(StrEnum):
    ORDINARY = "ordinary"
    URGENT = "urgent"
    ACUTE = "acute"


_FOLD = str.maketrans({"ø": "o", "æ": "a", "ß": "ss", "’": "", "'": "", "`": "", "´": ""})


def normalise(text: str) -> list[str]:
    """Lower-case words with diacritics and apostrophes removed: "Don't dö!" -> [dont, do]."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain)


@dataclass(frozen=True)
class Word:
    """One position of a phrase: alternatives, each either whole or a prefix (`stem*`)."""

    options: tuple[str, ...]

    def matches(self, token: str) -> bool:
        return any(_word_matches(option, token) for option in self.options)


def _word_matches(option: str, token: str) -> bool:
    if option.endswith("*"):
        stem = option[:-1]
        if token.startswith(stem):
            return True
        if len(stem) < FUZZY_FROM:
            return False
        heads = {token[: len(stem) + delta] for delta in (-1, 0, 1)}
        return any(len(head) >= FUZZY_FROM - 1 and OSA.distance(stem, head) <= 1 for head in heads)
    if token == option:
        return True
    return len(option) >= FUZZY_FROM and OSA.distance(option, token) <= 1


@dataclass(frozen=True)
class Phrase:
    source: str
    words: tuple[Word, ...]

    @classmethod
    def parse(cls, source: str) -> Phrase:
        words = tuple(
            Word(tuple(normalised_option(o) for o in part.split("|"))) for part in source.split()
        )
        if not words:
            raise ValueError("an empty triage phrase")
        return cls(source, words)

    def find(self, tokens: Sequence[str], masked: set[int]) -> list[int] | None:
        """The token positions this phrase matches (in order, small gaps allowed), or None."""

        def search(word_index: int, start: int, limit: int) -> list[int] | None:
            if word_index == len(self.words):
                return []
            for position in range(start, min(limit, len(tokens))):
                if position in masked or not self.words[word_index].matches(tokens[position]):
                    continue
                rest = search(word_index + 1, position + 1, position + 2 + GAP)
                if rest is not None:
                    return [position, *rest]
            return None

        return search(0, 0, len(tokens))


def normalised_option(option: str) -> str:
    star = option.endswith("*")
    words = normalise(option.rstrip("*"))
    if len(words) != 1:
        raise ValueError(f"a triage word must be one word: {option!r}")
    return words[0] + ("*" if star else "")


@dataclass(frozen=True)
class Verdict:
    level: Level
    # The rule that decided, for the staff alert and for tuning ("" when ordinary).
    reason: str = ""


@dataclass(frozen=True)
class Rules:
    acute: tuple[Phrase, ...]
    urgent: tuple[Phrase, ...]
    # Everyday phrasings that only look alarming ("dying to go back to work"); their words
    # are set aside before the acute and urgent phrases are looked for.
    not_alarming: tuple[Phrase, ...]

    @classmethod
    def from_data(cls, data: dict[str, Iterable[str]]) -> Rules:
        def phrases(key: str) -> tuple[Phrase, ...]:
            return tuple(Phrase.parse(source) for source in data.get(key, ()))

        return cls(phrases("acute"), phrases("urgent"), phrases("not_alarming"))

    def classify(self, text: str) -> Verdict:
        tokens = normalise(text)
        masked: set[int] = set()
        for phrase in self.not_alarming:
            while (found := phrase.find(tokens, masked)) is not None:
                masked.update(found)
        for level, phrases in ((Level.ACUTE, self.acute), (Level.URGENT, self.urgent)):
            for phrase in phrases:
                if phrase.find(tokens, masked) is not None:
                    return Verdict(level, phrase.source)
        return Verdict(Level.ORDINARY)


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return Rules.from_data(data)


def classify(text: str) -> Verdict:
    return default_rules().classify(text)


@dataclass(frozen=True)
class Evaluation:
    """The triage against a labelled set: how many of each label got which level."""

    counts: dict[tuple[Level, Level], int]  # (label, verdict) -> messages
    misses: list[tuple[Level, Level, str]]  # (label, verdict, message) where they differ

    def total(self, label: Level | None = None) -> int:
        return sum(n for (lab, _v), n in self.counts.items() if label in (None, lab))

    @property
    def acute_recall(self) -> float:
        acute = self.total(Level.ACUTE)
        return self.counts.get((Level.ACUTE, Level.ACUTE), 0) / acute if acute else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of messages that are not acute but got the acute answer."""
        others = self.total() - self.total(Level.ACUTE)
        alarms = sum(
            n for (lab, ver), n in self.counts.items() if lab != Level.ACUTE and ver == Level.ACUTE
        )
        return alarms / others if others else 0.0

    @property
    def accuracy(self) -> float:
        right = sum(n for (lab, ver), n in self.counts.items() if lab == ver)
        return right / self.total() if self.total() else 1.0

    def lines(self) -> list[str]:
        levels = list(Level)
        out = ["label \\ verdict  " + "  ".join(f"{level:>8}" for level in levels)]
        for label in levels:
            row = "  ".join(f"{self.counts.get((label, v), 0):>8}" for v in levels)
            out.append(f"{label:<16} {row}")
        out += [f"{lab} -> {ver}: {text}" for lab, ver, text in self.misses]
        out.append(
            f"messages={self.total()} acute_recall={self.acute_recall:.1%} "
            f"false_alarm_rate={self.false_alarm_rate:.1%} accuracy={self.accuracy:.1%}"
        )
        return out


def evaluate(rules: Rules, labelled: dict[str, dict[str, list[str]]]) -> Evaluation:
    """`labelled` is {label: {language: [message, ...]}}, as in tests/data/triage_set.yaml."""
    counts: dict[tuple[Level, Level], int] = {}
    misses: list[tuple[Level, Level, str]] = []
    for label_name, by_language in labelled.items():
        label = Level(label_name)
        for messages in by_language.values():
            for text in messages:
                verdict = rules.classify(text).level
                counts[label, verdict] = counts.get((label, verdict), 0) + 1
                if verdict != label:
                    misses.append((label, verdict, text))
    return Evaluation(counts, misses)
