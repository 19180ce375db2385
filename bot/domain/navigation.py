"""Where a patient is, and which modules they may open."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from bot.content import Catalog
from bot.content.schema import Module


class Screen(StrEnum):
    LANGUAGE = "language"
    CONSENT = "consent"
    EXPECTATIONS = "expectations"
    DECLINED = "declined"
    HOME = "home"
    PAGE = "page"
    CONTENTS = "contents"
    PAUSED = "paused"
    FORM = "form"
    ANSWERS = "answers"
    RESPONSE = "response"
    WRITE = "write"  # writing to the coordinator
    URGENT = "urgent"  # "It's urgent": where to turn now
    ERASE = "erase"  # "delete everything?", asked twice
    ERASE_CONFIRM = "erase_confirm"
    SHARING = "sharing"  # the consent to share: what it is, change it, withdraw it
    PLAN = "plan"  # the whole rehabilitation plan, with the coordinator's additions


class Location(BaseModel):
    screen: Screen = Screen.HOME
    module: int | None = None
    page: str | None = None
    form: str | None = None
    response: int | None = None

    def encode(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def decode(cls, raw: str) -> Location:
        return cls.model_validate_json(raw)


class ModuleRule(StrEnum):
    NO_SUCH_MODULE = "no_such_module"
    ALREADY_ACTIVE = "already_active"
    CLASHES = "clashes"
    NOT_ACTIVE = "not_active"


class ModuleRuleError(ValueError):
    """A module change the program does not allow; `rule` says which. The words for people
    are in bot/texts/rules.py."""

    def __init__(self, rule: ModuleRule, module: int, other: int | None = None) -> None:
        super().__init__(f"{rule.value}: module {module}" + (f", {other}" if other else ""))
        self.rule = rule
        self.module = module
        self.other = other


def may_run_together(catalog: Catalog, first: int, second: int) -> bool:
    pair = {first, second}
    return any(pair == set(allowed) for allowed in catalog.texts.parallel_modules)


def check_activation(catalog: Catalog, module: int, active: set[int]) -> None:
    """Coordinators activate modules; only the program's parallel pairs run together."""
    if module not in catalog.modules:
        raise ModuleRuleError(ModuleRule.NO_SUCH_MODULE, module)
    if module in active:
        raise ModuleRuleError(ModuleRule.ALREADY_ACTIVE, module)
    clashing = sorted(m for m in active if not may_run_together(catalog, module, m))
    if clashing:
        raise ModuleRuleError(ModuleRule.CLASHES, module, clashing[0])


def resolve_page(module: Module, page_id: str | None) -> int:
    """The page index to show: the saved page, or the first if content moved on without it."""
    index = module.page_index(page_id)
    return 0 if index is None else index
