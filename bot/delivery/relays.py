"""Copies of stored messages to the other side: a patient's into their topic (marked as
triaged), a coordinator's to the patient under a signature, an album as one, and edits
mirrored onto the copy already delivered."""

from __future__ import annotations

from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, Coordinator, Patient, Relay, RelayDirection, Signature
from bot.delivery.cards import Pace, tagged
from bot.services import messages, staff
from bot.texts import notes, notices

TRIAGE_ICONS = {"acute": "🚨 ", "possible": "🟡 ", "urgent": "🟠 "}


class RelayPoster:
    def __init__(self, bot: Bot, ctx: AppContext, pace: Pace) -> None:
        self.bot = bot
        self.ctx = ctx
        self.pace = pace

    async def send(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, parts: list[Relay],
        thread: int | None,
    ) -> int:  # fmt: skip
        """A message, or an album copied as one: into the patient's topic (or, without
        topics, the chat with their code), or signed to the patient."""
        first = parts[0]
        content = messages.content_of(self.ctx.vault, first)
        if first.direction == RelayDirection.FROM_PATIENT:
            chat, tag = unit.staff_chat_id, (patient if thread is None else None)
            header = tagged(patient, "") if tag else None
        else:
            assert patient.chat_id is not None
            chat, tag, thread = patient.chat_id, None, None
            header = await self._signature(session, unit, patient, first)
        text = await self._text(session, unit, patient, first, content, tag)
        await session.commit()  # nothing is held while Telegram is asked
        if len(parts) > 1:
            if header:
                await self.bot.send_message(chat, header, message_thread_id=thread)
                await self.pace(chat)
            copies = await self.bot.copy_messages(
                chat, first.source_chat_id, [part.source_message_id for part in parts],
                message_thread_id=thread,
            )  # fmt: skip
            copy_ids = [copy.message_id for copy in copies]
        elif content.kind == "text":
            sent = await self.bot.send_message(chat, text, message_thread_id=thread)
            copy_ids = [sent.message_id]
        else:
            copied = await self.bot.copy_message(
                chat, first.source_chat_id, first.source_message_id, message_thread_id=thread,
                caption=text or None,
            )  # fmt: skip
            copy_ids = [copied.message_id]
        for part, copy_id in zip(parts, copy_ids, strict=False):
            messages.delivered(session, part, chat, copy_id)
        return copy_ids[0]

    async def mirror(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, relay: Relay
    ) -> int | None:
        """The edit of a message, made on its copy."""
        if relay.copy_chat_id is None or relay.copy_message_id is None:
            return None
        content = messages.content_of(self.ctx.vault, relay)
        tag = None if unit.forum else patient
        text = await self._text(session, unit, patient, relay, content, tag)
        with self.ctx.staff_speaking():
            text = notes.edited(text)
        await session.commit()
        try:
            if content.kind == "text":
                await self.bot.edit_message_text(
                    text, chat_id=relay.copy_chat_id, message_id=relay.copy_message_id
                )
            else:
                await self.bot.edit_message_caption(
                    chat_id=relay.copy_chat_id, message_id=relay.copy_message_id, caption=text
                )
        except TelegramBadRequest as error:
            if "not modified" not in error.message.lower():
                raise
        return relay.copy_message_id

    async def _text(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, relay: Relay,
        content: messages.Content, tag: Patient | None,
    ) -> str:  # fmt: skip
        """A patient's words marked 🚨/🟠 as triaged (with the code where the staff chat has
        no topics, `tag`), or a coordinator's words under a signature."""
        if relay.direction == RelayDirection.FROM_PATIENT:
            text = TRIAGE_ICONS.get(relay.triage, "") + escape(content.text)
            return tagged(tag, text, "\n" if content.kind == "text" else " ") if tag else text
        signature = await self._signature(session, unit, patient, relay)
        return f"{signature}\n{escape(content.text)}"

    async def _signature(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, relay: Relay
    ) -> str:
        author: Coordinator | None = None
        if unit.signature == Signature.FIRST_NAME and relay.author_id is not None:
            author = await staff.coordinator(session, unit, relay.author_id)
        with self.ctx.speaking(patient.language):
            return notices.signature(author.first_name if author else None)
