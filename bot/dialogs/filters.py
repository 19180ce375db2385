"""Who may press what: strangers, patients by status, and buttons from the current screen;
and magic filters resolved in the loop."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import TelegramObject
from aiogram.utils.magic_filter import MagicFilter

from bot.db.models import Patient, PatientStatus
from bot.texts.callbacks import Act


class IsStranger(BaseFilter):
    async def __call__(self, event: TelegramObject, patient: Patient | None) -> bool:
        return patient is None


class HasStatus(BaseFilter):
    def __init__(self, *statuses: PatientStatus) -> None:
        self.statuses = statuses

    async def __call__(self, event: TelegramObject, patient: Patient | None) -> bool:
        return patient is not None and patient.status in self.statuses


class OnCurrentScreen(BaseFilter):
    """A button drawn for the screen the patient is on now (not an old or forged one)."""

    async def __call__(
        self, event: TelegramObject, patient: Patient | None, callback_data: Act
    ) -> bool:
        return patient is not None and callback_data.seq == patient.screen_seq


class Magic(BaseFilter):
    """A magic filter (`F.text`, `F.chat.type == "private"`) resolved in the event loop.

    aiogram runs a bare F-expression as a plain function, in a worker thread
    (`asyncio.to_thread`): a thread hop and a wait for the loop, on every update and for
    every router it passes, while the update's database connection is held. Resolving
    an attribute path needs microseconds, so it is done here at once."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> bool | dict[str, Any]:
        result = self.magic.resolve(event)
        return result if isinstance(result, dict) else bool(result)
