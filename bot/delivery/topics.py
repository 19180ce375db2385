"""The patient's topic in a staff chat with topics: opened by the sender, in its pace, when
a message needs one, headed by the pinned card."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, Patient
from bot.delivery.cards import CardPainter, Pace
from bot.services import cards, staff

log = logging.getLogger(__name__)


class Topics:
    def __init__(self, bot: Bot, ctx: AppContext, pace: Pace, painter: CardPainter) -> None:
        self.bot = bot
        self.ctx = ctx
        self.pace = pace
        self.painter = painter
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def ensure(self, session: AsyncSession, unit: CareUnit, patient: Patient) -> int | None:
        """The patient's topic, opened once (with its pinned card) even when several
        messages for it are sent together. None where the chat has no topics."""
        if not unit.forum:
            return None
        async with self._locks[patient.key]:
            await session.refresh(patient, ["topic_id"])
            if patient.topic_id is not None:
                return patient.topic_id
            title = await cards.topic_title(session, self.ctx, patient)
            await session.commit()
            await self.pace(unit.staff_chat_id)
            try:
                topic = await self.bot.create_forum_topic(unit.staff_chat_id, title[:128])
            except TelegramBadRequest as error:
                if "forum" in error.message.lower():  # "the chat is not a forum"
                    staff.record_chat_kind(session, unit, forum=False)
                    await session.commit()
                    return None
                raise
            patient.topic_id = topic.message_thread_id
            patient.card_message_id = None
            patient.card_digest = ""
            session.add(patient)
            # Committed at once, so messages sent alongside find the topic.
            await session.commit()
            try:  # the card first, so it heads the topic
                await self.painter.draw(session, unit, patient, own_slot=False)
            except (TelegramAPIError, OSError) as error:
                log.warning("card of %s not posted yet: %s", patient.pseudonym, error)
                await cards.changed(session, self.ctx, patient)  # queued: it comes later
            await session.commit()
            return patient.topic_id
