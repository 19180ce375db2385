"""One coordinator's turn in the staff chat: who, where, for which patient, and the log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.types import Message, User
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, Coordinator, Patient
from bot.delivery.albums import Albums
from bot.domain.audit import AuditAction
from bot.services import casework, messages, staff
from bot.services.casework import Actor
from bot.services.messages import Content


def content_of(message: Message) -> Content | None:
    """Text, photo, voice, document, video, audio or sticker, as one storable shape."""
    caption = message.caption or ""
    if message.text is not None:
        return Content("text", message.text)
    kinds: list[tuple[str, Any]] = [
        ("photo", message.photo[-1] if message.photo else None),
        ("voice", message.voice),
        ("document", message.document),
        ("video", message.video),
        ("audio", message.audio),
        ("video_note", message.video_note),
        ("sticker", message.sticker),
    ]
    for kind, media in kinds:
        if media is not None:
            return Content(kind, caption, media.file_id)
    return None


@dataclass
class Desk:
    bot: Bot
    ctx: AppContext
    session: AsyncSession
    albums: Albums
    unit: CareUnit
    coordinator: Coordinator
    user: User

    @property
    def actor(self) -> Actor:
        return Actor(self.unit, self.user.id, self.user.full_name)

    async def log(
        self, action: AuditAction, patient: Patient | None = None, detail: str = ""
    ) -> None:
        await casework.audit(self.session, self.ctx, self.actor, action, patient, detail)

    async def patient_for(self, message: Message, pseudonym: str | None = None) -> Patient | None:
        """The unit's patient this message is about: its topic, the message it replies to
        (a group without topics), or a code given as argument. Never another unit's."""
        if pseudonym:
            return await staff.unit_patient(self.session, self.unit, pseudonym=pseudonym)
        if message.is_topic_message and message.message_thread_id is not None:
            return await staff.unit_patient(
                self.session, self.unit, topic_id=message.message_thread_id
            )
        replied = message.reply_to_message
        if replied is None:
            return None
        relay = await messages.by_copy(self.session, self.unit.staff_chat_id, replied.message_id)
        if relay is not None:
            patient = await self.session.get(Patient, relay.patient_id)
        else:
            patient = await staff.unit_patient(
                self.session, self.unit, card_message_id=replied.message_id
            )
        return await self.own_patient(patient.key) if patient is not None else None

    async def own_patient(self, patient_id: int) -> Patient | None:
        """The patient, if they are this unit's: a button or a reply never reaches another
        unit's patient (the one place this is checked)."""
        patient = await self.session.get(Patient, patient_id)
        return patient if patient is not None and patient.unit_id == self.unit.id else None
