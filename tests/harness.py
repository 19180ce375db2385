"""The real bot, started against the emulator; and a patient's phone to drive it."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from cryptography.fernet import Fernet

from bot.app import Infrastructure, Running, build_infrastructure, start
from bot.config import Settings
from bot.db.models import CaseRecord, ModuleStatus, Patient
from bot.services import caselog, patients, program
from bot.telegram import create_bot
from tests.emulator import ChatMessage, Emulator

CLINIC_PHONE = "0480-12 34 56"
STAFF_CHAT = -1001000000001
FALLBACK_CHAT = 777
ANNA = {"id": 501, "is_bot": False, "first_name": "Anna", "language_code": "sv"}


def pinned_card(emulator: Emulator) -> str:
    """The text of the card pinned last in the staff chat."""
    return emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1]).text


def topic_of(emulator: Emulator, pseudonym: str) -> int:
    """The patient's topic in the staff chat (there must be exactly one)."""
    topics = emulator.groups[STAFF_CHAT].topics
    found = [thread for thread, name in topics.items() if name.startswith(pseudonym)]
    assert len(found) == 1, f"expected one topic for {pseudonym}, found {topics}"
    return found[0]


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    # When running, real seconds pass on the fake clock too (for retries and backoff).
    running_since: float | None = None

    def __call__(self) -> datetime:
        if self.running_since is None:
            return self.now
        return self.now + timedelta(seconds=time.monotonic() - self.running_since)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def run(self) -> None:
        self.running_since = time.monotonic()


log = logging.getLogger(__name__)


class BotUnderTest:
    def __init__(
        self, emulator: Emulator, workdir: Path, clock: FakeClock, **settings: Any
    ) -> None:
        self.emulator = emulator
        self.clock = clock
        # Telegram's per-chat limits, scaled down so tests do not wait real seconds; the
        # limiter itself is tested in test_ratelimit and the bench runs the real ones.
        settings = {"outbox_chat_interval": 0.02, "outbox_group_per_minute": 6000} | settings
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token="123456:TEST-token",
            database_url=f"sqlite:///{workdir / 'bot.sqlite3'}",
            telegram_api_url=emulator.url,
            data_key=Fernet.generate_key().decode(),
            data_dir=workdir,
            polling_timeout=1,
            outbox_poll_seconds=0.05,
            clinic_name="Vårdcentralen Kalmar",
            clinic_phone=CLINIC_PHONE,
            staff_chat_id=STAFF_CHAT,
            fallback_chat_id=FALLBACK_CHAT,
            **settings,
        )
        if STAFF_CHAT not in emulator.groups:
            emulator.add_group(STAFF_CHAT, "Rehab Kalmar", [ANNA])
        self.infra: Infrastructure | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.infra = build_infrastructure(self.settings, clock=self.clock)
        bot = self.bot = create_bot(self.settings)
        self.running: Running = await start(self.infra, bot)  # as the bot's own run starts
        dispatcher = self.running.dispatcher
        self.sender = self.running.sender
        self.emulator.busy_checks = [lambda: not self.sender.idle]
        self._watch(dispatcher)
        self._task = asyncio.create_task(
            dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False)
        )

    def _watch(self, dispatcher: Dispatcher) -> None:
        """Tell the emulator when each update has been handled to the end (commit included),
        so tests wait exactly as long as the bot works."""
        emulator = self.emulator
        feed = dispatcher.feed_update

        async def watched(bot: Any, update: Any, **kwargs: Any) -> Any:
            emulator.handling += 1
            try:
                return await feed(bot, update, **kwargs)
            finally:
                emulator.handling -= 1
                emulator.handled.add(update.update_id)
                emulator.last_activity = time.monotonic()

        dispatcher.feed_update = watched  # type: ignore[method-assign]

    async def crash(self) -> None:
        """Stop at once, as a killed process would: nothing is flushed on the way out."""
        assert self._task is not None and self.infra is not None
        while not self._task.done():  # again, should a cancellation be swallowed
            self._task.cancel()
            await asyncio.wait([self._task], timeout=1)
        if not self._task.cancelled() and self._task.exception() is not None:
            # Polling died earlier: the test has failed on that already; say why, without
            # hiding the test's own failure behind this one.
            log.error("polling had stopped", exc_info=self._task.exception())
        await self.sender.stop()
        await self.bot.session.close()
        self.emulator.busy_checks = []
        await self.infra.engine.dispose()
        self._task = None

    async def invite(
        self, language: str = "sv", days: int = 14, first_module: int | None = 1,
        sick_leave_start: date | None = None,
    ) -> tuple[str, str]:  # fmt: skip
        assert self.infra is not None
        async with self.infra.session_factory() as session:
            made = await patients.create_invite(
                session,
                patients.InviteDetails(
                    language=language,
                    first_module=first_module,
                    sick_leave_start=sick_leave_start,
                ),
                now=self.clock(),
                ttl=timedelta(days=days),
            )
            await session.commit()
        return made.patient.pseudonym, made.code

    async def tick(self) -> None:
        """What the scheduler does every half minute: jobs, retries and escalations."""
        await self.running.clockwork.tick()
        await self.running.clockwork.upkeep()
        await self.emulator.settle_quiet()

    async def activate(self, pseudonym: str, module: int) -> None:
        """The module open for the patient (module 1 already is once they joined)."""
        assert self.infra is not None
        async with self.infra.session_factory() as session:
            patient = await patients.find_by_pseudonym(session, pseudonym)
            assert patient is not None
            opened = await program.module_progress(session, patient.key)
            if module in opened and opened[module].status == ModuleStatus.ACTIVE:
                return
            await program.activate_module(
                session, self.infra.context.catalog, patient, module, self.clock()
            )
            await session.commit()

    async def patient_by_user(self, user_id: int) -> Patient:
        assert self.infra is not None
        async with self.infra.session_factory() as session:
            found = await patients.find_by_user(session, user_id)
            assert found is not None
            return found

    async def patient(self, pseudonym: str) -> Patient:
        assert self.infra is not None
        async with self.infra.session_factory() as session:
            found = await patients.find_by_pseudonym(session, pseudonym)
            assert found is not None
            return found

    async def case_row(self, pseudonym: str) -> CaseRecord:
        """The patient's row in the unit's case log."""
        assert self.infra is not None
        async with self.infra.session_factory() as session:
            patient = await patients.find_by_pseudonym(session, pseudonym)
            assert patient is not None
            row = await caselog.row_of(session, patient)
            assert row is not None
            return row


