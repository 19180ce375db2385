"""An update's database work, committed before the bot speaks to Telegram.

A service decides and the change is committed before anything is sent: no transaction stays
open while a Bot API call is in flight. On SQLite every transaction holds the write lock
(bot/db/session.py), so an update that kept its transaction across `answerCallbackQuery` and
`editMessageText` made every other update wait for Telegram's round trips. The update's
session is committed by a request middleware on the bot's HTTP session, just before each
call made while handling that update; work after the call begins a new transaction, which
DatabaseMiddleware commits at the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import outbox


class DuplicateUpdate(Exception):
    """The same update was committed by another worker first: this one must not speak."""


class UnitOfWork:
    def __init__(self, session: AsyncSession, after_commit: Callable[[], None] | None) -> None:
        self.session = session
        self.after_commit = after_commit  # the outbox sender looks for what was queued
        self.task = asyncio.current_task()
        self._lock = asyncio.Lock()

    async def commit(self) -> None:
        async with self._lock:
            if self.session.in_transaction():
                try:
                    await self.session.commit()
                except IntegrityError:  # the update's id, stored by a worker handling it too
                    await self.session.rollback()
                    raise DuplicateUpdate from None
        # Also when a service committed its use case itself: what it queued is looked for.
        if self.after_commit is not None and outbox.queued_since_asked(self.session):
            self.after_commit()


current: ContextVar[UnitOfWork | None] = ContextVar("update_unit_of_work", default=None)


class CommitBeforeSending(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        work = current.get()
        # Only in the update's own task: a task it started (an album's wait) has its own.
        if work is not None and work.task is asyncio.current_task():
            await work.commit()
        return await make_request(bot, method)


def install(bot: Bot) -> None:
    bot.session.middleware(CommitBeforeSending())
