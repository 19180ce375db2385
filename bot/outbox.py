"""The outbox sender: takes due messages from the database and sends them within Telegram's
limits, retrying with backoff, honouring `retry_after`, and recording a permanent refusal.

A message is marked sent as soon as Telegram has answered, in its own transaction, so a
crash can at worst resend the one message that was in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, OutboxMessage, OutboxStatus, Patient
from bot.db.session import SessionFactory
from bot.domain.ratelimit import Limits, RateLimiter
from bot.locales import speaking
from bot.services import outbox

log = logging.getLogger(__name__)

BATCH = 200
SENDERS = 2
MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0
# Messages to someone whose data is deleted: the row goes once Telegram has the message.
FORGET_WHEN_SENT = ("goodbye",)


def backoff(attempts: int) -> float:
    """1, 2, 4 ... seconds (capped), with jitter so retries do not arrive together."""
    return min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        ctx: AppContext,
        i18n: I18n,
        session_factory: SessionFactory,
        limits: Limits | None = None,
    ) -> None:
        self.bot = bot
        self.ctx = ctx
        self.i18n = i18n
        self.session_factory = session_factory
        self.limiter = RateLimiter(limits or Limits(per_second=ctx.settings.outbox_rate))
        self.poll = ctx.settings.outbox_poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._dirty = True
        self.idle = False
        self.caused_429 = 0
        # Told about a patient who cannot be reached (the courier redraws their card).
        self.on_unreachable: Callable[[AsyncSession, Patient], Awaitable[None]] | None = None

    def kick(self) -> None:
        """Something was queued (and committed): look now rather than at the next poll."""
        self._dirty = True
        self.idle = False
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        recovered = False
        while True:
            try:
                if not recovered:
                    await self._recover()
                    recovered = True
                sent_any = await self.drain()
            except Exception:  # the loop must outlive any one bad message or database hiccup
                log.exception("outbox pass failed")
                sent_any = False
            if not sent_any and not self._dirty:
                self.idle = True
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll)

    async def _recover(self) -> None:
        async with self.session_factory() as session:
            released = await outbox.release_stale(session, self.ctx.clock(), timedelta(0))
            if released:
                log.info("%s messages a previous run had claimed are queued again", released)

    async def drain(self) -> bool:
        """One pass over what is due; True if anything was sent or changed."""
        self._dirty = False
        async with self.session_factory() as session:
            rows = await outbox.claim(session, self.ctx.clock(), BATCH)
            if not rows:
                return False
            claimed = [row.id for row in rows if row.id is not None]
            try:
                return await self._send_batch(session, rows)
            finally:
                # Whatever this pass claimed and did not finish goes back in the queue.
                await session.rollback()
                await outbox.release(session, claimed)

    async def _send_batch(self, session: AsyncSession, rows: list[OutboxMessage]) -> bool:
        """Two senders side by side, each with its own session and booked slots: while one
        waits for Telegram or commits, the other sends, so the rate is the limit's, not the
        round trip's."""
        queue = deque(rows)
        held: list[OutboxMessage] = []

        async def worker() -> None:
            async with self.session_factory() as own:
                while queue:
                    row = queue.popleft()
                    now = time.monotonic()
                    if self.limiter.chat_wait(row.chat_id, now) > 0:
                        held.append(row)  # this chat must wait; others need not
                        continue
                    at = self.limiter.reserve(row.chat_id, now)
                    await asyncio.sleep(max(0.0, at - time.monotonic()))
                    await self.send(own, await own.merge(row, load=False))

        await asyncio.gather(*(worker() for _ in range(SENDERS)))
        if held and len(held) == len(rows):
            # Only busy chats are left: wait for the first to be free.
            now = time.monotonic()
            await asyncio.sleep(min(self.limiter.chat_wait(r.chat_id, now) for r in held))
        return True

    async def send(self, session: AsyncSession, row: OutboxMessage) -> None:
        message = outbox.outgoing(self.ctx.vault, row)
        markup = (
            InlineKeyboardMarkup.model_validate(message.reply_markup)
            if message.reply_markup
            else None
        )
        now = self.ctx.clock()
        try:
            sent = await self.bot.send_message(
                row.chat_id, message.text, message_thread_id=row.thread_id, reply_markup=markup
            )
        except TelegramRetryAfter as error:
            self.caused_429 += 1
            self.limiter.retry_after(error.retry_after, time.monotonic())
            outbox.retry(row, now, f"429 retry after {error.retry_after}s", count=False)
        except TelegramForbiddenError as error:
            outbox.refused(row, error.message)
            await self._refused(session, row)
        except (TelegramBadRequest, TelegramNotFound) as error:
            outbox.refused(row, error.message)
            log.warning("outbox %s refused: %s", row.dedupe_key, error.message)
        except (TelegramServerError, TelegramNetworkError, OSError) as error:
            if row.attempts + 1 >= MAX_ATTEMPTS:
                outbox.refused(row, str(error), OutboxStatus.GAVE_UP)
                log.error("outbox %s given up after %s attempts", row.dedupe_key, row.attempts)
                await self._refused(session, row)
            else:
                outbox.retry(row, now + timedelta(seconds=backoff(row.attempts + 1)), str(error))
        else:
            outbox.sent(row, sent.message_id, now)
            if row.purpose in FORGET_WHEN_SENT:
                await session.delete(row)  # nothing may remain of a deleted patient
                await session.commit()
                return
        session.add(row)
        # Recorded at once: what Telegram has taken is never sent again.
        await session.commit()

    async def _refused(self, session: AsyncSession, row: OutboxMessage) -> None:
        """A patient who cannot be reached: flagged, and the coordinators are told."""
        if row.patient_id is None:
            return
        patient = await session.get(Patient, row.patient_id)
        if patient is None or patient.unit_id is None or row.chat_id != patient.chat_id:
            return
        patient.blocked_bot = row.status == OutboxStatus.REFUSED or patient.blocked_bot
        session.add(patient)
        unit = await session.get(CareUnit, patient.unit_id)
        if unit is None:
            return
        with speaking(self.i18n, self.ctx.settings.staff_language):
            text = "⛔ " + _(
                "A message to {code} could not be delivered ({purpose}): {reason}"
            ).format(code=patient.pseudonym, purpose=row.purpose, reason=row.last_error)
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=f"undeliverable:{row.id}",
            purpose="undeliverable",
            chat_id=unit.staff_chat_id,
            thread_id=patient.topic_id if unit.forum else None,
            text=text,
            now=self.ctx.clock(),
        )
        if self.on_unreachable is not None:
            await self.on_unreachable(session, patient)
        self._dirty = True
