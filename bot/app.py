"""The composition root: the only place that builds infrastructure."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, ErrorEvent
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.content import Catalog, load_catalog
from bot.context import AppContext, Clock
from bot.db import migrate
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.db.types import utcnow
from bot.db.vault import Vault, load_or_create_key
from bot.dialogs.middlewares import DatabaseMiddleware, PatientLocale, PatientMiddleware
from bot.dialogs.patient import patient_router
from bot.locales import LOCALES, compile_catalogues

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Infrastructure:
    context: AppContext
    engine: AsyncEngine
    session_factory: SessionFactory
    i18n: I18n


def build_infrastructure(
    settings: Settings, clock: Clock = utcnow, catalog: Catalog | None = None
) -> Infrastructure:
    engine = create_engine(settings.database_url)
    key = load_or_create_key(
        settings.data_key.get_secret_value() if settings.data_key else None, settings.data_dir
    )
    context = AppContext(
        settings=settings,
        catalog=catalog or load_catalog(pack_dir=settings.wording_pack_dir),
        vault=Vault(key),
        clock=clock,
    )
    compile_catalogues()
    i18n = I18n(path=LOCALES, default_locale="sv", domain="messages")
    return Infrastructure(context, engine, create_session_factory(engine), i18n)


def create_dispatcher(infra: Infrastructure) -> Dispatcher:
    dispatcher = Dispatcher(ctx=infra.context, i18n=infra.i18n)
    dispatcher.update.outer_middleware(DatabaseMiddleware(infra.session_factory))
    for observer in (dispatcher.message, dispatcher.callback_query):
        observer.outer_middleware(PatientMiddleware())
    PatientLocale(infra.i18n).setup(dispatcher)
    dispatcher.include_router(patient_router())
    dispatcher.errors.register(_log_error)
    return dispatcher


async def _log_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    return True


def create_bot(settings: Settings) -> Bot:
    assert settings.bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


async def set_commands(bot: Bot, i18n: I18n) -> None:
    for language in ("sv", "en"):
        with i18n.use_locale(language), i18n.context():
            commands = [
                BotCommand(command="menu", description=i18n.gettext("Your modules")),
                BotCommand(command="help", description=i18n.gettext("Help")),
                BotCommand(command="language", description=i18n.gettext("Change language")),
            ]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeAllPrivateChats(),
            language_code=None if language == "sv" else language,
        )


async def run_polling(settings: Settings) -> None:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    bot = create_bot(settings)
    dispatcher = create_dispatcher(infra)
    try:
        await set_commands(bot, infra.i18n)
        # Updates that arrived while the bot was down are kept and processed, not dropped.
        await dispatcher.start_polling(
            bot, polling_timeout=settings.polling_timeout, handle_signals=True
        )
    finally:
        await infra.engine.dispose()
