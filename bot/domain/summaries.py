"""What is read about a patient before it is shown: plain data, built by the services and
rendered by the text builders (`bot/texts/`), so neither needs the other's code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.models import ModuleStatus
from bot.domain.scoring import Trend


@dataclass(frozen=True)
class Submitted:
    """A form as the patient sent it, opened from the vault."""

    id: int
    form_id: str
    module: int
    answers: dict[str, Any]
    score: dict[str, Any] | None
    wording: str
    submitted_at: datetime


@dataclass(frozen=True)
class ModuleState:
    number: int
    status: ModuleStatus
    page: int  # 1-based
    pages: int


@dataclass(frozen=True)
class Overview:
    """The card's state: where the patient is in each module, and their scores."""

    modules: list[ModuleState]
    wellbeing: list[tuple[datetime, float]]
    wellbeing_trend: Trend
    wai_category: str | None

    @property
    def active(self) -> list[int]:
        return [m.number for m in self.modules if m.status == ModuleStatus.ACTIVE]

    @property
    def latest_wellbeing(self) -> float | None:
        return self.wellbeing[-1][1] if self.wellbeing else None
