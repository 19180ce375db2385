"""What a patient's words are, before the triage asks what they mean.

Real language tools, not hand-made folding alone:
- wordfreq gives each language's word frequencies: which words are known, which language a
  message is in, and the dictionaries below;
- symspellpy corrects a misspelt word and splits run-together ones ("villinteleva" ->
  "vill inte leva") against those dictionaries;
- simplemma (lemmas) and Snowball (stems) let one listed word stand for all its inflections.

A word keeps all its readings (as typed, corrected, lemma, stem, and without å/ä/ö), and
the triage matches a concept against any of them: it errs towards hearing a risk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import snowballstemmer
from symspellpy import SymSpell, Verbosity
from wordfreq import top_n_list, word_frequency, zipf_frequency

LANGUAGES = ("sv", "en")
DICTIONARY_WORDS = 20_000  # per language: enough for everyday words, quick to build
KNOWN_ZIPF = 1.5  # a word this frequent (wordfreq's zipf scale) is taken as typed
_STEMMERS = {"sv": "swedish", "en": "english"}
_WORD = re.compile(r"[^\W\d_]+|\d+")
_APOSTROPHES = str.maketrans("", "", "'’`´")
_REPEATS = re.compile(r"(.)\1{2,}")


def fold(word: str) -> str:
    """Without diacritics: many type Swedish without å, ä and ö ("sjalvmord")."""
    plain = unicodedata.normalize("NFKD", word.replace("ø", "o").replace("æ", "a"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    """Lower-case words and numbers; "don't" -> "dont", "dööööö" -> "dö"."""
    lowered = text.lower().translate(_APOSTROPHES)
    return [_REPEATS.sub(r"\1", word) for word in _WORD.findall(lowered)]


def guess_language(words: Iterable[str], hint: str = "sv") -> str:
    """The language most of the words belong to; `hint` (the patient's) breaks a tie."""
    score = dict.fromkeys(LANGUAGES, 0.0)
    for word in words:
        frequencies = {lang: zipf_frequency(word, lang) for lang in LANGUAGES}
        best = max(frequencies, key=lambda lang: frequencies[lang])
        score[best] += frequencies[best] - min(frequencies.values())
    top = max(score.values())
    return hint if score.get(hint, 0.0) == top else max(score, key=lambda lang: score[lang])


@dataclass(frozen=True)
class Reading:
    """One word of a message and every form a concept may be matched on."""

    typed: str
    language: str  # the language it was read in
    surface: frozenset[str]  # as typed, and as corrected
    forms: frozenset[str]  # those, with lemmas and stems
    folded: frozenset[str]  # the forms without å/ä/ö
    folded_surface: frozenset[str]


class Speller:
    """Spelling correction and word segmentation for one language."""

    def __init__(self, language: str, extra_words: Iterable[str] = ()) -> None:
        self.language = language
        self.symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in top_n_list(language, DICTIONARY_WORDS):
            # Typed without apostrophes, as words_of reads them ("dont").
            plain = word.translate(_APOSTROPHES)
            self.symspell.create_dictionary_entry(plain, _count(word, language))
        # The concepts' own words are always known, so a typo of one is brought back to it.
        for word in extra_words:
            self.symspell.create_dictionary_entry(word, max(_count(word, language), 1000))

    def known(self, word: str) -> bool:
        return (
            word.isdigit()
            or len(word) < 2
            or zipf_frequency(word, self.language) >= KNOWN_ZIPF
            or word in self.symspell.words
        )

    def corrected(self, word: str) -> list[str] | None:
        """The word as probably meant: itself when known, else the closest frequent word,
        else the words it runs together (several); None when this language has no idea."""
        if self.known(word):
            return [word]
        distance = 1 if len(word) <= 5 else 2
        found = self.symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if found:
            return [str(found[0].term)]
        if len(word) >= 6:
            split = self.symspell.word_segmentation(word, max_edit_distance=0)
            parts: list[str] = str(split.corrected_string).split()
            if len(parts) > 1 and all(self.known(part) for part in parts):
                return parts
        return None

    def read(self, words: Iterable[str], fallback: Speller | None = None) -> list[Reading]:
        """Readings of the words; one this language cannot place is tried in `fallback`
        (an English word in a Swedish message, or a message of one unknown word)."""
        readings: list[Reading] = []
        for typed in words:
            speller, meant = self, self.corrected(typed)
            if meant is None and fallback is not None:
                speller, meant = fallback, fallback.corrected(typed)
            if meant is None:
                speller, meant = self, [typed]
            if len(meant) == 1:
                readings.append(reading(typed, meant[0], speller.language))
            else:  # the parts of a run-together word may be another language's words
                parts_language = guess_language(meant, speller.language)
                readings.extend(reading(part, part, parts_language) for part in meant)
        return readings


@lru_cache(maxsize=len(LANGUAGES))
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMERS[language])


@lru_cache(maxsize=50_000)
def reading(typed: str, word: str, language: str) -> Reading:
    """`typed`, read as `word` (corrected) of `language`: with its lemma and stems."""
    lemma = simplemma.lemmatize(word, lang=language)
    stem = _stemmer(language).stemWord
    surface = {typed, word}
    # A short stem says too little ("läng" would be both "länge" and "längtar").
    stems = {s for s in (stem(word), stem(lemma)) if len(s) >= 3 or s == word}
    forms = surface | {lemma} | stems
    return Reading(
        typed,
        language,
        frozenset(surface),
        frozenset(forms),
        frozenset(fold(form) for form in forms),
        frozenset(fold(form) for form in surface),
    )


def _count(word: str, language: str) -> int:
    return int(word_frequency(word, language) * 1e9) + 1
