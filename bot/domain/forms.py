"""The form engine: where a patient is in a form and what an answer does. No I/O.

A draft is saved after every step, so a restart resumes at the same question. Positions are
item ids, not indexes, so a content update that adds or removes items keeps what was entered.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from bot.content.schema import Form, Item, ItemKind
from bot.domain.answers import AnswerError, Problem, check_choice, parse_date, parse_text

ACTIVITY_TEXT_LIMIT = 300
RESPONSIBLE = ("me", "employer", "coordinator", "healthcare", "other")


class FormAction(StrEnum):
    """What a patient can do inside a form; button payloads use these names."""

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


class ActivityStep(StrEnum):
    WHAT = "what"
    WHO = "who"
    END = "end"
    MORE = "more"


class Draft(BaseModel):
    answers: dict[str, Any] = Field(default_factory=dict)
    at: str | None = None  # the item asked now; None: the review screen
    editing: bool = False  # reached from the review: return there after this item
    # A multi-choice selection or a plan activity being put together.
    pending: dict[str, Any] = Field(default_factory=dict)


def start(form: Form, previous: dict[str, Any] | None = None) -> Draft:
    """A new draft; a repeated form starts empty, a re-opened one from its last answers."""
    draft = Draft(answers=dict(previous or {}))
    return _enter(form, draft, form.items[0].id) if not previous else _to_review(form, draft)


def current(form: Form, draft: Draft) -> Item | None:
    """The item being asked, or None on the review screen."""
    if draft.at is None:
        return None
    return next((item for item in form.items if item.id == draft.at), None)


def reconcile(form: Form, draft: Draft) -> Draft:
    """Fit a draft saved under older content to the form as it is now."""
    known = {item.id for item in form.items}
    answers = {key: value for key, value in draft.answers.items() if key in known}
    fitted = draft.model_copy(update={"answers": answers})
    if draft.at is not None and draft.at not in known:
        return _to_review(form, fitted.model_copy(update={"at": None, "pending": {}}))
    return fitted


def missing(form: Form, draft: Draft) -> list[str]:
    return [i.id for i in form.items if i.required and draft.answers.get(i.id) in (None, [])]


def _enter(form: Form, draft: Draft, item_id: str, editing: bool = False) -> Draft:
    item = form.item(item_id)
    pending: dict[str, Any] = {}
    if item.kind == ItemKind.MULTI:
        pending = {"selected": list(draft.answers.get(item_id) or [])}
    elif item.kind == ItemKind.ACTIVITIES:
        step = ActivityStep.MORE if draft.answers.get(item_id) else ActivityStep.WHAT
        pending = {"step": step.value, "activity": {}}
    return draft.model_copy(update={"at": item_id, "editing": editing, "pending": pending})


def _to_review(form: Form, draft: Draft) -> Draft:
    """The review screen, unless something required is still missing: then ask for that."""
    gaps = missing(form, draft)
    if gaps:
        return _enter(form, draft, gaps[0], editing=True)
    return draft.model_copy(update={"at": None, "editing": False, "pending": {}})


def _advance(form: Form, draft: Draft) -> Draft:
    ids = [item.id for item in form.items]
    position = ids.index(draft.at) if draft.at in ids else len(ids)
    if draft.editing or position + 1 >= len(ids):
        return _to_review(form, draft)
    return _enter(form, draft, ids[position + 1])


def answer(form: Form, draft: Draft, value: Any) -> Draft:
    """Store an already-parsed answer to the current item and move on."""
    item = current(form, draft)
    if item is None:
        raise AnswerError(Problem.USE_BUTTONS)
    if item.kind in (ItemKind.CHOICE, ItemKind.SCALE, ItemKind.MULTI, ItemKind.NUMBER):
        value = check_choice(item, value)
    answered = draft.model_copy(update={"answers": {**draft.answers, item.id: value}})
    return _advance(form, answered)


def skip(form: Form, draft: Draft) -> Draft:
    item = current(form, draft)
    if item is None or item.required:
        raise AnswerError(Problem.EMPTY)
    return _advance(form, draft.model_copy(update={"answers": {**draft.answers, item.id: None}}))


def back(form: Form, draft: Draft) -> Draft:
    ids = [item.id for item in form.items]
    if draft.at is None:
        return _enter(form, draft, ids[-1])
    position = ids.index(draft.at)
    return _enter(form, draft, ids[max(position - 1, 0)])


def edit(form: Form, draft: Draft, item_id: str) -> Draft:
    if item_id not in {item.id for item in form.items}:
        raise AnswerError(Problem.UNKNOWN_OPTION)
    return _enter(form, draft, item_id, editing=True)


def toggle(form: Form, draft: Draft, option_id: str) -> Draft:
    item = current(form, draft)
    if item is None or item.kind != ItemKind.MULTI:
        raise AnswerError(Problem.USE_BUTTONS)
    if option_id not in {option.id for option in item.options}:
        raise AnswerError(Problem.UNKNOWN_OPTION)
    selected = list(draft.pending.get("selected", []))
    selected = (
        [o for o in selected if o != option_id]
        if option_id in selected
        else [
            *selected,
            option_id,
        ]
    )
    return draft.model_copy(update={"pending": {"selected": selected}})


def confirm_selection(form: Form, draft: Draft) -> Draft:
    return answer(form, draft, list(draft.pending.get("selected", [])))


# --- plan activities: what, who is responsible, end date; then "add another" or "done" ---


def activity_step(draft: Draft) -> ActivityStep:
    return ActivityStep(draft.pending.get("step", ActivityStep.WHAT.value))


def _with_pending(draft: Draft, step: ActivityStep, activity: dict[str, Any]) -> Draft:
    return draft.model_copy(update={"pending": {"step": step.value, "activity": activity}})


def activity_input(form: Form, draft: Draft, value: str, today: date) -> Draft:
    """One field of the activity being written; the third completes it."""
    item = current(form, draft)
    if item is None or item.kind != ItemKind.ACTIVITIES:
        raise AnswerError(Problem.USE_BUTTONS)
    step = activity_step(draft)
    activity = dict(draft.pending.get("activity", {}))
    if step == ActivityStep.WHAT:
        activity["what"] = parse_text(value, ACTIVITY_TEXT_LIMIT)
        return _with_pending(draft, ActivityStep.WHO, activity)
    if step == ActivityStep.WHO:
        if value not in RESPONSIBLE:
            raise AnswerError(Problem.USE_BUTTONS)
        activity["who"] = value
        return _with_pending(draft, ActivityStep.END, activity)
    if step == ActivityStep.END:
        activity["end"] = parse_date(value, today, "future").isoformat()
        activities = [*(draft.answers.get(item.id) or []), activity]
        updated = draft.model_copy(update={"answers": {**draft.answers, item.id: activities}})
        return _with_pending(updated, ActivityStep.MORE, {})
    raise AnswerError(Problem.USE_BUTTONS)


def add_activity(draft: Draft) -> Draft:
    return _with_pending(draft, ActivityStep.WHAT, {})


def remove_activity(form: Form, draft: Draft, index: int) -> Draft:
    item = current(form, draft)
    activities = list(draft.answers.get(item.id) or []) if item else []
    if not 0 <= index < len(activities):
        raise AnswerError(Problem.UNKNOWN_OPTION)
    del activities[index]
    assert item is not None
    updated = draft.model_copy(update={"answers": {**draft.answers, item.id: activities}})
    step = ActivityStep.MORE if activities else ActivityStep.WHAT
    return _with_pending(updated, step, {})


def finish_activities(form: Form, draft: Draft) -> Draft:
    item = current(form, draft)
    if item is None or item.kind != ItemKind.ACTIVITIES or not draft.answers.get(item.id):
        raise AnswerError(Problem.EMPTY)
    return _advance(form, draft.model_copy(update={"pending": {}}))
