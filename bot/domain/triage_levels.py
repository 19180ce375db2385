"""The triage's four levels, from ordinary to acute (shared by the rules and the learned
second opinion)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    ORDINARY = "ordinary"
    URGENT = "urgent"
    POSSIBLE = "possible"
    ACUTE = "acute"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    def lowered(self) -> Level:
        return Level.POSSIBLE if self == Level.ACUTE else Level.ORDINARY
