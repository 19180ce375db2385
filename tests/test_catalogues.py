"""The interface strings: every one the code says has its Swedish translation, and English,
the language they are written in, is shown as written."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def said_in_code() -> set[str]:
    found = extract_from_dir(
        ROOT / "bot", method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    return {message if isinstance(message, str) else message[0] for *_, message, _c, _x in found}


def test_every_string_in_the_code_is_translated_to_swedish() -> None:
    swedish = catalogue("sv")
    missing = sorted(
        said for said in said_in_code() if not (swedish.get(said) and swedish.get(said).string)
    )
    assert not missing, f"{len(missing)} strings without Swedish, e.g. {missing[:3]}"


def shown_otherwise(written: str | tuple[str, ...], shown: str | tuple[str, ...]) -> bool:
    """A translation that differs from the English it translates (a plural has two)."""
    pairs = zip(written, shown, strict=True) if isinstance(written, tuple) else [(written, shown)]
    return any(said and said != source for source, said in pairs)


def test_english_is_shown_as_written() -> None:
    english = catalogue("en")
    rewritten = [m.id for m in english if m.id and shown_otherwise(m.id, m.string)]
    assert not rewritten, f"{len(rewritten)} English strings shown otherwise: {rewritten[:3]}"


def test_an_english_patient_reads_english(tmp_path: Path) -> None:
    from aiogram.utils.i18n import I18n

    from bot.locales import LOCALES, compile_catalogues

    compile_catalogues()
    i18n = I18n(path=LOCALES, default_locale="sv", domain="messages")
    said = "Your coordinator has been alerted."
    assert i18n.gettext(said, locale="en") == said
    assert i18n.gettext(said, locale="sv") != said
