"""What every screen is drawn with: the patient, their language, and the buttons."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Patient
from bot.domain.navigation import Location
from bot.texts.callbacks import Act, Op


def grid(count: int, per_row: int) -> list[int]:
    """Row widths that put `count` buttons `per_row` to a row, the last row holding the rest."""
    full, rest = divmod(count, per_row)
    return [per_row] * full + ([rest] if rest else [])


@dataclass(frozen=True)
class View:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


class ScreenBase:
    def __init__(self, ctx: AppContext, session: AsyncSession, patient: Patient) -> None:
        self.ctx = ctx
        self.session = session
        self.patient = patient
        self.language = patient.language
        self.buttons: list[InlineKeyboardButton] = []
        self.widths: tuple[int, ...] = (1,)

    def button(self, label: str, op: Op, arg: object = "") -> None:
        data = Act.packed(self.patient.screen_seq, op, str(arg))
        self.buttons.append(InlineKeyboardButton(text=label, callback_data=data))

    def row(self, *widths: int) -> None:
        """The rows' widths, the last repeated for the buttons that remain."""
        self.widths = widths

    def keyboard(self) -> InlineKeyboardMarkup | None:
        # Built directly: aiogram's builder deep-copies every button on export, which on a
        # page turn cost more than drawing the page.
        rows, rest, widths = [], self.buttons, list(self.widths)
        while rest:
            width = widths.pop(0) if len(widths) > 1 else widths[0]
            rows.append(rest[:width])
            rest = rest[width:]
        return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None

    async def home(self, here: Location) -> str:
        """Where a screen whose content is gone falls back to (drawn by ProgramScreens)."""
        raise NotImplementedError
