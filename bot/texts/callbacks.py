"""Button payloads. Every button carries the screen number it was drawn for."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.forms import FormAction


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
    ANSWER = FormAction.ANSWER.value
    SKIP = FormAction.SKIP.value
    PREVIOUS = FormAction.PREVIOUS.value
    SAVE_EXIT = FormAction.SAVE_EXIT.value
    EDIT = FormAction.EDIT.value
    SUBMIT = FormAction.SUBMIT.value
    TOGGLE = FormAction.TOGGLE.value
    CONFIRM = FormAction.CONFIRM.value
    ADD = FormAction.ADD.value
    REMOVE = FormAction.REMOVE.value
    FINISH_LIST = FormAction.FINISH_LIST.value
    AGAIN = "again"
    MY_ANSWERS = "mine"
    RESPONSE = "resp"
    WRITE = "write"
    REMIND = "remind"
    ERASE = "erase"
    URGENT = "urgent"
    SAFETY = "safe"  # the answer to the direct question about risk
    SHARING = "share"  # the consent to share
    PLAN = "plan"  # the whole plan
    CHART = "chart"  # the patient's wellbeing over time, as a picture
    DECLINE_REASON = "why"  # why the patient declined (arg: domain/caselog.DeclineReason)
    WITHDRAW = "withdraw"  # the consent to share, withdrawn


class Act(CallbackData, prefix="p"):
    seq: int
    op: Op
    arg: str = ""

    @staticmethod
    def packed(seq: int, op: Op, arg: str = "") -> str:
        """What `Act(seq=…, op=…, arg=…).pack()` gives, without building the model: a
        screen draws several buttons on every press."""
        if ":" in arg:  # pack() refuses the separator; let it say so
            return Act(seq=seq, op=op, arg=arg).pack()
        return f"p:{seq}:{op.value}:{arg}"
