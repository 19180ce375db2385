"""The Babel catalogues of interface strings (locales/<lang>/LC_MESSAGES/messages.po)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.content import ContentError

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("sv", "en")


def _po(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_catalogues() -> None:
    """Every interface string has a Swedish translation, and both catalogues parse."""
    for language in LANGUAGES:
        path = _po(language)
        if not path.exists():
            raise ContentError(f"{path}: missing catalogue")
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if language == "sv":
            untranslated = [m.id for m in catalog if m.id and not m.string and not m.fuzzy]
            fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
            if untranslated or fuzzy:
                first = (untranslated or fuzzy)[0]
                raise ContentError(f"{path}: untranslated or fuzzy msgid {first!r}")


def compile_catalogues() -> None:
    """.po -> .mo when the compiled file is missing or older (the .mo are not in git)."""
    for language in LANGUAGES:
        source = _po(language)
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        with target.open("wb") as handle:
            write_mo(handle, catalog)


@contextmanager
def speaking(i18n: I18n, language: str) -> Iterator[None]:
    """Interface strings in `language`, in an update or outside one (ticks, the sender)."""
    with i18n.context(), i18n.use_locale(language):
        yield
