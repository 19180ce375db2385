"""The composition root: the only place that builds infrastructure."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram import methods as aiogram_methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllPrivateChats,
    ErrorEvent,
)
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.content import Catalog, load_catalog
from bot.context import AppContext, Clock
from bot.db import migrate
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.db.types import utcnow
from bot.db.vault import Vault, load_or_create_key
from bot.delivery import Courier
from bot.dialogs import unit_of_work
from bot.dialogs.middlewares import DatabaseMiddleware, PatientLocale, PatientMiddleware
from bot.dialogs.patient import patient_router
from bot.dialogs.staff.middleware import StaffMiddleware
from bot.dialogs.staff.routers import staff_router
from bot.domain.triage import default_triage
from bot.locales import LOCALES, compile_catalogues
from bot.outbox import OutboxSender
from bot.scheduler import create_scheduler
from bot.timekeeper import Timekeeper

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


def create_dispatcher(infra: Infrastructure, bot: Bot) -> Dispatcher:
    sender = OutboxSender(bot, infra.context, infra.session_factory)
    courier = Courier(bot, infra.context, infra.i18n, infra.session_factory, sender)
    timekeeper = Timekeeper(infra.context, infra.i18n, infra.session_factory, sender, courier)
    dispatcher = Dispatcher(
        ctx=infra.context, i18n=infra.i18n, courier=courier, sender=sender, timekeeper=timekeeper
    )
    dispatcher.update.outer_middleware(DatabaseMiddleware(infra.session_factory, sender.kick))
    for observer in (dispatcher.message, dispatcher.edited_message, dispatcher.callback_query):
        observer.outer_middleware(StaffMiddleware())
        observer.outer_middleware(PatientMiddleware())
    PatientLocale(infra.i18n).setup(dispatcher)
    dispatcher.include_routers(patient_router(), staff_router())
    dispatcher.errors.register(_log_error)
    return dispatcher


async def start_services(dispatcher: Dispatcher) -> None:
    """What runs beside the dispatcher: the outbox sender (after releasing what a dead run
    had claimed), and a first read of each staff chat's coordinators. The triage is built
    first (a few seconds), so the first message is answered at once."""
    default_triage()
    # The triage's dictionaries are some 450,000 objects that live as long as the process;
    # frozen, the cyclic collector stops walking them, so no update waits behind a full
    # collection (0.13 s each on an idle machine).
    gc.freeze()
    await dispatcher["timekeeper"].recover()
    dispatcher["sender"].start()
    await dispatcher["courier"].refresh_all_coordinators()


async def _log_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    return True


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


def N_(text: str) -> str:
    """Marks a string for the catalogue; it is translated where it is shown."""
    return text


STAFF_COMMANDS = (
    ("invite", N_("Invite a new patient")),
    ("card", N_("The patient's card")),
    ("activate", N_("Activate a module: /activate N")),
    ("finish", N_("Finish a module: /finish N")),
    ("forms", N_("The patient's forms")),
    ("chart", N_("The wellbeing trend")),
    ("plan", N_("The rehabilitation plan; /plan text adds to it")),
    ("todo", N_("The module's to-do list")),
    ("contact", N_("Set the next contact")),
    ("done", N_("The contact took place; /done DATE TIME sets the next")),
    ("journal", N_("A summary for the patient record")),
    ("handover", N_("Hand the patient over")),
    ("maintenance", N_("Put the program in maintenance")),
    ("end", N_("End the program")),
    ("away", N_("Your absence: /away DATE or /away off")),
    ("audit", N_("The audit log")),
    ("help", N_("Staff help")),
)


async def set_commands(bot: Bot, i18n: I18n, settings: Settings) -> None:
    for language in ("sv", "en"):
        with i18n.use_locale(language), i18n.context():
            commands = [
                BotCommand(command="menu", description=i18n.gettext("Your modules")),
                BotCommand(command="help", description=i18n.gettext("Help")),
                BotCommand(command="language", description=i18n.gettext("Change language")),
                BotCommand(command="reminders", description=i18n.gettext("Reminders on or off")),
                BotCommand(command="export", description=i18n.gettext("Your material as a PDF")),
                BotCommand(command="consent", description=i18n.gettext("Your consent")),
                BotCommand(command="erase", description=i18n.gettext("Delete everything")),
            ]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeAllPrivateChats(),
            language_code=None if language == "sv" else language,
        )
    with i18n.use_locale(settings.staff_language), i18n.context():
        staff_commands = [
            BotCommand(command=name, description=i18n.gettext(description))
            for name, description in STAFF_COMMANDS
        ]
    # Group administrators are the coordinators; the bot still checks on every use.
    await bot.set_my_commands(staff_commands, scope=BotCommandScopeAllChatAdministrators())


async def run_polling(settings: Settings) -> None:
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    if settings.staff_chat_id is None:
        log.warning(
            "STAFF_CHAT_ID is not set: patients' messages are stored, but no coordinator "
            "sees them until a staff chat is configured (or added with `unit add`)"
        )
    bot = create_bot(settings)
    dispatcher = create_dispatcher(infra, bot)
    timekeeper: Timekeeper = dispatcher["timekeeper"]
    sender: OutboxSender = dispatcher["sender"]
    await start_services(dispatcher)
    # What fell due while the bot was down is caught up now, not half a minute later.
    await timekeeper.tick()
    scheduler = create_scheduler(dispatcher["courier"], timekeeper)
    scheduler.start()
    try:
        await set_commands(bot, infra.i18n, settings)
        # Updates that arrived while the bot was down are kept and processed, not dropped.
        await dispatcher.start_polling(
            bot,
            polling_timeout=settings.polling_timeout,
            handle_signals=True,
            tasks_concurrency_limit=settings.update_concurrency,
        )
    finally:
        scheduler.shutdown(wait=False)
        await sender.stop()
        await infra.engine.dispose()
