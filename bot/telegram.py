"""The bot's HTTP client to the Bot API: one session, no transaction open across a call, and
aiogram's response models kept once built."""

from __future__ import annotations

from aiogram import Bot
from aiogram import methods as aiogram_methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods.base import Response, TelegramMethod

from bot.config import Settings
from bot.dialogs import unit_of_work


def create_bot(settings: Settings) -> Bot:
    assert settings.bot_token is not None
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_url),
        timeout=settings.request_timeout,
    )
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    unit_of_work.install(bot)  # no transaction stays open across a Bot API call
    keep_response_models()
    return bot


_RESPONSE_MODELS: list[type] = []


def keep_response_models() -> None:
    """Build aiogram's `Response[T]` once for every method's result, and keep it.

    aiogram parses each answer with `Response[T]`, a generic pydantic model, and pydantic
    caches generic classes only weakly: on a busy bot the garbage collector kept taking them,
    and each was built again (about 5 ms a time, hundreds of times a minute)."""
    if _RESPONSE_MODELS:
        return
    returning = {
        method.__returning__
        for method in vars(aiogram_methods).values()
        if isinstance(method, type) and issubclass(method, TelegramMethod)
        and method is not TelegramMethod
    }  # fmt: skip
    _RESPONSE_MODELS.extend(Response[kind] for kind in returning)  # type: ignore[valid-type]
