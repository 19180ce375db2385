"""Whatever the other patient routers did not take gets a kind, clear answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.models import PatientStatus
from bot.dialogs.filters import IsStranger, Magic
from bot.dialogs.patient.common import Turn
from bot.domain.answers import Problem
from bot.services.journey import Notice, NoticeKind
from bot.texts.patient import urgent_line

USE_BUTTONS = Notice(NoticeKind.PROBLEM, {"problem": Problem.USE_BUTTONS})
MOVED_ON = Notice(NoticeKind.MOVED_ON)


async def stranger(message: Message) -> None:
    await message.answer(
        _(
            "Hello! This bot is for patients whom a rehabilitation coordinator has invited "
            "to the Sjukskrivningskollen program. If you have an invite link, open it again. "
            "If you need care, contact your health centre or 1177. In an emergency, call 112."
        )
    )


async def stranger_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is not for you."), show_alert=True)


async def command_while_not_in_program(message: Message, turn: Turn) -> None:
    """During onboarding or after declining the commands show where the patient is."""
    await turn.show()


async def unknown_command(message: Message, turn: Turn) -> None:
    await message.answer(
        _("I do not know that command. These work: /menu, /help, /language, /reminders.")
    )
    await turn.show()


async def text_not_expected(message: Message, turn: Turn) -> None:
    declined = turn.patient.status == PatientStatus.DECLINED
    await turn.show(None if declined else USE_BUTTONS)


async def not_text(message: Message, turn: Turn) -> None:
    """Stickers, photos, voice, files: none of them can answer a form."""
    only_text = _(
        "I can only read text messages here, so I could not use that. Nothing you have "
        "entered is lost."
    )
    await message.answer(f"{only_text} {urgent_line(turn.ctx.settings)}")
    await turn.show()


async def stale_button(query: CallbackQuery, turn: Turn) -> None:
    """A button from an older screen, a restart, a content update, or forged data."""
    await query.answer(_("This step has moved on – here is where you are."))
    await turn.show(MOVED_ON)


def router() -> Router:
    built = Router(name="fallback")
    built.message.register(stranger, IsStranger())
    built.callback_query.register(stranger_button, IsStranger())
    built.message.register(
        command_while_not_in_program,
        Command("menu", "help", "language", "reminders", "consent", "export", "erase"),
    )
    built.message.register(unknown_command, Magic(F.text.startswith("/")))
    built.message.register(text_not_expected, Magic(F.text))
    built.message.register(not_text)
    built.callback_query.register(stale_button)
    return built
