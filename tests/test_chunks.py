"""Long texts cut into messages: nothing is lost, and no message is too long."""

from __future__ import annotations

from bot.texts.chunks import split_text


def test_paragraphs_are_kept_whole_and_in_order() -> None:
    paragraphs = [f"Paragraph {n}: " + "x" * 900 for n in range(12)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
    assert "\n\n".join(parts) == text


def test_a_long_preformatted_journal_stays_preformatted_and_complete() -> None:
    lines = [f"Line {n:03d}: " + "-" * 60 for n in range(200)]
    text = "<pre>" + "\n".join(lines) + "</pre>"
    parts = split_text(text)
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
    assert all(part.startswith("<pre>") and part.endswith("</pre>") for part in parts)
    rejoined = "\n".join(part[len("<pre>") : -len("</pre>")] for part in parts)
    assert rejoined == "\n".join(lines)


def test_a_line_longer_than_a_message_is_cut_not_dropped() -> None:
    text = "y" * 10_000
    parts = split_text(text)
    assert "".join(parts) == text and all(len(part) <= 4096 for part in parts)


def test_a_short_text_is_one_message() -> None:
    assert split_text("Hej") == ["Hej"]
