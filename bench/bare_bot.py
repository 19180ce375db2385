"""The baseline for bench/dialog.py: a bare aiogram bot that answers a page turn with the same
two calls the real bot makes (answer the press, edit the message), and nothing else.

Its screens carry buttons in the real bot's format (p:SEQ:page:N), so the bench presses both
bots the same way, and the same texts (module 1's pages, in Swedish), so both send and
receive the same amount. Run by bench/dialog.py as `python bench/bare_bot.py` with BOT_TOKEN and
TELEGRAM_API_URL in the environment.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.content import load_catalog

TEXTS = [
    f"<b>{page.title('sv')}</b>\n\n{page.body('sv')}" for page in load_catalog().module(1).pages
]
PAGES = len(TEXTS)


def screen(seq: int, page: int) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        InlineKeyboardButton(text=label, callback_data=f"p:{seq}:page:1.{target}")
        for label, target in (("‹", (page - 2) % PAGES + 1), ("›", page % PAGES + 1))
    ]
    return TEXTS[page - 1], InlineKeyboardMarkup(inline_keyboard=[buttons])


async def menu(message: Message) -> None:
    text, keyboard = screen(1, 1)
    await message.answer(text, reply_markup=keyboard)


async def turn_page(query: CallbackQuery) -> None:
    _prefix, seq, _op, target = str(query.data).split(":", 3)
    text, keyboard = screen(int(seq) + 1, int(target.split(".")[1]))
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=keyboard)


async def main() -> None:
    server = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])
    bot = Bot(
        os.environ["BOT_TOKEN"],
        session=AiohttpSession(api=server),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    dispatcher = Dispatcher()
    dispatcher.message.register(menu, Command("menu"))
    dispatcher.callback_query.register(turn_page, F.data.startswith("p:"))
    await dispatcher.start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
