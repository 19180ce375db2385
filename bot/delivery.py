"""Everything the bot sends between patient and staff chat, and on its own initiative.

Messages are stored before this is called; here they are delivered and marked delivered,
or left pending for the next tick. Topics are opened, recreated when staff deleted one, and
carry a pinned card that is edited whenever the patient's state changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import defaultdict
from datetime import timedelta
from html import escape

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
)
from aiogram.types import InlineKeyboardMarkup, Message, ReactionTypeEmoji
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    Alert,
    AlertKind,
    CareUnit,
    Coordinator,
    Patient,
    Relay,
    RelayDirection,
    RelayStatus,
    Signature,
)
from bot.db.session import SessionFactory
from bot.dialogs import format as fmt
from bot.dialogs.staff import views
from bot.dialogs.staff.callbacks import StaffAct, StaffOp
from bot.locales import speaking
from bot.outbox import OutboxSender
from bot.services import erasure, messages, outbox, overview, staff

log = logging.getLogger(__name__)

DELIVERED = "👌"
ALBUM_WAIT = 0.6  # seconds to collect the parts of an album before sending it on
_THREAD_GONE = ("thread not found", "topic_deleted", "topic deleted", "thread_not_found")


def topic_gone(error: TelegramBadRequest) -> bool:
    return any(marker in error.message.lower() for marker in _THREAD_GONE)


def tagged(patient: Patient, text: str, separator: str = "\n") -> str:
    """In a staff chat without topics, every message names its patient by code."""
    tag = f"<b>[{escape(patient.pseudonym)}]</b>"
    return f"{tag}{separator}{text}" if text else tag


def staff_link(unit: CareUnit, thread_id: int | None) -> str | None:
    """A t.me link into a supergroup topic (supergroup ids are -100 followed by the id)."""
    raw = str(unit.staff_chat_id)
    if not raw.startswith("-100") or thread_id is None:
        return None
    return f"https://t.me/c/{raw[4:]}/{thread_id}"


class Courier:
    def __init__(
        self,
        bot: Bot,
        ctx: AppContext,
        i18n: I18n,
        session_factory: SessionFactory,
        sender: OutboxSender,
    ) -> None:
        self.bot = bot
        self.sender = sender
        self.ctx = ctx
        self.i18n = i18n
        self.session_factory = session_factory
        self._topic_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._albums: dict[str, asyncio.Task[None]] = {}

    def locale(self, language: str) -> contextlib.AbstractContextManager[None]:
        return speaking(self.i18n, language)

    def staff_locale(self) -> contextlib.AbstractContextManager[None]:
        return self.locale(self.ctx.settings.staff_language)

    # --- the staff chat ---------------------------------------------------------------------

    async def refresh_coordinators(self, session: AsyncSession, unit: CareUnit) -> None:
        """Coordinators are the staff chat's administrators as Telegram reports them, asked
        again every few minutes, so a removed admin loses access without a restart."""
        now = self.ctx.clock()
        refresh = timedelta(minutes=self.ctx.settings.admins_refresh_minutes)
        if not staff.admins_are_stale(unit, now, refresh):
            return
        try:
            admins = await self.bot.get_chat_administrators(unit.staff_chat_id)
        except (TelegramAPIError, OSError) as error:
            log.warning("administrators of %s not refreshed: %s", unit.staff_chat_id, error)
            return
        members = [staff.Member(a.user.id, a.user.first_name) for a in admins if not a.user.is_bot]
        await staff.record_admins(session, unit, members, now)

    async def unit_of(self, session: AsyncSession, patient: Patient) -> CareUnit | None:
        if patient.unit_id is not None:
            return await session.get(CareUnit, patient.unit_id)
        unit = await staff.default_unit(session, self.ctx.settings)
        if unit is not None:
            patient.unit_id = unit.key
            session.add(patient)
        return unit

    async def ensure_topic(
        self, session: AsyncSession, unit: CareUnit, patient: Patient
    ) -> int | None:
        """The patient's topic, opened once even when several messages arrive together."""
        if not unit.forum:
            return None
        async with self._topic_locks[patient.key]:
            await session.refresh(patient, ["topic_id"])
            if patient.topic_id is not None:
                return patient.topic_id
            with self.staff_locale():
                ov = await overview.overview(session, self.ctx.vault, self.ctx.catalog, patient)
                title = views.topic_title(patient, ov)
            try:
                topic = await self.bot.create_forum_topic(unit.staff_chat_id, title[:128])
            except TelegramBadRequest as error:
                if "forum" in error.message.lower():  # "the chat is not a forum"
                    unit.forum = False
                    session.add(unit)
                    return None
                raise
            patient.topic_id = topic.message_thread_id
            patient.card_message_id = None
            patient.card_digest = ""
            session.add(patient)
            await self.refresh_card(session, unit, patient)
            # Committed at once, so a burst of messages handled alongside sees the topic.
            await session.commit()
            return patient.topic_id

    async def to_topic(
        self,
        session: AsyncSession,
        unit: CareUnit,
        patient: Patient,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """A message in the patient's topic (or, without topics, in the chat with the code)."""
        thread = await self.ensure_topic(session, unit, patient)
        if thread is None:
            text = tagged(patient, text)
        try:
            return await self.bot.send_message(
                unit.staff_chat_id,
                text,
                message_thread_id=thread,
                reply_markup=reply_markup,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        except TelegramBadRequest as error:
            if thread is None or not topic_gone(error):
                raise
            await self.topic_lost(session, patient, thread)
            return await self.to_topic(session, unit, patient, text, reply_markup)

    async def topic_lost(self, session: AsyncSession, patient: Patient, lost: int) -> None:
        """Staff deleted the topic: forget it, so the next message opens a new one. Only the
        topic that failed is forgotten, so messages failing together open one new topic."""
        log.info("topic of %s was deleted; opening a new one", patient.pseudonym)
        await session.exec(
            update(Patient)
            .where(col(Patient.id) == patient.key, col(Patient.topic_id) == lost)
            .values(topic_id=None, card_message_id=None, card_digest="")
        )
        await session.commit()
        await session.refresh(patient)

    async def refresh_card(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, repost: bool = False
    ) -> None:
        """Edit the pinned card (and the topic's title) if the patient's state changed."""
        title, text = await self.card_text(session, patient)
        with self.staff_locale():
            keyboard = card_keyboard(patient)
        digest = card_digest(title, text)
        if digest == patient.card_digest and not repost:
            return
        thread = patient.topic_id if unit.forum else None
        if unit.forum and thread is None:
            return  # the card is posted when the topic is opened
        if patient.card_message_id and not repost:
            try:
                await self.bot.edit_message_text(
                    text,
                    chat_id=unit.staff_chat_id,
                    message_id=patient.card_message_id,
                    reply_markup=keyboard,
                )
            except TelegramBadRequest as error:
                if "not modified" not in error.message.lower():
                    patient.card_message_id = None
            if thread is not None and digest[:16] != patient.card_digest[:16]:
                with contextlib.suppress(TelegramBadRequest):
                    await self.bot.edit_forum_topic(unit.staff_chat_id, thread, name=title[:128])
        if patient.card_message_id is None or repost:
            body = text if thread is not None else tagged(patient, text)
            try:
                sent = await self.bot.send_message(
                    unit.staff_chat_id, body, message_thread_id=thread, reply_markup=keyboard
                )
            except TelegramBadRequest as error:
                if thread is not None and topic_gone(error):
                    await self.topic_lost(session, patient, thread)
                    return
                raise
            patient.card_message_id = sent.message_id
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.pin_chat_message(
                    unit.staff_chat_id, sent.message_id, disable_notification=True
                )
        patient.card_digest = digest
        session.add(patient)

    async def card_text(self, session: AsyncSession, patient: Patient) -> tuple[str, str]:
        """The topic's title and the card's text, in the staff language."""
        with self.staff_locale():
            ov = await overview.overview(session, self.ctx.vault, self.ctx.catalog, patient)
            alerts = await messages.open_alerts(session, patient)
            responsible = await staff.responsible(session, patient)
            return views.topic_title(patient, ov), views.card(
                self.ctx, patient, ov, responsible, alerts
            )

    async def card_changed(self, session: AsyncSession, patient: Patient) -> None:
        unit = await self.unit_of(session, patient)
        if unit is None:
            return
        try:
            if unit.forum and patient.topic_id is None:
                await self.ensure_topic(session, unit, patient)
            else:
                await self.refresh_card(session, unit, patient)
        except (TelegramAPIError, OSError) as error:
            log.warning("card of %s not updated: %s", patient.pseudonym, error)

    # --- patient to staff -------------------------------------------------------------------

    async def forward(self, session: AsyncSession, relay: Relay) -> bool:
        """Send a stored patient message into their topic; False leaves it pending."""
        patient = await session.get(Patient, relay.patient_id)
        assert patient is not None
        unit = await self.unit_of(session, patient)
        if unit is None:
            return False
        if relay.media_group_id:
            self._collect_album(relay.media_group_id)
            return True
        content = messages.content_of(self.ctx.vault, relay)
        try:
            sent = await self._copy_to_staff(session, unit, patient, relay, content)
        except (TelegramAPIError, OSError) as error:
            log.warning("message %s not forwarded yet: %s", relay.id, error)
            return False
        messages.delivered(session, relay, unit.staff_chat_id, sent)
        return True

    def _staff_text(self, relay: Relay, content: messages.Content) -> str:
        icon = {"acute": "🚨 ", "urgent": "🟠 "}.get(relay.triage, "")
        return icon + escape(content.text)

    async def _copy_to_staff(
        self,
        session: AsyncSession,
        unit: CareUnit,
        patient: Patient,
        relay: Relay,
        content: messages.Content,
    ) -> int:
        if content.kind == "text":
            sent = await self.to_topic(session, unit, patient, self._staff_text(relay, content))
            return sent.message_id
        thread = await self.ensure_topic(session, unit, patient)
        caption = self._staff_text(relay, content)
        if thread is None:
            caption = tagged(patient, caption, " ")
        try:
            copied = await self.bot.copy_message(
                unit.staff_chat_id,
                relay.source_chat_id,
                relay.source_message_id,
                message_thread_id=thread,
                caption=caption or None,
            )
        except TelegramBadRequest as error:
            if thread is None or not topic_gone(error):
                raise
            await self.topic_lost(session, patient, thread)
            return await self._copy_to_staff(session, unit, patient, relay, content)
        return copied.message_id

    def _collect_album(self, group: str) -> None:
        if group not in self._albums:
            self._albums[group] = asyncio.create_task(self._send_album(group))

    async def _send_album(self, group: str) -> None:
        """Albums arrive as separate messages: wait for all parts, then copy them as one."""
        await asyncio.sleep(ALBUM_WAIT)
        try:
            async with self.session_factory() as session:
                await self.send_album(session, group)
                await session.commit()
        except (TelegramAPIError, OSError) as error:
            log.warning("album %s not sent yet: %s", group, error)
        finally:
            self._albums.pop(group, None)

    async def send_album(self, session: AsyncSession, group: str) -> None:
        parts = [r for r in await messages.all_pending(session) if r.media_group_id == group]
        if not parts:
            return
        first = parts[0]
        patient = await session.get(Patient, first.patient_id)
        assert patient is not None
        if first.direction == RelayDirection.FROM_PATIENT:
            unit = await self.unit_of(session, patient)
            assert unit is not None
            chat_id, thread = unit.staff_chat_id, await self.ensure_topic(session, unit, patient)
            if thread is None:
                await self.bot.send_message(chat_id, tagged(patient, ""))
            if patient.chat_id is not None:
                with self.locale(patient.language):
                    notice = await fmt.sent_notice(self.ctx, session, patient)
                await self.bot.send_message(patient.chat_id, notice)
        else:
            assert patient.chat_id is not None
            chat_id, thread = patient.chat_id, None
            await self.bot.send_message(chat_id, await self._signature(session, parts[0]))
        copies = await self.bot.copy_messages(
            chat_id,
            first.source_chat_id,
            [p.source_message_id for p in parts],
            message_thread_id=thread,
        )
        for part, copy in zip(parts, copies, strict=False):
            messages.delivered(session, part, chat_id, copy.message_id)

    # --- staff to patient ---------------------------------------------------------------------

    async def _signature(self, session: AsyncSession, relay: Relay) -> str:
        patient = await session.get(Patient, relay.patient_id)
        assert patient is not None
        unit = await self.unit_of(session, patient)
        author: Coordinator | None = None
        if unit is not None and relay.author_id is not None:
            author = await staff.coordinator(session, unit, relay.author_id)
        with self.locale(patient.language):
            if unit and unit.signature == Signature.FIRST_NAME and author and author.first_name:
                name = _("{name}, your coordinator").format(name=escape(author.first_name))
                return f"💬 <b>{name}</b>"
            return "💬 <b>" + _("Your coordinator") + "</b>"

    async def deliver(self, session: AsyncSession, relay: Relay) -> RelayStatus:
        """Send a coordinator's stored message to the patient and mark the outcome."""
        patient = await session.get(Patient, relay.patient_id)
        assert patient is not None and patient.chat_id is not None
        if relay.media_group_id:
            self._collect_album(relay.media_group_id)
            return RelayStatus.PENDING
        content = messages.content_of(self.ctx.vault, relay)
        signature = await self._signature(session, relay)
        body = f"{signature}\n{escape(content.text)}"
        try:
            if content.kind == "text":
                sent_id = (await self.bot.send_message(patient.chat_id, body)).message_id
            else:
                sent_id = (
                    await self.bot.copy_message(
                        patient.chat_id,
                        relay.source_chat_id,
                        relay.source_message_id,
                        caption=body,
                    )
                ).message_id
        except TelegramForbiddenError:
            patient.blocked_bot = True
            session.add(patient)
            messages.undeliverable(session, relay)
            return RelayStatus.UNDELIVERABLE
        except (TelegramNetworkError, TelegramAPIError, OSError) as error:
            log.warning("reply %s not delivered yet: %s", relay.id, error)
            return RelayStatus.PENDING
        if patient.blocked_bot:
            patient.blocked_bot = False
            session.add(patient)
        messages.delivered(session, relay, patient.chat_id, sent_id)
        return RelayStatus.DELIVERED

    async def mark_outcome(self, relay: Relay, status: RelayStatus, thread: int | None) -> None:
        """Show in the topic what became of a coordinator's reply."""
        with self.staff_locale():
            if status == RelayStatus.DELIVERED:
                with contextlib.suppress(TelegramAPIError):
                    await self.bot.set_message_reaction(
                        relay.source_chat_id,
                        relay.source_message_id,
                        reaction=[ReactionTypeEmoji(emoji=DELIVERED)],
                    )
                return
            text = (
                "⛔ " + _("Not delivered: the patient has blocked the bot.")
                if status == RelayStatus.UNDELIVERABLE
                else "⏳ " + _("Not delivered yet; the bot will try again.")
            )
        with contextlib.suppress(TelegramAPIError):
            await self.bot.send_message(
                relay.source_chat_id,
                text,
                message_thread_id=thread,
                reply_to_message_id=relay.source_message_id,
                allow_sending_without_reply=True,
            )

    # --- edits --------------------------------------------------------------------------------

    async def mirror_edit(self, session: AsyncSession, relay: Relay) -> None:
        """An edit on one side, shown on the other copy."""
        if relay.copy_chat_id is None or relay.copy_message_id is None:
            return
        content = messages.content_of(self.ctx.vault, relay)
        if relay.direction == RelayDirection.FROM_PATIENT:
            patient = await session.get(Patient, relay.patient_id)
            assert patient is not None
            unit = await self.unit_of(session, patient)
            text = self._staff_text(relay, content)
            if unit is not None and not unit.forum:
                text = tagged(patient, text)
        else:
            text = f"{await self._signature(session, relay)}\n{escape(content.text)}"
        with self.staff_locale():
            text += "\n<i>(" + _("edited") + ")</i>"
        with contextlib.suppress(TelegramBadRequest):
            if content.kind == "text":
                await self.bot.edit_message_text(
                    text, chat_id=relay.copy_chat_id, message_id=relay.copy_message_id
                )
            else:
                await self.bot.edit_message_caption(
                    chat_id=relay.copy_chat_id, message_id=relay.copy_message_id, caption=text
                )

    # --- alerts -------------------------------------------------------------------------------

    async def post_alert(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, alert: Alert, quote: str
    ) -> None:
        await self.refresh_coordinators(session, unit)
        coordinators = await staff.coordinators(session, unit)
        thread = await self.ensure_topic(session, unit, patient) if unit.forum else None
        with self.staff_locale():
            text = views.alert(
                patient,
                AlertKind(alert.kind),
                alert.reason,
                quote,
                coordinators,
                staff_link(unit, thread),
                alert.escalations,
            )
            keyboard = ack_keyboard(alert)
        # Through the outbox, in the same transaction as the alert itself: raised means sent.
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=f"alert:{alert.id}:{alert.escalations}",
            purpose="alert",
            chat_id=unit.staff_chat_id,
            text=text,
            reply_markup=keyboard.model_dump(exclude_none=True),
            now=self.ctx.clock(),
        )

    async def escalate(self, session: AsyncSession, alert: Alert) -> None:
        unit = await session.get(CareUnit, alert.unit_id)
        patient = await session.get(Patient, alert.patient_id)
        assert unit is not None and patient is not None
        messages.escalated(
            session,
            alert,
            self.ctx.clock(),
            timedelta(minutes=self.ctx.settings.alert_ack_minutes),
        )
        await self.post_alert(session, unit, patient, alert, quote="")
        if unit.fallback_chat_id is not None:
            with self.staff_locale():
                text = views.escalation_notice(
                    unit,
                    patient,
                    AlertKind(alert.kind),
                    fmt.when(
                        alert.raised_at, self.ctx.settings.staff_language, self.ctx.settings.tz
                    ),
                )
            await outbox.enqueue(
                session,
                self.ctx.vault,
                key=f"escalation:{alert.id}:{alert.escalations}",
                purpose="escalation",
                chat_id=unit.fallback_chat_id,
                text=text,
                now=self.ctx.clock(),
            )

    # --- the tick: what is due ------------------------------------------------------------------

    async def tick(self) -> None:
        """Retry pending messages and escalate alerts nobody acknowledged."""
        async with self.session_factory() as session:
            for relay in await messages.all_pending(session):
                if relay.media_group_id:
                    await self.send_album(session, relay.media_group_id)
                elif relay.direction == RelayDirection.FROM_PATIENT:
                    await self.forward(session, relay)
                elif relay.direction == RelayDirection.TO_PATIENT:
                    status = await self.deliver(session, relay)
                    if status != RelayStatus.PENDING:
                        await self.mark_outcome(relay, status, None)
                await session.commit()
            for alert in await messages.due_alerts(session, self.ctx.clock()):
                await self.escalate(session, alert)
                await session.commit()
        self.sender.kick()

    # --- the patient ----------------------------------------------------------------------------

    async def end_program(self, session: AsyncSession, patient: Patient, ended_by: str) -> None:
        """Delete everything personal about the patient (the topic in the staff chat too),
        after queueing a goodbye to them and a note to the coordinators that name no one."""
        unit = await self.unit_of(session, patient)
        now = self.ctx.clock()
        code, topic, pid = patient.pseudonym, patient.topic_id, patient.key
        if patient.chat_id is not None:
            with self.locale(patient.language):
                goodbye = _(
                    "Your Sjukskrivningskollen program has ended, and everything you wrote and "
                    "answered here has now been deleted. Thank you for taking part, and good "
                    "luck! For anything about your health, contact your health centre or 1177."
                )
            await outbox.enqueue(
                session, self.ctx.vault, key=f"goodbye:{pid}", purpose="goodbye",
                chat_id=patient.chat_id, text=goodbye, now=now,
            )  # fmt: skip
        record = await erasure.erase(session, patient, now=now, ended_by=ended_by)
        if unit is None:
            return
        with self.staff_locale():
            note = "🗑 " + (
                _("{code} asked for everything to be deleted. It is deleted.")
                if ended_by == "erasure"
                else _("The program of {code} has ended, and its content is deleted.")
            ).format(code=code)
        await outbox.enqueue(
            session, self.ctx.vault, key=f"ended:{pid}", purpose="ended",
            chat_id=unit.staff_chat_id, text=note, now=now,
        )  # fmt: skip
        await staff.audit(
            session, unit=unit, actor_id=0, actor_name="bot", action="content deleted",
            detail=f"{ended_by}; case log {record.id}", now=now,
        )  # fmt: skip
        if unit.forum and topic is not None:
            with contextlib.suppress(TelegramAPIError):
                await self.bot.delete_forum_topic(unit.staff_chat_id, topic)

    async def tell_patient(
        self, session: AsyncSession, patient: Patient, text: str, key: str
    ) -> None:
        """A notice to the patient, through the outbox (sent after the update commits)."""
        if patient.chat_id is None:
            return
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=key,
            purpose=key.split(":", 1)[0],
            chat_id=patient.chat_id,
            patient_id=patient.key,
            text=text,
            now=self.ctx.clock(),
        )


def card_digest(title: str, text: str) -> str:
    """Title and body hashed apart, so a changed title is known without storing it."""
    return _hash(title)[:16] + _hash(text)[:48]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ack_keyboard(alert: Alert) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    keys.button(
        text="✅ " + _ack_label(),
        callback_data=StaffAct(op=StaffOp.ACK, patient=alert.patient_id, arg=str(alert.id)).pack(),
    )
    return keys.as_markup()


def _ack_label() -> str:
    return _("Acknowledge")


def card_keyboard(patient: Patient) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    for op, label in (
        (StaffOp.FORMS, _("📋 Forms")),
        (StaffOp.CHART, _("📈 Wellbeing")),
        (StaffOp.PLAN, _("🎯 Plan")),
        (StaffOp.TODO, _("☑️ To do")),
        (StaffOp.JOURNAL, _("📝 Journal")),
    ):
        keys.button(text=label, callback_data=StaffAct(op=op, patient=patient.key).pack())
    keys.adjust(3, 2)
    return keys.as_markup()
