"""What handlers receive from the dispatcher's workflow data, declared once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.content import Catalog
from bot.db.vault import Vault

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    catalog: Catalog
    vault: Vault
    clock: Clock

    def today(self) -> datetime:
        return self.clock().astimezone(self.settings.tz)

    def fill(self, text: str) -> str:
        """The program's placeholders, filled from the settings."""
        return text.format(
            clinic_name=self.settings.clinic_name,
            clinic_phone=self.settings.clinic_phone,
            response_days=self.settings.response_time_days,
        )
