"""The safety path through the emulator: 112 at once whatever else fails, an alert that is
not lost and not delayed, and the direct question when a message may signal risk."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

from bot.db.models import OutboxStatus, Relay
from tests.emulator import ChatMessage, Emulator
from tests.harness import ANNA, CLINIC_PHONE, STAFF_CHAT, BotUnderTest, Phone, StaffMember
from tests.journeys import join
from tests.test_outbox import queue, running_bot, statuses


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for an event while the bot stays busy (a backlog keeps it from going quiet)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the expected messages did not arrive"
        await asyncio.sleep(0.02)


def pinned_card(emulator: Emulator) -> ChatMessage:
    """The card pinned last in the staff chat: the patient's, as the coordinator sees it."""
    return emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])


def alerts_in(emulator: Emulator, anna: StaffMember) -> list[str]:
    return [m.text for m in anna.chat if "Akut risk" in m.text]


async def test_an_acute_message_gets_112_and_its_alert_whatever_fails(
    emulator: Emulator, tmp_path: Path
) -> None:
    # Before the bot has ever read who the coordinators are, Telegram cannot tell it.
    emulator.faults["getChatAdministrators"] = [("500", 0)] * 4
    bot = await running_bot(emulator, tmp_path)
    try:
        anna, phone = StaffMember(emulator, ANNA), Phone(emulator, 9401)
        emulator.faults["createForumTopic"] = [("500", 0)] * 3  # no topic can be opened
        await join(bot, phone)
        emulator.faults["sendMessage@9401"] = [("500", 0)]  # the first answer fails
        emulator.faults[f"sendMessage@{STAFF_CHAT}"] = [("502", 0)]  # and so does the alert
        await phone.send("jag vill inte leva längre")

        await emulator.wait_for(lambda: any("112" in m.text for m in phone.messages), 20)
        assert not emulator.faults["sendMessage@9401"], "the first try met the fault"
        assert bot.infra is not None
        async with bot.infra.session_factory() as session:
            stored = (await session.exec(select(Relay))).all()
        assert [relay.triage for relay in stored] == ["acute"], "the message is stored"

        await emulator.wait_for(lambda: bool(alerts_in(emulator, anna)), 30)
        alert = alerts_in(emulator, anna)[0]
        assert 'href="tg://user?id=501"' in alert, "it names the coordinators"
        assert "jag vill inte leva längre" in alert
        assert len([m for m in phone.messages if "112" in m.text]) == 1, "answered once"
    finally:
        await bot.crash()


async def test_a_saturated_staff_group_does_not_delay_the_alert(
    emulator: Emulator, tmp_path: Path
) -> None:
    bot = await running_bot(emulator, tmp_path, outbox_group_per_minute=20)
    try:
        anna, phone = StaffMember(emulator, ANNA), Phone(emulator, 9402)
        await join(bot, phone)  # the topic and its card take their share of the minute
        await queue(bot, [STAFF_CHAT] * 60, "filler")  # far more than a minute allows
        await until(lambda: sum("filler" in m.text for m in anna.chat) >= 5)

        emulator.user_message(9402, {"text": "I want to kill myself"}, "sv")
        await until(lambda: bool(alerts_in(emulator, anna)))
        fillers_sent = sum("filler" in m.text for m in anna.chat)
        assert fillers_sent < 20, "the alert went ahead of the queue, not after it"
        waiting = await statuses(bot)
        assert waiting.get(OutboxStatus.PENDING, 0) + waiting.get(OutboxStatus.SENDING, 0) > 40
    finally:
        await bot.crash()


async def test_a_possible_risk_is_asked_about_and_no_is_kindly_answered(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna, phone = StaffMember(emulator, ANNA), Phone(emulator, 9403)
    pseudonym = await join(bot, phone)
    await phone.send("jag orkar inte mer")
    question = next(m for m in reversed(phone.messages) if m.buttons())
    assert "ta ditt liv" in question.text and [b["text"] for b in question.buttons()] == [
        "Ja",
        "Nej",
    ]
    assert not alerts_in(emulator, anna), "a question, not an alarm"
    card = pinned_card(emulator)
    assert "har inte svarat ännu" in card.text

    await phone.tap("Nej", question)
    assert CLINIC_PHONE in phone.last.text and "112" in phone.last.text
    assert not emulator.find(question.chat_id, question.message_id).buttons(), "asked once"
    card = pinned_card(emulator)
    assert "svarade nej" in card.text and pseudonym in card.text
    assert not alerts_in(emulator, anna)


async def test_a_yes_to_the_direct_question_takes_the_acute_path(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna, phone = StaffMember(emulator, ANNA), Phone(emulator, 9404)
    pseudonym = await join(bot, phone)
    await phone.send("I just want to disappear")
    question = next(m for m in reversed(phone.messages) if m.buttons())
    await phone.tap("Ja", question)
    answer = [m.text for m in phone.messages if "112" in m.text][-1]
    assert "90101" in answer
    alert = alerts_in(emulator, anna)[-1]
    assert pseudonym in alert and 'href="tg://user?id=501"' in alert
    card = pinned_card(emulator)
    assert "svarade ja" in card.text


async def test_when_nothing_can_be_stored_the_112_answer_still_goes(
    bot: BotUnderTest, emulator: Emulator, monkeypatch
) -> None:
    phone = Phone(emulator, 9405)
    await join(bot, phone)

    async def database_down(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("bot.services.safety.raise_alarm", database_down)
    await phone.send("I want to kill myself")
    assert any("112" in m.text and "90101" in m.text for m in phone.messages)
