"""What counts as a valid answer to an item: one rule for the chat, the CLI and stored data."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from bot.content.schema import Item, ItemKind

NOT_APPLICABLE = "NA"


class Problem(StrEnum):
    """Why an answer was not taken; the dialog layer words it for the patient."""

    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_DATE = "not_a_date"
    DATE_IN_PAST = "date_in_past"
    DATE_IN_FUTURE = "date_in_future"
    TOO_LONG = "too_long"
    EMPTY = "empty"
    USE_BUTTONS = "use_buttons"
    UNKNOWN_OPTION = "unknown_option"


class AnswerError(ValueError):
    def __init__(self, problem: Problem, **details: Any) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.details = details


def check_choice(item: Item, value: Any) -> Any:
    """A value given by a button or a paper form, checked against the item's scale or options."""
    if item.kind == ItemKind.CHOICE:
        if value not in {option.id for option in item.options}:
            raise AnswerError(Problem.UNKNOWN_OPTION)
        return value
    if item.kind == ItemKind.MULTI:
        if not isinstance(value, list) or not set(value) <= {o.id for o in item.options}:
            raise AnswerError(Problem.UNKNOWN_OPTION)
        return [option.id for option in item.options if option.id in value]
    if item.kind in (ItemKind.SCALE, ItemKind.NUMBER):
        if value == NOT_APPLICABLE and item.not_applicable is not None:
            return NOT_APPLICABLE
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise AnswerError(Problem.NOT_A_NUMBER)
        if not item.min <= value <= item.max:  # type: ignore[operator]
            raise AnswerError(Problem.OUT_OF_RANGE, min=item.min, max=item.max)
        return int(value)
    raise AnswerError(Problem.USE_BUTTONS)


def parse_number(item: Item, text: str) -> int | str:
    cleaned = text.strip().replace(" ", "")
    if item.not_applicable is not None and cleaned.upper() == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if not re.fullmatch(r"[+-]?\d{1,6}", cleaned):
        raise AnswerError(Problem.NOT_A_NUMBER, min=item.min, max=item.max)
    result = check_choice(item, int(cleaned))
    assert isinstance(result, int | str)
    return result


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")


DateRule = Literal["any", "past", "future"]


def parse_date(text: str, today: date, rule: DateRule = "any") -> date:
    """ISO dates (2026-12-15) and Swedish day-first ones (15/12, 15.12.2026)."""
    cleaned = text.strip()
    try:
        if match := _ISO.match(cleaned):
            parsed = date(int(match[1]), int(match[2]), int(match[3]))
        elif match := _DAY_FIRST.match(cleaned):
            year = int(match[3]) if match[3] else today.year
            year += 2000 if year < 100 else 0
            parsed = date(year, int(match[2]), int(match[1]))
            if not match[3] and rule == "future" and parsed < today:
                parsed = parsed.replace(year=parsed.year + 1)
        else:
            raise AnswerError(Problem.NOT_A_DATE)
    except ValueError as error:
        if isinstance(error, AnswerError):
            raise
        raise AnswerError(Problem.NOT_A_DATE) from error
    if rule == "future" and parsed < today:
        raise AnswerError(Problem.DATE_IN_PAST)
    if rule == "past" and parsed > today:
        raise AnswerError(Problem.DATE_IN_FUTURE)
    return parsed


def parse_text(text: str, max_length: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise AnswerError(Problem.EMPTY)
    if len(cleaned) > max_length:
        raise AnswerError(Problem.TOO_LONG, limit=max_length, length=len(cleaned))
    return cleaned


def parse_typed(item: Item, text: str, today: date) -> Any:
    """A typed answer to any item; button items accept a typed option number or label too."""
    if item.kind == ItemKind.TEXT:
        return parse_text(text, item.max_length)
    if item.kind == ItemKind.NUMBER:
        return parse_number(item, text)
    if item.kind == ItemKind.DATE:
        return parse_date(text, today, item.dates).isoformat()
    if item.kind == ItemKind.SCALE:
        try:
            return parse_number(item, text)
        except AnswerError:
            raise AnswerError(Problem.USE_BUTTONS) from None
    if item.kind == ItemKind.CHOICE:
        typed = text.strip().casefold()
        for option in item.options:
            if typed in (option.label.sv.casefold(), option.label.en.casefold()):
                return option.id
    raise AnswerError(Problem.USE_BUTTONS)
