"""Triage of what a patient writes: acute, possible, urgent or ordinary, and why.

Pure and explainable. A message is split into clauses and its words read with real language
tools (bot/domain/language). The vocabulary is data (bot/content/triage.yaml): concepts
(death, wish, means, place, farewell, ...), rules that combine concepts within a clause,
idioms set aside first, and cues (a denial, someone else, the distant past, the news, an
accident) that lower a verdict by one step and never more. The reason names the rule and
the cue, for the staff alert and for tuning.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.domain.concepts import Concept, Lexicon, Occurrence, vocabulary
from bot.domain.language import LANGUAGES, Reading, Speller, guess_language, words_of
from bot.domain.second_opinion import SecondOpinion, features
from bot.domain.triage_levels import Level as Level  # re-exported: callers know it here

RULES_FILE = Path(__file__).parent.parent / "content" / "triage.yaml"
_CLAUSES = re.compile(r"[.!?;:\n]+|,|\s(?:men|but|fast|although|though)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    level: Level
    reason: str = ""  # the rule, and the cue that lowered it ("" when nothing matched)
    lowered: bool = False  # a cue said the words do not mean what they say


@dataclass(frozen=True)
class Rule:
    level: Level
    name: str
    concepts: tuple[str, ...]
    others: bool = False  # about someone else by nature (violence): that is no cue here


@dataclass(frozen=True)
class Cue:
    name: str
    scope: str  # "before" the rule's words (window), the "clause", or the whole "message"
    concept: Concept
    window: int = 0
    only: frozenset[str] = frozenset()  # the rules it may lower, when not all of them

    def lowers(self, rule: Rule) -> bool:
        return not self.only or rule.name in self.only


@dataclass
class Clause:
    readings: list[Reading]
    free: list[bool]  # False where an idiom's words were set aside
    found: dict[str, list[Occurrence]]  # where each concept (and cue) stands

    def find(self, concept: Concept) -> list[Occurrence]:
        return self.found.get(concept.name, [])

    def names(self) -> list[str]:
        """The concepts (and cues) that stand in this clause."""
        return [name for name, spots in self.found.items() if spots]


class Triage:
    def __init__(self, data: dict[str, Any], second_opinion: SecondOpinion | None = None) -> None:
        self.second_opinion = second_opinion
        concepts = data["concepts"]
        words = vocabulary({**concepts, **{f"cue:{k}": v for k, v in data["cues"].items()}})
        self.spellers = {lang: Speller(lang, words[lang]) for lang in LANGUAGES}
        self.emoji: dict[str, str] = data.get("emoji", {})
        self.idioms = Concept.parse("idiom", data.get("idioms", {}))
        self.concepts = {name: Concept.parse(name, terms) for name, terms in concepts.items()}
        self.rules = [
            Rule(Level(r["level"]), r["name"], tuple(r["all"]), bool(r.get("others")))
            for r in data["rules"]
        ]
        unknown = {c for rule in self.rules for c in rule.concepts} - set(self.concepts)
        if unknown:
            raise ValueError(f"triage rules name unknown concepts: {sorted(unknown)}")
        self.cues = [
            Cue(
                name,
                spec["scope"],
                Concept.parse(f"cue:{name}", spec),
                int(spec.get("window", 0)),
                frozenset(spec.get("only", ())),
            )
            for name, spec in data["cues"].items()
        ]
        self.lexicon = Lexicon([*self.concepts.values(), *(cue.concept for cue in self.cues)])

    def read(self, text: str, hint: str = "sv") -> list[Clause]:
        for symbol, word in self.emoji.items():
            text = text.replace(symbol, f" {word} ")
        parts = [words_of(part) for part in _CLAUSES.split(text)]
        language = guess_language([w for part in parts for w in part], hint)
        clauses: list[Clause] = []
        for words in parts:
            other = next(lang for lang in LANGUAGES if lang != language)
            readings = self.spellers[language].read(words, self.spellers[other])
            if not readings:
                continue
            free = [True] * len(readings)
            for at in self.idioms.occurrences(readings, free):
                for index in at:
                    free[index] = False
            clauses.append(self._clause(readings, free))
        # An idea may run over a comma ("tomorrow I'll do it, I've decided"): each pair of
        # neighbouring clauses is read as one too.
        pairs = [
            self._clause(a.readings + b.readings, a.free + b.free)
            for a, b in itertools.pairwise(clauses)
        ]
        return clauses + pairs

    def _clause(self, readings: list[Reading], free: list[bool]) -> Clause:
        return Clause(readings, free, self.lexicon.find(readings, free))

    def classify(self, text: str, hint: str = "sv") -> Verdict:
        return self.judge(self.read(text, hint))

    def judge(self, clauses: list[Clause]) -> Verdict:
        """The verdict on a message already read (`read`)."""
        message_cues = [
            cue.name
            for cue in self.cues
            if cue.scope == "message" and any(clause.find(cue.concept) for clause in clauses)
        ]
        best = Verdict(Level.ORDINARY)
        for clause in clauses:
            for rule in self.rules:
                used = self._match(rule, clause)
                if used is None:
                    continue
                cues = message_cues + self._local_cues(rule, clause, used)
                if rule.level == Level.URGENT:
                    cues = self._urgent_cues(cues, clause)
                level = rule.level.lowered() if cues else rule.level
                if level.rank > best.level.rank or (level == best.level and best.lowered):
                    lowered = f" (lowered: {', '.join(cues)})" if cues else ""
                    best = Verdict(level, rule.name + lowered, bool(cues))
        if self.second_opinion is not None and not best.lowered and best.level != Level.ACUTE:
            # Words no rule names may still carry the idea: the learned opinion may raise
            # the verdict (never lower it), unless a cue has said the words are not meant.
            opinion = self.second_opinion.judge(features(clauses))
            if opinion.level.rank > best.level.rank:
                best = Verdict(opinion.level, opinion.reason)
        return best

    def _match(self, rule: Rule, clause: Clause) -> set[int] | None:
        """The words the rule's concepts stand on, each concept on words of its own."""
        used: set[int] = set()
        for name in rule.concepts:
            found = clause.find(self.concepts[name])
            spot = next((at for at in found if not used.intersection(at)), None)
            if spot is None:
                return None
            used.update(spot)
        return used

    def _urgent_cues(self, cues: list[str], clause: Clause) -> list[str]:
        """Needs are often said negated ("no money left"), and with others in them ("my
        boss says I'll be fired"): only someone else's need, with no "I", is lowered."""
        about_me = bool(clause.find(self.concepts["self"]))
        return [c for c in cues if c != "negation" and not (c == "someone_else" and about_me)]

    def _local_cues(self, rule: Rule, clause: Clause, used: set[int]) -> list[str]:
        found: list[str] = []
        for cue in self.cues:
            if not cue.lowers(rule) or cue.scope == "message":
                continue
            if rule.others and cue.scope == "clause" and not cue.only:
                continue
            spots = clause.find(cue.concept)
            unused = [at for at in spots if not used.intersection(at)]
            if cue.scope == "before":
                unused = [at for at in unused if min(used) - cue.window <= at[0] < max(used)]
            if unused:
                found.append(cue.name)
        return found


@lru_cache(maxsize=1)
def default_triage() -> Triage:
    return Triage(rules_data(), SecondOpinion.load())


def rules_data() -> dict[str, Any]:
    """The vocabulary and rules (`Triage(rules_data())` is the rules without the learned
    second opinion: to train it, and to compare)."""
    data: dict[str, Any] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return data


def classify(text: str, hint: str = "sv") -> Verdict:
    return default_triage().classify(text, hint)
