"""The program as data: the schema every content file is validated against."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LANGUAGES = ("sv", "en")
# A page is one Telegram message: 4096 characters, less the header and navigation we add.
PAGE_BODY_LIMIT = 3600
ID_PATTERN = r"^[a-z0-9_]+$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in every language the program is offered in."""

    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.sv


class Source(Strict):
    title: str
    url: str | None = None


class ItemKind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    MULTI = "multi"
    ACTIVITIES = "activities"


BUTTON_KINDS = frozenset({ItemKind.CHOICE, ItemKind.SCALE, ItemKind.MULTI})


class Option(Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=24)
    label: Text


class Item(Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=32)
    kind: ItemKind
    prompt: Text
    hint: Text | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    # Scale anchors: the label of some (or every) scale value.
    labels: dict[int, Text] = Field(default_factory=dict)
    # A scale may offer "does not apply", stored as "NA".
    not_applicable: Text | None = None
    max_length: int = Field(default=1500, ge=1, le=3500)
    dates: Literal["any", "past", "future"] = "any"

    @model_validator(mode="after")
    def _shape(self) -> Item:
        if self.kind in (ItemKind.CHOICE, ItemKind.MULTI):
            if len(self.options) < 2:
                raise ValueError(f"{self.kind} item needs at least two options")
            ids = [option.id for option in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("option ids must be unique")
        if self.kind in (ItemKind.SCALE, ItemKind.NUMBER):
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError(f"{self.kind} item needs min < max")
            stray = [value for value in self.labels if not self.min <= value <= self.max]
            if stray:
                raise ValueError(f"labels outside the scale: {stray}")
        if self.kind == ItemKind.SCALE and self.max - self.min > 10:  # type: ignore[operator]
            raise ValueError("a scale has at most 11 steps; use a number item")
        if self.required and self.kind in (ItemKind.MULTI,):
            raise ValueError("a multi item may be left empty; mark it required: false")
        return self


class Band(Strict):
    """A category for totals below `below` (the last band has no bound)."""

    category: str = Field(pattern=ID_PATTERN)
    below: float | None = None
    label: Text
    advice: Text | None = None
    flag: bool = False


class Scoring(Strict):
    method: Literal["sum", "mean", "wai"]
    multiplier: float = 1.0
    # item -> base: the scored value is base - answer (reversed items).
    reverse: dict[str, int] = Field(default_factory=dict)
    # item -> {answer: points}: answers scored through a table (WAI, Örebro item 1).
    tables: dict[str, dict[str, float]] = Field(default_factory=dict)
    subscales: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    bands: tuple[Band, ...] = ()
    # Flag any single item answered at or below this value (WHO-5).
    item_flag_at_or_below: int | None = None
    # A change of at least this much between two measurements counts as real.
    meaningful_change: float | None = None
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bands_ordered(self) -> Scoring:
        bounds = [band.below for band in self.bands]
        if bounds and (bounds[-1] is not None or None in bounds[:-1]):
            raise ValueError("every band but the last needs `below`; the last has none")
        numeric = [bound for bound in bounds if bound is not None]
        if numeric != sorted(numeric):
            raise ValueError("bands must be in increasing order")
        return self


class Form(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    intro: Text
    # The instrument name `python -m bot score` knows this form by (INSTRUMENTS.md).
    instrument: str | None = None
    # Whose item wording this is; licensed packs replace it (see bot/content/wording.py).
    wording: Literal["project"] = "project"
    layout: Literal["list", "grid"] = "list"
    repeatable: bool = False
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: Scoring | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Form:
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique within a form")
        if self.layout == "grid" and (
            len(self.items) != 4 or any(i.kind != ItemKind.TEXT for i in self.items)
        ):
            raise ValueError("a grid form has exactly four text items")
        if self.scoring:
            named = set(self.scoring.reverse) | set(self.scoring.tables)
            named |= {item for group in self.scoring.subscales.values() for item in group}
            unknown = named - set(ids)
            if unknown:
                raise ValueError(f"scoring names unknown items: {sorted(unknown)}")
        return self

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def band(self, category: str | None) -> Band | None:
        """The scoring band a score's category names, if the form has it."""
        bands = self.scoring.bands if self.scoring else ()
        return next((band for band in bands if band.category == category), None)


class PageKind(StrEnum):
    TEXT = "text"
    PAUSE = "pause"


class Page(Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=32)
    title: Text
    body: Text
    kind: PageKind = PageKind.TEXT
    form: str | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _fits_one_message(self) -> Page:
        for language in LANGUAGES:
            if len(self.body(language)) > PAGE_BODY_LIMIT:
                raise ValueError(
                    f"body ({language}) is {len(self.body(language))} characters; "
                    f"at most {PAGE_BODY_LIMIT} fit one message"
                )
        return self


class Module(Strict):
    number: int = Field(ge=1, le=9)
    title: Text
    summary: Text
    pages: tuple[Page, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_pages(self) -> Module:
        ids = [page.id for page in self.pages]
        if len(set(ids)) != len(ids):
            raise ValueError("page ids must be unique within a module")
        return self

    def page_index(self, page_id: str | None) -> int | None:
        return next((i for i, page in enumerate(self.pages) if page.id == page_id), None)


class ConsentText(Strict):
    version: str = Field(max_length=16)
    title: Text
    body: Text


class ChecklistItem(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: Text


class ProgramTexts(Strict):
    """The program's own words outside the modules: consent and what to expect."""

    participation_consent: ConsentText
    expectations: Text
    declined: Text
    # Module pairs that may be active at the same time (PROGRAM.md: module 2 runs in parallel).
    parallel_modules: tuple[tuple[int, int], ...] = ()
    # The coordinator's "to do" after every module, and what each module adds (seed 000).
    checklist: tuple[ChecklistItem, ...] = ()
    module_checklist: dict[int, tuple[ChecklistItem, ...]] = Field(default_factory=dict)
    # Forms a coordinator may send outside the modules (/send KEDS, seed 002 "rutinsamtal").
    sendable_forms: tuple[str, ...] = ()

    def checklist_for(self, module: int) -> tuple[ChecklistItem, ...]:
        return self.checklist + self.module_checklist.get(module, ())
