"""The outbox through an emulator that injects faults: every message arrives exactly once in
effect, or is reported as undeliverable."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from bot.db.models import OutboxStatus, RelayDirection
from bot.services import messages, outbox, patients
from tests.emulator import Emulator
from tests.harness import (
    ANNA,
    STAFF_CHAT,
    BotUnderTest,
    FakeClock,
    Phone,
    StaffMember,
    topic_of,
)
from tests.journeys import join


async def queue(bot: BotUnderTest, chat_ids: list[int], prefix: str) -> None:
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        for n, chat_id in enumerate(chat_ids):
            await outbox.enqueue(
                session,
                bot.infra.context.vault,
                key=f"{prefix}:{n}",
                purpose="test",
                chat_id=chat_id,
                text=f"{prefix} {n}",
                now=bot.clock(),
            )
        await session.commit()
    bot.sender.kick()


async def statuses(bot: BotUnderTest) -> dict[str, int]:
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        return await outbox.counts(session)


async def running_bot(emulator: Emulator, tmp_path: Path, **settings: object) -> BotUnderTest:
    """A bot whose fake clock runs with real time, so backoff delays come due."""
    clock = FakeClock()
    clock.run()
    bot = BotUnderTest(emulator, tmp_path, clock, request_timeout=0.5, **settings)
    await bot.start()
    return bot


async def test_faults_are_retried_and_each_message_arrives_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    bot = await running_bot(emulator, tmp_path)
    try:
        emulator.faults["sendMessage"] = [("429", 1), ("500", 0), ("timeout", 1.0), ("502", 0)]
        chats = [9301, 9302, 9303, 9304, 9305]
        await queue(bot, chats, "reminder")
        await emulator.wait_for(lambda: _texts(emulator, chats, "reminder") == 5, timeout=20)
        delivered = Counter(m.text for c in chats for m in emulator.chats.get(c, []))
        assert all(count == 1 for count in delivered.values()), delivered
        assert await statuses(bot) == {OutboxStatus.SENT: 5}
        assert not emulator.faults["sendMessage"], "every fault was met and got past"
        assert bot.sender.caused_429 == 1  # the one injected; none caused by sending too fast
    finally:
        await bot.crash()


async def test_a_patient_who_blocked_the_bot_is_reported_to_the_coordinators(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 9310)
    pseudonym = await join(bot, phone)
    emulator.blocked.add(9310)
    anna = StaffMember(emulator, ANNA)
    thread = topic_of(emulator, pseudonym)
    await anna.say("/contact 2026-12-02 10:00", thread)
    report = [m.text for m in anna.topic(thread) if "kunde inte levereras" in m.text]
    assert len(report) == 1 and "Forbidden: bot was blocked by the user" in report[0]
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "har blockerat boten" in card.text
    assert (await statuses(bot))[OutboxStatus.REFUSED] == 1


async def test_the_same_key_is_sent_once_and_a_crash_mid_send_is_picked_up(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    await queue(bot, [9320], "once")
    await queue(bot, [9320], "once")  # queued again under the same key: nothing new
    await emulator.settle_quiet()
    assert _texts(emulator, [9320], "once") == 1

    # A sender that claimed a message and died before sending it: the next start sends it.
    await bot.crash()
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        await outbox.enqueue(
            session, bot.infra.context.vault, key="claimed", purpose="test",
            chat_id=9321, text="claimed 0", now=bot.clock(),
        )  # fmt: skip
        await session.commit()
        await outbox.claim(session, bot.clock(), 10)
    await bot.start()
    await emulator.wait_for(lambda: _texts(emulator, [9321], "claimed") == 1)
    assert await statuses(bot) == {OutboxStatus.SENT: 2}


def _texts(emulator: Emulator, chats: list[int], prefix: str) -> int:
    return sum(1 for c in chats for m in emulator.chats.get(c, []) if m.text.startswith(prefix))


async def test_relays_both_ways_get_past_faults_and_arrive_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    bot = await running_bot(emulator, tmp_path)
    try:
        phone = Phone(emulator, 9330)
        thread = topic_of(emulator, await join(bot, phone))
        anna = StaffMember(emulator, ANNA)

        # The staff chat fails twice (a 500, then a stall past the client's timeout).
        emulator.faults[f"sendMessage@{STAFF_CHAT}"] = [("500", 0), ("timeout", 1.0)]
        await phone.send("Hej, hör ni mig?")
        assert "Skickat till din rehabkoordinator" in phone.last.text, "told at once"
        await emulator.wait_for(lambda: _in_topic(anna, thread, "Hej, hör ni mig?") == 1, 10)

        # A photo meets a 429 on its way and still arrives, once.
        emulator.faults[f"copyMessage@{STAFF_CHAT}"] = [("429", 1)]
        photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 1, "height": 1}]
        await phone.send_content({"photo": photo, "caption": "Mitt schema"})
        await emulator.wait_for(lambda: _in_topic(anna, thread, "Mitt schema") == 1, 10)

        # A reply that fails at first: the coordinator sees ⏳, then 👌 once the patient has it.
        emulator.faults["sendMessage@9330"] = [("502", 0)]
        reply = await anna.say("Ja, vi hör dig. Vi ringer i morgon.", thread)
        await emulator.wait_for(lambda: reply.reactions == ["👌"], 10)
        waiting = [m for m in anna.topic(thread) if m.text.startswith("⏳")]
        assert len(waiting) == 1 and waiting[0].reply_to == reply.message_id
        got = [m for m in phone.messages if "Vi ringer i morgon" in m.text]
        assert len(got) == 1 and "Din rehabkoordinator" in got[0].text
        await emulator.wait_for(lambda: not emulator.faults["sendMessage@9330"])
        assert await _stuck(bot) == 0
    finally:
        await bot.crash()


async def test_an_edit_made_before_delivery_goes_with_the_message(
    emulator: Emulator, tmp_path: Path
) -> None:
    bot = await running_bot(emulator, tmp_path)
    try:
        phone = Phone(emulator, 9331)
        thread = topic_of(emulator, await join(bot, phone))
        anna = StaffMember(emulator, ANNA)
        emulator.faults[f"sendMessage@{STAFF_CHAT}"] = [("500", 0)]
        sent = await phone.send("Jag kan komma på tisdag")
        mine = [m for m in emulator.chats[9331] if not m.from_bot][-1]
        await emulator.settle(emulator.edit(mine, "Jag kan komma på onsdag"))
        await emulator.wait_for(lambda: _in_topic(anna, thread, "Jag kan komma") == 1, 10)
        copy = next(m for m in anna.topic(thread) if "Jag kan komma" in m.text)
        assert copy.text == "Jag kan komma på onsdag", "built from what is stored when sent"
        assert "Skickat" in sent.text
    finally:
        await bot.crash()


STAFF_CALLS = {
    "sendMessage", "copyMessage", "copyMessages", "editMessageText", "editMessageCaption",
    "editForumTopic", "pinChatMessage", "createForumTopic", "setMessageReaction",
}  # fmt: skip


async def test_everything_to_the_staff_chat_keeps_its_pace(
    emulator: Emulator, tmp_path: Path
) -> None:
    interval = 0.25
    bot = await running_bot(emulator, tmp_path, outbox_chat_interval=interval)
    try:
        phone = Phone(emulator, 9332)
        thread = topic_of(emulator, await join(bot, phone))
        ids = [emulator.user_message(9332, {"text": f"rad {n}"}) for n in range(5)]
        for update_id in ids:
            await emulator.settle(update_id)
        anna = StaffMember(emulator, ANNA)
        await emulator.wait_for(lambda: _in_topic(anna, thread, "rad ") == 5, 10)
        times = [
            at
            for (method, params), at in zip(emulator.calls, emulator.call_times, strict=True)
            if method in STAFF_CALLS and int(params.get("chat_id", 0)) == STAFF_CHAT
        ]
        # The topic, its card and pin, five messages and the card's redraw: all spaced.
        assert len(times) >= 8
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        # Booked a full interval apart; on a loaded machine one send may leave late and the
        # next on time, so the gap seen can be shorter (without pacing it is ~0.01 s).
        assert min(gaps) >= interval * 0.6, gaps
    finally:
        await bot.crash()


async def test_a_message_stored_but_never_queued_is_sent_by_the_tick(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    """As when the process stopped while it waited for the rest of an album."""
    phone = Phone(emulator, 9333)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    assert bot.infra is not None
    own = [m.message_id for m in emulator.chats[9333]][:2]  # any two messages in the chat
    async with bot.infra.session_factory() as session:
        patient = await patients.find_by_pseudonym(session, pseudonym)
        assert patient is not None and patient.chat_id is not None
        for n, message_id in enumerate(own):
            await messages.store(
                session, bot.infra.context.vault, patient,
                direction=RelayDirection.FROM_PATIENT,
                content=messages.Content("photo", "", f"f{n}"),
                source_chat_id=patient.chat_id, source_message_id=message_id,
                media_group_id="lost-album", now=bot.clock(),
            )  # fmt: skip
        await session.commit()
    await bot.tick()
    assert not any(method == "copyMessages" for method, _ in emulator.calls), "not yet orphaned"
    bot.clock.advance(minutes=2)
    await bot.tick()
    copies = [params for method, params in emulator.calls if method == "copyMessages"]
    assert len(copies) == 1 and copies[0]["message_ids"] == own
    assert int(copies[0]["message_thread_id"]) == thread
    assert len([m for m in phone.messages if "Skickat till din rehabkoordinator" in m.text]) == 1


def _in_topic(member: StaffMember, thread: int, start: str) -> int:
    return sum(1 for m in member.topic(thread) if m.from_bot and m.text.startswith(start))


async def _stuck(bot: BotUnderTest) -> int:
    counts = await statuses(bot)
    return sum(n for status, n in counts.items() if status != OutboxStatus.SENT)
