"""Button payloads. Every button carries the screen number it was drawn for."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class Op(StrEnum):
    LANGUAGE = "lang"
    CONSENT = "consent"
    UNDERSTOOD = "ok"
    HOME = "home"
    MODULE = "mod"
    PAGE = "page"
    CONTENTS = "toc"
    PAUSE = "pause"
    FORM = "form"
    ANSWER = "ans"
    SKIP = "skip"
    PREVIOUS = "prev"
    SAVE_EXIT = "exit"
    EDIT = "edit"
    SUBMIT = "send"
    TOGGLE = "tog"
    CONFIRM = "done"
    ADD = "add"
    REMOVE = "rm"
    FINISH_LIST = "fin"
    AGAIN = "again"
    MY_ANSWERS = "mine"
    RESPONSE = "resp"


class Act(CallbackData, prefix="p"):
    seq: int
    op: Op
    arg: str = ""