class Phone:
    """One Telegram user's private chat with the bot."""

    def __init__(self, emulator: Emulator, user_id: int, language: str = "sv") -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.language = language

    @property
    def messages(self) -> list[ChatMessage]:
        return [m for m in self.emulator.chats.get(self.user_id, []) if m.from_bot]

    @property
    def last(self) -> ChatMessage:
        assert self.messages, "the bot has not written anything"
        return self.messages[-1]

    @property
    def screen(self) -> ChatMessage:
        """The newest message with buttons: what the patient would tap."""
        with_buttons = [m for m in self.messages if m.buttons()]
        assert with_buttons, "no message with buttons"
        return with_buttons[-1]

    def labels(self) -> list[str]:
        return [b["text"] for b in self.screen.buttons()]

    async def send(self, text: str) -> ChatMessage:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = entities
        await self.emulator.settle(
            self.emulator.user_message(self.user_id, content, self.language)
        )
        return self.last

    async def send_content(self, content: dict[str, Any]) -> ChatMessage:
        await self.emulator.settle(
            self.emulator.user_message(self.user_id, content, self.language)
        )
        return self.last

    def op_button(self, op: str, arg: str | None = None) -> dict[str, Any]:
        """A button by what it does (language-independent): `p:<seq>:<op>:<arg>`."""
        for button in self.screen.buttons():
            _prefix, _seq, button_op, button_arg = button["callback_data"].split(":", 3)
            if button_op == op and (arg is None or button_arg == arg):
                return button
        raise AssertionError(f"no {op}:{arg} button; there are {self.labels()}")

    async def do(self, op: str, arg: str | None = None) -> ChatMessage:
        target = self.screen
        await self.tap_data(self.op_button(op, arg)["callback_data"], target)
        return self.last

    def has_op(self, op: str, arg: str | None = None) -> bool:
        try:
            self.op_button(op, arg)
        except AssertionError:
            return False
        return True

    def button(self, label: str, message: ChatMessage | None = None) -> dict[str, Any]:
        target = message or self.screen
        for button in target.buttons():
            if button["text"] == label:
                return button
        for button in target.buttons():
            if label in button["text"]:
                return button
        raise AssertionError(
            f"no button {label!r}; there are {[b['text'] for b in target.buttons()]}"
        )

    async def tap(self, label: str, message: ChatMessage | None = None) -> ChatMessage:
        target = message or self.screen
        data = self.button(label, target)["callback_data"]
        await self.tap_data(data, target)
        return self.last

    async def tap_data(self, data: str, message: ChatMessage) -> str:
        update_id = self.emulator.press(self.user_id, message, data)
        await self.emulator.settle(update_id)
        answered = [q for q in self.emulator.callback_answers.values()]
        assert answered, "the button press was not answered"
        return str(answered[-1].get("text", ""))


class StaffMember:
    """A member of a staff supergroup, writing in its topics and pressing its buttons."""

    def __init__(
        self, emulator: Emulator, user: dict[str, Any], chat_id: int = STAFF_CHAT
    ) -> None:
        self.emulator = emulator
        self.user = user
        self.chat_id = chat_id

    @property
    def chat(self) -> list[ChatMessage]:
        return self.emulator.chats.get(self.chat_id, [])

    def topic(self, thread_id: int | None) -> list[ChatMessage]:
        return [m for m in self.chat if m.thread_id == thread_id]

    def from_bot(self, thread_id: int | None = None) -> list[ChatMessage]:
        return [m for m in self.topic(thread_id) if m.from_bot]

    @property
    def last(self) -> ChatMessage:
        return [m for m in self.chat if m.from_bot][-1]

    async def say(
        self, text: str, thread: int | None = None, reply_to: ChatMessage | None = None
    ) -> ChatMessage:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        update_id, sent = self.emulator.group_message(
            self.chat_id, self.user, content, thread, reply_to
        )
        await self.emulator.settle(update_id)
        return sent

    async def press(self, message: ChatMessage, label: str) -> str:
        button = next((b for b in message.buttons() if label in b["text"]), None)
        assert button is not None, f"no {label!r}: {[b['text'] for b in message.buttons()]}"
        update_id = self.emulator.press(
            self.user["id"], message, button["callback_data"], user=self.user
        )
        await self.emulator.settle(update_id)
        return str(list(self.emulator.callback_answers.values())[-1].get("text", ""))
