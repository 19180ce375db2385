"""The pinned card at the head of a patient's topic: edited when the patient's state
changed (and the topic's title with it), posted and pinned again when it was deleted."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Awaitable, Callable
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, Patient
from bot.services import cards
from bot.texts.keyboards import card_keyboard

Pace = Callable[[int], Awaitable[None]]


def tagged(patient: Patient, text: str, separator: str = "\n") -> str:
    """In a staff chat without topics, every message names its patient by code."""
    tag = f"<b>[{escape(patient.pseudonym)}]</b>"
    return f"{tag}{separator}{text}" if text else tag


def card_digest(title: str, text: str) -> str:
    """Title and body hashed apart, so a changed title is known without storing it."""
    return _hash(title)[:16] + _hash(text)[:48]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class CardPainter:
    def __init__(self, bot: Bot, ctx: AppContext, pace: Pace) -> None:
        self.bot = bot
        self.ctx = ctx
        self.pace = pace

    async def draw(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, *,
        repost: bool = False, own_slot: bool = True,
    ) -> int | None:  # fmt: skip
        """Edit the pinned card (and the topic's title) if the patient's state changed, or
        post and pin it. `own_slot`: the first call uses the slot the sender booked."""
        title, text = await cards.card(session, self.ctx, patient)
        await session.commit()
        with self.ctx.staff_speaking():
            keyboard = card_keyboard(patient)
        digest = card_digest(title, text)
        chat = unit.staff_chat_id
        if digest == patient.card_digest and patient.card_message_id and not repost:
            return patient.card_message_id
        thread = patient.topic_id if unit.forum else None
        if unit.forum and thread is None:
            return None  # the card is posted when the topic is opened
        booked = own_slot

        async def slot() -> None:
            nonlocal booked
            if booked:
                booked = False  # the slot the sender booked for this row covers one call
            else:
                await self.pace(chat)

        if patient.card_message_id and not repost:
            await slot()
            try:
                await self.bot.edit_message_text(
                    text, chat_id=chat, message_id=patient.card_message_id, reply_markup=keyboard
                )
            except TelegramBadRequest as error:
                if "not modified" not in error.message.lower():
                    patient.card_message_id = None  # deleted: post it again
            if thread is not None and digest[:16] != patient.card_digest[:16]:
                await slot()
                with contextlib.suppress(TelegramBadRequest):
                    await self.bot.edit_forum_topic(chat, thread, name=title[:128])
        if patient.card_message_id is None or repost:
            await slot()
            sent = await self.bot.send_message(
                chat,
                text if thread is not None else tagged(patient, text),
                message_thread_id=thread,
                reply_markup=keyboard,
            )
            patient.card_message_id = sent.message_id
            await slot()
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.pin_chat_message(chat, sent.message_id, disable_notification=True)
        patient.card_digest = digest
        session.add(patient)
        return patient.card_message_id
