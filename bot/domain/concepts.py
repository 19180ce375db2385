"""Concept terms and where they stand in a message: the vocabulary side of the triage.

A term's words are matched against every reading of a message's words (bot/domain/language),
so one listed form stands for its inflections, misspellings and run-together forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wordfreq import zipf_frequency

from bot.domain.language import LANGUAGES, Reading, fold, reading, words_of

GAP = 1  # how many other words may stand between the words of a term
# A word common in the other language is matched only in its own ("i" is "in" in Swedish).
FOREIGN_ZIPF = 3.0

Occurrence = tuple[int, ...]


@dataclass(frozen=True)
class Option:
    """One way to fill one position of a term: a word, a prefix (`stem*`) or `#N+`."""

    text: str
    language: str
    forms: frozenset[str]
    folded: frozenset[str]
    prefix: bool = False
    number_from: int | None = None
    foreign_ok: bool = True
    exact: bool = False  # as typed or corrected only: no lemma ("did" is not "don't")

    @classmethod
    def parse(cls, source: str, language: str, exact: bool = False) -> Option:
        other = next(lang for lang in LANGUAGES if lang != language)
        if source.startswith("#") and source.endswith("+"):
            return cls(source, language, frozenset(), frozenset(), number_from=int(source[1:-1]))
        prefix = source.endswith("*")
        word = source.rstrip("*").lower()
        foreign_ok = zipf_frequency(word, other) < FOREIGN_ZIPF
        if prefix:
            return cls(word, language, frozenset({word}), frozenset({fold(word)}), True, None,
                       foreign_ok)  # fmt: skip
        forms = frozenset({word}) if exact else reading(word, word, language).forms
        return cls(word, language, forms, frozenset(fold(f) for f in forms), False, None,
                   foreign_ok, exact)  # fmt: skip

    def matches(self, reading: Reading) -> bool:
        if self.number_from is not None:
            return reading.typed.isdigit() and int(reading.typed) >= self.number_from
        own = reading.language == self.language
        if not own:
            # Another language's word counts only as written: its lemmas and stems may be
            # this language's words ("meds" -> "med", which is Swedish for "with").
            if not self.foreign_ok:
                return False
            if self.prefix:
                return any(form.startswith(self.text) for form in reading.surface)
            return self.text in reading.surface
        if self.prefix:
            if any(form.startswith(self.text) for form in reading.forms):
                return True
            folded = next(iter(self.folded))
            return own and any(form.startswith(folded) for form in reading.folded)
        if self.exact:
            words, plain = reading.surface, reading.folded_surface
        else:
            words, plain = reading.forms, reading.folded
        return bool(self.forms & words) or (own and bool(self.folded & plain))


@dataclass(frozen=True)
class Term:
    """Words that stand together ("ta livet av mig"), each position with its options."""

    source: str
    positions: tuple[tuple[Option, ...], ...]

    @classmethod
    def parse(cls, source: str, language: str, exact: bool = False) -> Term:
        positions: list[tuple[Option, ...]] = []
        for part in source.split():
            options = [o for o in part.split("|") if o]
            positions.append(tuple(Option.parse(o, language, exact) for o in options))
        if not positions:
            raise ValueError("an empty triage term")
        return cls(source, tuple(positions))

    def find(self, readings: Sequence[Reading], free: Sequence[bool]) -> list[Occurrence]:
        """Every place the term stands (each start once), skipping words set aside."""
        found: list[Occurrence] = []
        for start in range(len(readings)):
            at = self.starting(readings, free, start)
            if at is not None:
                found.append(at)
        return found

    def starting(
        self, readings: Sequence[Reading], free: Sequence[bool], start: int
    ) -> Occurrence | None:
        placed: list[int] = []
        position = start
        for index, options in enumerate(self.positions):
            limit = position + 1 if index == 0 else min(len(readings), position + 1 + GAP)
            hit = next(
                (
                    p
                    for p in range(position, min(limit, len(readings)))
                    if free[p] and any(o.matches(readings[p]) for o in options)
                ),
                None,
            )
            if hit is None:
                return None
            placed.append(hit)
            position = hit + 1
        return tuple(placed)


@dataclass(frozen=True)
class Concept:
    name: str
    terms: tuple[Term, ...]

    @classmethod
    def parse(cls, name: str, spec: dict[str, Any]) -> Concept:
        """`spec` is {language: [term, ...]}, and `exact: true` for function words, which
        are matched as written (a lemma would make "min" of "jag")."""
        exact = bool(spec.get("exact"))
        by_language: dict[str, Iterable[str]] = spec
        return cls(
            name,
            tuple(
                Term.parse(str(source), language, exact)
                for language, sources in by_language.items()
                if language in LANGUAGES
                for source in sources
            ),
        )

    def occurrences(self, readings: Sequence[Reading], free: Sequence[bool]) -> list[Occurrence]:
        return [at for term in self.terms for at in term.find(readings, free)]


class Lexicon:
    """Concepts found in one pass: an index from every word form that can begin a term to
    the terms it begins, so a clause is not tried against every term at every word."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.index: dict[str, list[tuple[str, Term]]] = {}
        self.scanned: list[tuple[str, Term]] = []  # terms that begin with a prefix or number
        for concept in concepts:
            for term in concept.terms:
                first = term.positions[0]
                if any(o.prefix or o.number_from is not None for o in first):
                    self.scanned.append((concept.name, term))
                    continue
                keys = {key for option in first for key in option.forms | option.folded}
                for key in keys:
                    self.index.setdefault(key, []).append((concept.name, term))

    def find(
        self, readings: Sequence[Reading], free: Sequence[bool]
    ) -> dict[str, list[Occurrence]]:
        found: dict[str, list[Occurrence]] = {}
        for start, word in enumerate(readings):
            if not free[start]:
                continue
            candidates = {
                (name, id(term)): (name, term)
                for key in word.forms | word.folded
                for name, term in self.index.get(key, ())
            }
            candidates.update({(name, id(term)): (name, term) for name, term in self.scanned})
            for name, term in candidates.values():
                at = term.starting(readings, free, start)
                if at is not None:
                    found.setdefault(name, []).append(at)
        return found


def vocabulary(data: dict[str, dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Every whole word the concepts name, per language: always known to the speller, so a
    typo of one is brought back to it."""
    words: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for by_language in data.values():
        for language, sources in by_language.items():
            if language not in words:
                continue
            for source in sources:
                for part in str(source).split():
                    for option in part.split("|"):
                        if not option.endswith("*") and not option.startswith("#"):
                            words[language].update(words_of(option))
    return {language: frozenset(found) for language, found in words.items()}
