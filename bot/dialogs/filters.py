"""Who may press what: strangers, patients by status, and buttons from the current screen."""

from __future__ import annotations

from aiogram.filters import BaseFilter
from aiogram.types import TelegramObject

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
