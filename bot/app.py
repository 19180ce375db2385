"""The composition root: the only place that knows every part, and the one start-up that
the bot's run, the test harness and the benches share."""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from typing import TypedDict

from aiogram import Bot, Dispatcher
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import set_commands
from bot.config import Settings
from bot.content import Catalog, load_catalog
from bot.context import AppContext, Clock
from bot.db import migrate
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.db.types import utcnow
from bot.db.vault import Vault, load_or_create_key
from bot.delivery.admins import Admins
from bot.delivery.albums import Albums
from bot.delivery.courier import Courier
from bot.delivery.pacing import Pacer, limiter_for
from bot.delivery.sender import OutboxSender
from bot.dialogs.middlewares import DatabaseMiddleware, PatientLocale, PatientMiddleware
from bot.dialogs.patient import patient_router
from bot.dialogs.staff.middleware import StaffMiddleware
from bot.dialogs.staff.routers import staff_router
from bot.domain.ratelimit import Limits
from bot.domain.triage import default_triage
from bot.locales import LOCALES, compile_catalogues
from bot.scheduler import Clockwork, create_scheduler
from bot.telegram import create_bot

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
    compile_catalogues()
    i18n = I18n(path=LOCALES, default_locale="sv", domain="messages")
    context = AppContext(
        settings=settings,
        catalog=catalog or load_catalog(pack_dir=settings.wording_pack_dir),
        vault=Vault(key),
        clock=clock,
        i18n=i18n,
    )
    return Infrastructure(context, engine, create_session_factory(engine), i18n)


class Workflow(TypedDict):
    """What handlers may ask for by name (aiogram's workflow data), besides what the
    middlewares add per update (session, patient, turn, unit, coordinator, desk)."""

    ctx: AppContext
    i18n: I18n
    sender: OutboxSender
    albums: Albums


@dataclass
class Running:
    """The bot's parts that run beside the dispatcher."""

    infra: Infrastructure
    bot: Bot
    dispatcher: Dispatcher
    sender: OutboxSender
    clockwork: Clockwork
    admins: Admins

    def scheduler(self) -> AsyncIOScheduler:
        return create_scheduler(self.clockwork)

    async def stop(self) -> None:
        await self.sender.stop()


def assemble(infra: Infrastructure, bot: Bot, limits: Limits | None = None) -> Running:
    ctx, sessions = infra.context, infra.session_factory
    limiter = limiter_for(ctx.settings, limits)
    admins = Admins(bot, ctx, sessions)
    courier = Courier(bot, ctx, Pacer(limiter), admins)
    sender = OutboxSender(bot, ctx, sessions, courier, limiter)
    albums = Albums(ctx, sessions, sender.kick)
    workflow = Workflow(ctx=ctx, i18n=infra.i18n, sender=sender, albums=albums)
    dispatcher = Dispatcher(**workflow)
    dispatcher.update.outer_middleware(DatabaseMiddleware(sessions, sender.kick))
    for observer in (dispatcher.message, dispatcher.edited_message, dispatcher.callback_query):
        observer.outer_middleware(StaffMiddleware())
        observer.outer_middleware(PatientMiddleware())
    PatientLocale(infra.i18n).setup(dispatcher)
    dispatcher.include_routers(patient_router(), staff_router())
    dispatcher.errors.register(_log_error)
    return Running(
        infra, bot, dispatcher, sender, Clockwork(ctx, sessions, sender.kick, admins), admins
    )


async def start(infra: Infrastructure, bot: Bot, limits: Limits | None = None) -> Running:
    """The one start-up: migrations, the triage built (a few seconds, so the first message
    is answered at once), what a dead run had claimed released, the outbox sender started,
    and a first read of each staff chat's coordinators."""
    await migrate.upgrade(infra.engine)
    running = assemble(infra, bot, limits)
    default_triage()
    # The triage's dictionaries are some 450,000 objects that live as long as the process;
    # frozen, the cyclic collector stops walking them, so no update waits behind a full
    # collection (0.13 s each on an idle machine).
    gc.freeze()
    await running.clockwork.recover()
    running.sender.start()
    await running.admins.refresh_all()
    return running


async def _log_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    return True


async def run_polling(settings: Settings) -> None:
    infra = build_infrastructure(settings)
    if settings.staff_chat_id is None:
        log.warning(
            "STAFF_CHAT_ID is not set: patients' messages are stored, but no coordinator "
            "sees them until a staff chat is configured (or added with `unit add`)"
        )
    bot = create_bot(settings)
    running = await start(infra, bot)
    # What fell due while the bot was down is caught up now, not half a minute later.
    await running.clockwork.tick()
    scheduler = running.scheduler()
    scheduler.start()
    try:
        await set_commands(bot, infra.i18n, settings)
        # Updates that arrived while the bot was down are kept and processed, not dropped.
        await running.dispatcher.start_polling(
            bot,
            polling_timeout=settings.polling_timeout,
            handle_signals=True,
            tasks_concurrency_limit=settings.update_concurrency,
        )
    finally:
        scheduler.shutdown(wait=False)
        await running.stop()
        await infra.engine.dispose()
