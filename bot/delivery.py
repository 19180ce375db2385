"""Everything the bot sends between patient and staff chat, and on its own initiative.

Messages are stored, and queued in the outbox in the same transaction; the outbox sender
calls back here to build them when they go, so an edit made meanwhile goes too. Topics are
opened by the sender when a message needs one, reopened when staff deleted one, and carry
a pinned card that is redrawn (through the outbox, coalesced) when the patient's state
changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections import defaultdict
from datetime import timedelta
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, ReactionTypeEmoji
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
    OutboxMessage,
    OutboxMethod,
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
from bot.outbox import Deliveries, NotYet, OutboxSender
from bot.services import erasure, messages, outbox, overview, safety, staff
from bot.services.outbox import Outgoing

log = logging.getLogger(__name__)

DELIVERED = "👌"
ALBUM_WAIT = 0.6  # seconds to collect the parts of an album before sending it on
ORPHAN = timedelta(minutes=1)  # a stored message not queued by then never will be
# How long an alert waits for the first list of coordinators before it goes naming nobody.
NAMES_WAIT = timedelta(seconds=60)


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


class Courier(Deliveries):
    """The relay between patients and their topics, the topics and their cards. Everything
    here is queued in the outbox; the sender calls back (`Deliveries`) to build and send
    what only the courier knows how to."""

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
        sender.deliveries = self

    def locale(self, language: str) -> contextlib.AbstractContextManager[None]:
        return speaking(self.i18n, language)

    def staff_locale(self) -> contextlib.AbstractContextManager[None]:
        return self.locale(self.ctx.settings.staff_language)

    # --- the staff chat ---------------------------------------------------------------------

    async def refresh_coordinators(
        self, session: AsyncSession, unit: CareUnit, force: bool = False
    ) -> None:
        """Coordinators are the staff chat's administrators as Telegram reports them, asked
        again every few minutes (by the tick), so a removed admin loses access without a
        restart. A failed read keeps the last good list and is tried again at the next tick."""
        now = self.ctx.clock()
        refresh = timedelta(minutes=self.ctx.settings.admins_refresh_minutes)
        if not force and not staff.admins_are_stale(unit, now, refresh):
            return
        try:
            admins = await self.bot.get_chat_administrators(unit.staff_chat_id)
        except (TelegramAPIError, OSError) as error:
            log.warning("administrators of %s not refreshed: %s", unit.staff_chat_id, error)
            return
        members = [staff.Member(a.user.id, a.user.first_name) for a in admins if not a.user.is_bot]
        await staff.record_admins(session, unit, members, now)
        await session.commit()

    async def refresh_all_coordinators(self) -> None:
        async with self.session_factory() as session:
            await staff.default_unit(session, self.ctx.settings)  # the first unit exists
            units = await staff.units(session)
            await session.commit()  # nothing is held while Telegram is asked
            for unit in units:
                await self.refresh_coordinators(session, unit)

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
        """The patient's topic, opened once (with its pinned card) even when several messages
        for it are sent together. Called by the sender, in its pace."""
        if not unit.forum:
            return None
        async with self._topic_locks[patient.key]:
            await session.refresh(patient, ["topic_id"])
            if patient.topic_id is not None:
                return patient.topic_id
            with self.staff_locale():
                ov = await overview.overview(session, self.ctx.vault, self.ctx.catalog, patient)
                title = views.topic_title(patient, ov)
            await session.commit()
            await self.sender.pace(unit.staff_chat_id)
            try:
                topic = await self.bot.create_forum_topic(unit.staff_chat_id, title[:128])
            except TelegramBadRequest as error:
                if "forum" in error.message.lower():  # "the chat is not a forum"
                    unit.forum = False
                    session.add(unit)
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
                await self.draw_card(session, unit, patient, own_slot=False)
            except (TelegramAPIError, OSError) as error:
                log.warning("card of %s not posted yet: %s", patient.pseudonym, error)
                await self.card_changed(session, patient)  # queued: it comes a little later
            await session.commit()
            return patient.topic_id

    async def forget_topic(self, session: AsyncSession, patient_id: int, lost: int) -> None:
        """Staff deleted the topic: forget it, so the next message opens a new one. Only the
        topic that failed is forgotten, so messages failing together open one new topic."""
        log.info("the topic of patient %s was deleted; opening a new one", patient_id)
        await session.exec(
            update(Patient)
            .where(col(Patient.id) == patient_id, col(Patient.topic_id) == lost)
            .values(topic_id=None, card_message_id=None, card_digest="")
        )
        await session.commit()

    # --- the card -------------------------------------------------------------------------------

    async def card_changed(
        self, session: AsyncSession, patient: Patient, repost: bool = False
    ) -> None:
        """Queue a redraw of the patient's card (opening their topic if need be). One queued
        redraw serves all changes before it is sent: it is drawn from the state of then."""
        unit = await self.unit_of(session, patient)
        if unit is None:
            return
        if not repost and await outbox.pending_of(session, patient.key, OutboxMethod.CARD):
            return
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=f"card:{patient.key}:{uuid.uuid4().hex}",
            purpose="card",
            method=OutboxMethod.CARD,
            chat_id=unit.staff_chat_id,
            in_topic=True,
            patient_id=patient.key,
            repost=repost,
            now=self.ctx.clock(),
        )

    async def card_text(self, session: AsyncSession, patient: Patient) -> tuple[str, str]:
        """The topic's title and the card's text, in the staff language."""
        with self.staff_locale():
            ov = await overview.overview(session, self.ctx.vault, self.ctx.catalog, patient)
            alerts = await messages.open_alerts(session, patient)
            responsible = await staff.responsible(session, patient)
            check = await safety.latest_check(session, patient)
            return views.topic_title(patient, ov), views.card(
                self.ctx, patient, ov, responsible, alerts, check
            )

    async def draw_card(
        self,
        session: AsyncSession,
        unit: CareUnit,
        patient: Patient,
        *,
        repost: bool = False,
        own_slot: bool = True,
    ) -> int | None:
        """Edit the pinned card (and the topic's title) if the patient's state changed, or
        post and pin it. `own_slot`: the first call uses the slot the sender booked."""
        title, text = await self.card_text(session, patient)
        await session.commit()
        with self.staff_locale():
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
                await self.sender.pace(chat)

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

    # --- what the sender asks (Deliveries) ------------------------------------------------------

    async def place(self, session: AsyncSession, row: OutboxMessage) -> tuple[int | None, str]:
        patient = await self._patient_of(session, row)
        if patient is None:
            return row.thread_id, ""
        unit = await self.unit_of(session, patient)
        # Let go of the database before waiting for the topic's lock: whoever holds that
        # lock may be waiting for its turn to write (SQLite has one writer).
        await session.commit()
        thread = await self.ensure_topic(session, unit, patient) if unit is not None else None
        return (thread, "") if thread is not None else (None, tagged(patient, ""))

    async def topic_lost(self, session: AsyncSession, row: OutboxMessage, thread: int) -> None:
        if row.patient_id is not None:
            await self.forget_topic(session, row.patient_id, thread)

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
        patient = await self._patient_of(session, row)
        unit = await self.unit_of(session, patient) if patient is not None else None
        if patient is None or unit is None:
            return None  # the patient's content was deleted meanwhile: nothing to send
        if row.method == OutboxMethod.CARD:
            return await self.draw_card(session, unit, patient, repost=message.repost)
        if row.method == OutboxMethod.ALERT:
            return await self.post_alert(session, row, message)
        parts = await self._stored(session, message.relays)
        if not parts:
            return None
        if row.method == OutboxMethod.EDIT:
            return await self._mirror(session, unit, patient, parts[0])
        return await self._send_relay(session, unit, patient, parts, thread)

    async def sent(self, session: AsyncSession, row: OutboxMessage) -> None:
        if row.method != OutboxMethod.RELAY or row.patient_id is None:
            return
        relays = await self._relays_of(session, row)
        if not relays or relays[0].direction != RelayDirection.TO_PATIENT:
            return
        relay = relays[0]
        # 👌 on the coordinator's message: the patient has it.
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=f"delivered:{relay.id}",
            purpose="delivered",
            method=OutboxMethod.REACT,
            chat_id=relay.source_chat_id,
            patient_id=row.patient_id,
            text=DELIVERED,
            reply_to=relay.source_message_id,
            now=self.ctx.clock(),
        )
        patient = await self._patient_of(session, row)
        if patient is not None and patient.blocked_bot:
            patient.blocked_bot = False
            session.add(patient)
            await self.card_changed(session, patient)

    async def delayed(self, session: AsyncSession, row: OutboxMessage) -> None:
        """A coordinator's reply that did not go at once: they see it is on its way."""
        relays = await self._relays_of(session, row)
        if not relays or relays[0].direction != RelayDirection.TO_PATIENT:
            return
        relay = relays[0]
        with self.staff_locale():
            text = "⏳ " + _("Not delivered yet; the bot will try again.")
        await self._note_under(session, relay, f"delayed:{relay.id}", "delayed", text)

    async def refused(self, session: AsyncSession, row: OutboxMessage, blocked: bool) -> None:
        """Telegram will never take it: the relay is marked, and a patient who cannot be
        reached is flagged and the coordinators are told, in the topic."""
        patient = await self._patient_of(session, row)
        if patient is None:
            return
        relays = await self._relays_of(session, row)
        for relay in relays:
            messages.undeliverable(session, relay)
        if row.chat_id != patient.chat_id:
            log.warning("the staff chat refused %s: %s", row.dedupe_key, row.last_error)
            return
        patient.blocked_bot = blocked or patient.blocked_bot
        session.add(patient)
        reply = relays[0] if relays else None  # a coordinator's, as the chat is the patient's
        with self.staff_locale():
            if reply is not None and blocked:
                text = "⛔ " + _("Not delivered: the patient has blocked the bot.")
            else:
                text = "⛔ " + _(
                    "A message to {code} could not be delivered ({purpose}): {reason}"
                ).format(code=patient.pseudonym, purpose=row.purpose, reason=row.last_error)
        key = f"undeliverable:{row.id}"
        if reply is not None:
            await self._note_under(session, reply, key, "undeliverable", text)
        else:
            unit = await self.unit_of(session, patient)
            if unit is not None:
                await outbox.enqueue(
                    session, self.ctx.vault, key=key,
                    purpose="undeliverable", chat_id=unit.staff_chat_id, in_topic=True,
                    patient_id=patient.key, text=text, now=self.ctx.clock(),
                )  # fmt: skip
        await self.card_changed(session, patient)
        self.sender.kick()

    async def _patient_of(self, session: AsyncSession, row: OutboxMessage) -> Patient | None:
        """The row's patient as stored now (a sender's session lives for a whole batch, and
        the other sender may have changed the patient meanwhile)."""
        if row.patient_id is None:
            return None
        return await session.get(Patient, row.patient_id, populate_existing=True)

    async def _relays_of(self, session: AsyncSession, row: OutboxMessage) -> list[Relay]:
        """The stored messages a relay row carries."""
        if row.method != OutboxMethod.RELAY:
            return []
        return await self._stored(session, outbox.outgoing(self.ctx.vault, row).relays)

    async def _stored(self, session: AsyncSession, ids: tuple[int, ...]) -> list[Relay]:
        """These stored messages, less any deleted meanwhile, in the order they were written:
        Telegram takes an album's ids only in increasing order, whatever order they were
        handled in."""
        found = [await session.get(Relay, relay_id) for relay_id in ids]
        return sorted(
            (relay for relay in found if relay is not None), key=lambda r: r.source_message_id
        )

    async def _note_under(
        self, session: AsyncSession, relay: Relay, key: str, purpose: str, text: str
    ) -> None:
        """A line in the topic, answering the coordinator's message it is about."""
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=key,
            purpose=purpose,
            chat_id=relay.source_chat_id,
            in_topic=True,
            patient_id=relay.patient_id,
            text=text,
            reply_to=relay.source_message_id,
            now=self.ctx.clock(),
        )

    # --- relays ---------------------------------------------------------------------------------

    async def relay(self, session: AsyncSession, relay: Relay) -> None:
        """Queue a stored message for the other side, in the same transaction that stored it.
        The parts of an album arrive as separate messages and are queued together."""
        if relay.media_group_id:
            self._collect_album(relay.media_group_id)
            return
        await self._queue(session, [relay], key=f"relay:{relay.id}")

    async def _queue(self, session: AsyncSession, parts: list[Relay], key: str) -> None:
        first = parts[0]
        patient = await session.get(Patient, first.patient_id)
        assert patient is not None
        if first.direction == RelayDirection.FROM_PATIENT:
            unit = await self.unit_of(session, patient)
            if unit is None:
                return
            chat_id, in_topic = unit.staff_chat_id, True
        else:
            assert patient.chat_id is not None
            chat_id, in_topic = patient.chat_id, False
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=key,
            purpose="relay",
            method=OutboxMethod.RELAY,
            chat_id=chat_id,
            in_topic=in_topic,
            patient_id=patient.key,
            relays=tuple(part.key for part in parts),
            now=self.ctx.clock(),
        )

    def _collect_album(self, group: str) -> None:
        if group not in self._albums:
            self._albums[group] = asyncio.create_task(self._queue_album(group))

    async def _queue_album(self, group: str) -> None:
        """Wait for all parts of an album, then queue them as one (the patient is told it
        was sent, once)."""
        await asyncio.sleep(ALBUM_WAIT)
        try:
            async with self.session_factory() as session:
                parts = await messages.all_pending(session, album=group)
                await self._queue_parts(session, parts, group)
                await session.commit()
            self.sender.kick()
        finally:
            self._albums.pop(group, None)

    async def _queue_parts(self, session: AsyncSession, parts: list[Relay], group: str) -> None:
        if not parts:
            return
        await self._queue(session, parts, key=f"album:{group}")
        patient = await session.get(Patient, parts[0].patient_id)
        if parts[0].direction == RelayDirection.FROM_PATIENT and patient is not None:
            with self.locale(patient.language):
                notice = await fmt.sent_notice(self.ctx, session, patient)
            await self.tell_patient(session, patient, notice, f"sent:album:{group}")

    async def _relay_text(
        self, session: AsyncSession, relay: Relay, content: messages.Content, tag: Patient | None
    ) -> str:
        """What a copy says: a patient's words marked 🚨/🟠 as triaged (with the code where
        the staff chat has no topics, `tag`), or a coordinator's words under a signature."""
        if relay.direction == RelayDirection.FROM_PATIENT:
            icon = {"acute": "🚨 ", "possible": "🟡 ", "urgent": "🟠 "}.get(relay.triage, "")
            text = icon + escape(content.text)
            return tagged(tag, text, "\n" if content.kind == "text" else " ") if tag else text
        return f"{await self._signature(session, relay)}\n{escape(content.text)}"

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

    async def _send_relay(
        self, session: AsyncSession, unit: CareUnit, patient: Patient, parts: list[Relay],
        thread: int | None,
    ) -> int:  # fmt: skip
        """A message, or an album copied as one, to the other side: into the patient's topic
        (or, without topics, the chat with their code), or signed to the patient."""
        first = parts[0]
        content = messages.content_of(self.ctx.vault, first)
        if first.direction == RelayDirection.FROM_PATIENT:
            chat, tag = unit.staff_chat_id, (patient if thread is None else None)
            header = tagged(patient, "") if tag else None
        else:
            assert patient.chat_id is not None
            chat, tag, thread = patient.chat_id, None, None
            header = await self._signature(session, first)
        text = await self._relay_text(session, first, content, tag)
        await session.commit()  # nothing is held while Telegram is asked
        if len(parts) > 1:
            if header:
                await self.bot.send_message(chat, header, message_thread_id=thread)
                await self.sender.pace(chat)
            copies = await self.bot.copy_messages(
                chat,
                first.source_chat_id,
                [part.source_message_id for part in parts],
                message_thread_id=thread,
            )
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

    # --- edits --------------------------------------------------------------------------------

    async def mirror_edit(self, session: AsyncSession, relay: Relay) -> None:
        """Queue an edit for the other side's copy. A message not yet sent needs none: it is
        built from what is stored when it goes."""
        if relay.status != RelayStatus.DELIVERED or relay.copy_chat_id is None:
            return
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=f"edit:{relay.id}:{uuid.uuid4().hex}",
            purpose="edit",
            method=OutboxMethod.EDIT,
            chat_id=relay.copy_chat_id,
            patient_id=relay.patient_id,
            relays=(relay.key,),
            now=self.ctx.clock(),
        )

    async def _mirror(
        self,
        session: AsyncSession,
        unit: CareUnit,
        patient: Patient,
        relay: Relay,
    ) -> int | None:
        if relay.copy_chat_id is None or relay.copy_message_id is None:
            return None
        content = messages.content_of(self.ctx.vault, relay)
        text = await self._relay_text(session, relay, content, None if unit.forum else patient)
        with self.staff_locale():
            text += "\n<i>(" + _("edited") + ")</i>"
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

    # --- alerts -------------------------------------------------------------------------------

    async def post_alert(
        self, session: AsyncSession, row: OutboxMessage, message: Outgoing
    ) -> int | None:
        """An alert's message, built as it is sent: it names the coordinators known now.
        Before the first list of administrators has ever been read, it is read here (in the
        sender, not on the patient's update); if Telegram cannot tell yet, the alert waits a
        little (retried), then goes naming nobody rather than not at all."""
        alert = await session.get(Alert, message.alert) if message.alert else None
        unit = await session.get(CareUnit, alert.unit_id) if alert else None
        patient = await session.get(Patient, alert.patient_id) if alert else None
        if alert is None or unit is None or patient is None:
            return None  # erased meanwhile
        coordinators = await staff.coordinators(session, unit)
        if not coordinators and unit.admins_checked_at is None:
            await session.commit()
            await self.refresh_coordinators(session, unit, force=True)
            coordinators = await staff.coordinators(session, unit)
            if not coordinators and self.ctx.clock() - alert.raised_at < NAMES_WAIT:
                raise NotYet("the coordinators are not known yet")
        thread = patient.topic_id if unit.forum else None  # for a link to the topic
        with self.staff_locale():
            text = views.alert(
                patient,
                AlertKind(alert.kind),
                alert.reason,
                message.text,
                coordinators,
                staff_link(unit, thread),
                alert.escalations,
            )
            keyboard = ack_keyboard(alert)
        await session.commit()  # nothing is held while Telegram is asked
        sent = await self.bot.send_message(unit.staff_chat_id, text, reply_markup=keyboard)
        return sent.message_id

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
        await safety.queue_alert(session, self.ctx.vault, unit, alert, "", self.ctx.clock())
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
                lane=safety.alert_lane(AlertKind(alert.kind)),
                now=self.ctx.clock(),
            )

    # --- the tick: what is due ------------------------------------------------------------------

    async def tick(self) -> None:
        """Read the staff chats' administrators where due, escalate alerts nobody
        acknowledged, and queue messages stored but never queued (the parts of an album
        whose process stopped while it waited for them)."""
        await self.refresh_all_coordinators()
        now = self.ctx.clock()
        async with self.session_factory() as session:
            albums: defaultdict[str, list[Relay]] = defaultdict(list)
            for relay in await messages.all_pending(session, before=now - ORPHAN):
                if relay.media_group_id:
                    albums[relay.media_group_id].append(relay)
                else:
                    await self._queue(session, [relay], key=f"relay:{relay.id}")
            for group, parts in albums.items():
                await self._queue_parts(session, parts, group)
            await session.commit()
            for alert in await messages.due_alerts(session, now):
                await self.escalate(session, alert)
                await session.commit()
        self.sender.kick(safety=True)  # escalations go in the safety lane

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
            await outbox.enqueue(
                session, self.ctx.vault, key=f"untopic:{pid}", purpose="ended",
                method=OutboxMethod.DROP_TOPIC, chat_id=unit.staff_chat_id, thread_id=topic,
                now=now,
            )  # fmt: skip

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
