"""The outbox sender: takes due messages from the database and sends them within Telegram's
limits, retrying with backoff, honouring `retry_after`, and recording a permanent refusal.

Everything the bot sends on its own goes this way: relays between patient and topic, their
edits, cards, reminders, digests and alerts. Rows that are built when sent (a relay, a card)
are handed to `Deliveries` (the courier), which knows patients and topics.

A message is marked sent as soon as Telegram has answered, in its own transaction, so a
crash can at worst resend the one message that was in flight.

Rows of the safety lane (the answer to a patient in danger, the alert about them) are
claimed first, may use the share of a group's minute kept for them, and end a pass that is
busy with other rows, so they never wait behind relays and cards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from dataclasses import dataclass, field, replace
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
from aiogram.types import InlineKeyboardMarkup, ReplyParameters
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Lane, OutboxMessage, OutboxMethod, OutboxStatus
from bot.db.session import SessionFactory
from bot.domain.ratelimit import RateLimiter
from bot.services import outbox
from bot.services.outbox import Outgoing

log = logging.getLogger(__name__)

BATCH = 200
SENDERS = 2
MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0
SWEEP_SECONDS = 60.0
SAFETY_POLL = 1.0
STALE_CLAIM = timedelta(minutes=10)
# Messages to someone whose data is deleted: the row goes once Telegram has the message.
FORGET_WHEN_SENT = ("goodbye",)
_THREAD_GONE = ("thread not found", "topic_deleted", "topic deleted", "thread_not_found")


async def until_set(event: asyncio.Event, timeout: float) -> None:
    """Wait until the event is set or the time is up. Not asyncio.wait_for: on Python 3.11 it
    swallows a cancellation that arrives as the event is set, and the loop outlives stop()."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()


