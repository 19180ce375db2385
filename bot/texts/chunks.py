"""Long texts as Telegram messages: at most 4,096 characters each, cut between paragraphs
(or lines), and a preformatted block kept preformatted in every part. Nothing is dropped."""

from __future__ import annotations

MESSAGE_LIMIT = 4096
PRE_OPEN, PRE_CLOSE = "<pre>", "</pre>"


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    if text.startswith(PRE_OPEN) and text.endswith(PRE_CLOSE):
        inner = text[len(PRE_OPEN) : -len(PRE_CLOSE)]
        room = limit - len(PRE_OPEN) - len(PRE_CLOSE)
        return [f"{PRE_OPEN}{part}{PRE_CLOSE}" for part in _split(inner, room, "\n")]
    return _split(text, limit, "\n\n")


def _split(text: str, limit: int, separator: str) -> list[str]:
    """Whole blocks joined up to `limit`; a block longer than that is cut by lines, and a
    line longer than that by characters."""
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for block in text.split(separator):
        candidate = f"{current}{separator}{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if len(block) > limit:
            pieces = _split(block, limit, "\n") if separator != "\n" else _cut(block, limit)
            parts.extend(pieces[:-1])
            block = pieces[-1]
        current = block
    return [*parts, current] if current else parts


def _cut(line: str, limit: int) -> list[str]:
    return [line[start : start + limit] for start in range(0, len(line), limit)]
