"""What the outbox sender asks of whoever knows patients and topics (`Deliveries`): where a
row goes, how a row built at sending is sent, and what follows from its outcome.

Rows are queued by the services; the courier only sends, through its parts: the topics,
the card, relays and alerts. What an outcome changes is decided in `services/deliveries`.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import ReactionTypeEmoji
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import OutboxMessage, OutboxMethod
from bot.delivery.admins import Admins
from bot.delivery.alerts import AlertPoster
from bot.delivery.cards import CardPainter, Pace, tagged
from bot.delivery.relays import RelayPoster
from bot.delivery.sender import Deliveries
from bot.delivery.topics import Topics
from bot.services import deliveries, staff
from bot.services.outbox import Outgoing


class Courier(Deliveries):
    def __init__(self, bot: Bot, ctx: AppContext, pace: Pace, admins: Admins) -> None:
        self.bot = bot
        self.ctx = ctx
        self.painter = CardPainter(bot, ctx, pace)
        self.topics = Topics(bot, ctx, pace, self.painter)
        self.relays = RelayPoster(bot, ctx, pace)
        self.alerts = AlertPoster(bot, ctx, admins)

    async def place(self, session: AsyncSession, row: OutboxMessage) -> tuple[int | None, str]:
        patient = await deliveries.patient_of(session, row)
        if patient is None:
            return row.thread_id, ""
        unit = await staff.unit_of(session, self.ctx.settings, patient)
        # Let go of the database before waiting for the topic's lock: whoever holds that
        # lock may be waiting for its turn to write (SQLite has one writer).
        await session.commit()
        thread = await self.topics.ensure(session, unit, patient) if unit is not None else None
        return (thread, "") if thread is not None else (None, tagged(patient, ""))

    async def perform(
        self, session: AsyncSession, row: OutboxMessage, message: Outgoing, thread: int | None
    ) -> int | None:
        if row.method == OutboxMethod.DROP_TOPIC:
            assert row.thread_id is not None
            await self.bot.delete_forum_topic(row.chat_id, row.thread_id)
            return None
        if row.method == OutboxMethod.REACT:
            assert message.reply_to is not None
            await self.bot.set_message_reaction(
                row.chat_id, message.reply_to, reaction=[ReactionTypeEmoji(emoji=message.text)]
            )
            return message.reply_to
        if row.method == OutboxMethod.ALERT:
            return await self.alerts.post(session, message)
        patient = await deliveries.patient_of(session, row)
        unit = await staff.unit_of(session, self.ctx.settings, patient) if patient else None
        if patient is None or unit is None:
            return None  # the patient's content was deleted meanwhile: nothing to send
        if row.method == OutboxMethod.CARD:
            return await self.painter.draw(session, unit, patient, repost=message.repost)
        parts = await deliveries.stored(session, message.relays)
        if not parts:
            return None
        if row.method == OutboxMethod.EDIT:
            return await self.relays.mirror(session, unit, patient, parts[0])
        return await self.relays.send(session, unit, patient, parts, thread)

    async def topic_lost(self, session: AsyncSession, row: OutboxMessage, thread: int) -> None:
        if row.patient_id is not None:
            await deliveries.forget_topic(session, row.patient_id, thread)

    async def sent(self, session: AsyncSession, row: OutboxMessage) -> None:
        await deliveries.sent(session, self.ctx, row)

    async def delayed(self, session: AsyncSession, row: OutboxMessage) -> None:
        await deliveries.delayed(session, self.ctx, row)

    async def refused(self, session: AsyncSession, row: OutboxMessage, blocked: bool) -> None:
        await deliveries.refused(session, self.ctx, row, blocked)
