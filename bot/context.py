"""What handlers receive from the dispatcher's workflow data, declared once."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.content import Catalog
from bot.db.vault import Vault
from bot.locales import speaking

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    catalog: Catalog
    vault: Vault
    clock: Clock
    i18n: I18n

    def speaking(self, language: str) -> AbstractContextManager[None]:
        """Interface strings in `language`, in an update or outside one (ticks, the sender)."""
        return speaking(self.i18n, language)

    def staff_speaking(self) -> AbstractContextManager[None]:
        return self.speaking(self.settings.staff_language)

    def today(self) -> datetime:
        return self.clock().astimezone(self.settings.tz)

    def fill(self, text: str) -> str:
        """The program's placeholders, filled from the settings."""
        return text.format(
            clinic_name=self.settings.clinic_name,
            clinic_phone=self.settings.clinic_phone,
            response_days=self.settings.response_time_days,
        )