@dataclass
class LaneState:
    """One lane's loop: woken when something is queued, idle when it found nothing."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    dirty: bool = True
    idle: bool = False

    def wake_up(self) -> None:
        self.dirty = True
        self.idle = False
        self.wake.set()


class NotYet(Exception):
    """A row that cannot be built yet (what it needs is not known): retried with backoff."""


def topic_gone(error: TelegramBadRequest | TelegramNotFound) -> bool:
    return any(marker in error.message.lower() for marker in _THREAD_GONE)


def backoff(attempts: int) -> float:
    """1, 2, 4 ... seconds (capped), with jitter so retries do not arrive together."""
    return min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1)) * random.uniform(0.8, 1.2)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        ctx: AppContext,
        session_factory: SessionFactory,
        deliveries: Deliveries,
        limiter: RateLimiter,
    ) -> None:
        self.bot = bot
        self.ctx = ctx
        self.session_factory = session_factory
        # Whoever knows topics and relays (the courier); the base sends plain messages.
        self.deliveries = deliveries
        self.limiter = limiter  # shared with the courier, whose extra calls it books too
        self.poll = ctx.settings.outbox_poll_seconds
        self._lanes = {lane: LaneState() for lane in Lane}
        self._tasks: list[asyncio.Task[None]] = []
        self.caused_429 = 0

    @property
    def idle(self) -> bool:
        return all(state.idle for state in self._lanes.values())

    def kick(self, safety: bool = False) -> None:
        """Something was queued (and committed): look now rather than at the next poll.
        `safety`: a row of the safety lane, which its own loop takes at once."""
        for lane in (Lane.SAFETY, Lane.NORMAL) if safety else (Lane.NORMAL,):
            self._lanes[lane].wake_up()

    async def send_now(self, row: OutboxMessage | None) -> None:
        """Send a row the caller claimed and committed (the answer to a patient in danger),
        at once, in its own session. It never raises: a failure is retried by the outbox."""
        if row is None:
            return
        try:
            at = self.limiter.reserve(row.chat_id, time.monotonic(), safety=True)
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            async with self.session_factory() as session:
                await self.send(session, await session.merge(row, load=False))
        except Exception:
            log.exception("sending %s at once failed; the outbox retries it", row.dedupe_key)
            async with self.session_factory() as session:
                await outbox.release(session, [row.id] if row.id is not None else [])
        self.kick(safety=True)

    def start(self) -> None:
        # Each lane has its own loop: a safety row never waits for a pass of other rows
        # (which may sleep for a group's minute) to end.
        self._tasks = [
            asyncio.create_task(self.run(lane), name=f"outbox-{lane.name.lower()}")
            for lane in Lane
        ]

    async def stop(self) -> None:
        # Cancelled again until done: a loop that missed one cancellation must not keep a
        # shutdown (or a test) waiting for ever.
        while pending := [task for task in self._tasks if not task.done()]:
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=1)
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def run(self, lane: Lane = Lane.NORMAL) -> None:
        state = self._lanes[lane]
        swept: float | None = None
        while True:
            try:
                if lane == Lane.NORMAL and (
                    swept is None or time.monotonic() - swept > SWEEP_SECONDS
                ):
                    # At start, what a dead run had claimed; later, what a caller claimed to
                    # send at once and never finished (it crashed meanwhile).
                    await self._recover(timedelta(0) if swept is None else STALE_CLAIM)
                    swept = time.monotonic()
                sent_any = await self.drain(lane)
            except Exception:  # the loop must outlive any one bad message or database hiccup
                log.exception("outbox pass failed")
                sent_any = False
            if not sent_any and not state.dirty:
                state.idle = True
                state.wake.clear()
                # The safety lane is woken when something is queued; its idle look (for
                # retries come due) is rarer, so it does not take the database's write
                # lock many times a second beside a busy sender.
                poll = max(self.poll, SAFETY_POLL) if lane == Lane.SAFETY else self.poll
                await until_set(state.wake, poll)

    async def _recover(self, older_than: timedelta) -> None:
        async with self.session_factory() as session:
            released = await outbox.release_stale(session, self.ctx.clock(), older_than)
            if released:
                log.info("%s messages a previous run had claimed are queued again", released)

    async def drain(self, lane: Lane = Lane.NORMAL) -> bool:
        """One pass over what is due in a lane; True if anything was sent or changed."""
        self._lanes[lane].dirty = False
        async with self.session_factory() as session:
            rows = await outbox.claim(session, self.ctx.clock(), BATCH, lane)
            if not rows:
                return False
            claimed = [row.id for row in rows if row.id is not None]
            try:
                return await self._send_batch(rows, lane)
            finally:
                # Whatever this pass claimed and did not finish goes back in the queue.
                await session.rollback()
                await outbox.release(session, claimed)

    async def _send_batch(self, rows: list[OutboxMessage], lane: Lane) -> bool:
        """Two senders side by side, each with its own session and booked slots: while one
        waits for Telegram or commits, the other sends, so the rate is the limit's, not the
        round trip's."""
        queue = deque(rows)
        held: list[OutboxMessage] = []
        safety = lane == Lane.SAFETY

        async def worker() -> None:
            async with self.session_factory() as own:
                while queue:
                    row = queue.popleft()
                    now = time.monotonic()
                    if self.limiter.chat_wait(row.chat_id, now, safety) > 0:
                        held.append(row)  # this chat must wait; others need not
                        continue
                    at = self.limiter.reserve(row.chat_id, now, safety)
                    await asyncio.sleep(max(0.0, at - time.monotonic()))
                    await self.send(own, await own.merge(row, load=False))

        await asyncio.gather(*(worker() for _ in range(SENDERS)))
        if held and len(held) == len(rows):
            # Only busy chats are left: wait for the first to be free (or a new row).
            now = time.monotonic()
            pause = min(self.limiter.chat_wait(r.chat_id, now, safety) for r in held)
            await until_set(self._lanes[lane].wake, pause)
        return True

    async def send(self, session: AsyncSession, row: OutboxMessage) -> None:
        message = outbox.outgoing(self.ctx.vault, row)
        now = self.ctx.clock()
        thread = row.thread_id
        try:
            if row.in_topic:
                thread, tag = await self.deliveries.place(session, row)
                if tag and row.method == OutboxMethod.SEND:
                    message = replace(message, text=f"{tag}\n{message.text}")
                await session.commit()  # nothing is held while Telegram is asked
            message_id = await self._call(session, row, message, thread)
        except TelegramRetryAfter as error:
            self.caused_429 += 1
            self.limiter.retry_after(error.retry_after, time.monotonic())
            outbox.retry(row, now, f"429 retry after {error.retry_after}s", count=False)
        except TelegramForbiddenError as error:
            outbox.refused(row, error.message)
            await self.deliveries.refused(session, row, blocked=True)
        except (TelegramBadRequest, TelegramNotFound) as error:
            if row.in_topic and thread is not None and topic_gone(error):
                # Staff deleted the topic: the next attempt, at once, opens a new one.
                await self.deliveries.topic_lost(session, row, thread)
                outbox.retry(row, now, error.message, count=False)
            else:
                outbox.refused(row, error.message)
                log.warning("outbox %s refused: %s", row.dedupe_key, error.message)
                await self.deliveries.refused(session, row, blocked=False)
        except (TelegramServerError, TelegramNetworkError, OSError, NotYet) as error:
            if row.attempts + 1 >= MAX_ATTEMPTS:
                outbox.refused(row, str(error), OutboxStatus.GAVE_UP)
                log.error("outbox %s given up after %s attempts", row.dedupe_key, row.attempts)
                await self.deliveries.refused(session, row, blocked=False)
            else:
                outbox.retry(row, now + timedelta(seconds=backoff(row.attempts + 1)), str(error))
                if row.attempts == 1:
                    await self.deliveries.delayed(session, row)
        else:
            outbox.sent(row, message_id, now)
            await self.deliveries.sent(session, row)
            if row.purpose in FORGET_WHEN_SENT:
                await session.delete(row)  # nothing may remain of a deleted patient
                await session.commit()
                return
        session.add(row)
        # Recorded at once: what Telegram has taken is never sent again.
        await session.commit()

    async def _call(
        self, session: AsyncSession, row: OutboxMessage, message: Outgoing, thread: int | None
    ) -> int | None:
        if row.method != OutboxMethod.SEND:
            return await self.deliveries.perform(session, row, message, thread)
        markup = (
            InlineKeyboardMarkup.model_validate(message.reply_markup)
            if message.reply_markup
            else None
        )
        answering = (
            ReplyParameters(message_id=message.reply_to, allow_sending_without_reply=True)
            if message.reply_to is not None
            else None
        )
        sent = await self.bot.send_message(
            row.chat_id,
            message.text,
            message_thread_id=thread,
            reply_markup=markup,
            reply_parameters=answering,
        )
        return sent.message_id


class Deliveries:
    """What the sender asks of whoever knows patients, topics and relays (the courier).
    This base knows none of them: it sends plain messages where their rows say."""

    async def place(self, session: AsyncSession, row: OutboxMessage) -> tuple[int | None, str]:
        """The thread of the patient's topic (opened if need be), and a tag naming the
        patient where the staff chat has no topics."""
        return row.thread_id, ""

    async def perform(
        self, session: AsyncSession, row: OutboxMessage, message: Outgoing, thread: int | None
    ) -> int | None:
        """Send a row that is built when sent (a relay, an edit, a card, a reaction); None
        when there is nothing to send any more (its patient's content was deleted)."""
        raise NotImplementedError(row.method)

    async def topic_lost(self, session: AsyncSession, row: OutboxMessage, thread: int) -> None:
        """The topic is gone (staff deleted it)."""

    async def sent(self, session: AsyncSession, row: OutboxMessage) -> None:
        """Telegram took the message."""

    async def delayed(self, session: AsyncSession, row: OutboxMessage) -> None:
        """The first attempt failed for now; it will be retried."""

    async def refused(self, session: AsyncSession, row: OutboxMessage, blocked: bool) -> None:
        """Telegram will never take it (`blocked`: the person blocked the bot)."""
