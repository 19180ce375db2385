"""The outbox through an emulator that injects faults: every message arrives exactly once in
effect, or is reported as undeliverable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.db.models import OutboxStatus
from bot.services import outbox
from tests.emulator import Emulator
from tests.harness import ANNA, STAFF_CHAT, BotUnderTest, FakeClock, Phone, StaffMember
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


async def test_faults_are_retried_and_each_message_arrives_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    clock = FakeClock()
    clock.run()
    bot = BotUnderTest(emulator, tmp_path, clock, request_timeout=0.5)
    await bot.start()
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
    thread = next(
        t for t, name in emulator.groups[STAFF_CHAT].topics.items() if name.startswith(pseudonym)
    )
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
