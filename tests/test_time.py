"""Time through the real bot and a controllable clock: contact reminders across the
daylight-saving changes, quiet hours, one nudge a day, the catch-up after a restart, the
morning digest and the missed-contact flag."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.emulator import Emulator
from tests.harness import ANNA, BotUnderTest, Phone, StaffMember, topic_of
from tests.journeys import join


def count(phone: Phone, text: str) -> int:
    return sum(1 for m in phone.messages if text in m.text)


async def set_contact(bot: BotUnderTest, emulator: Emulator, phone: Phone, when: str) -> str:
    pseudonym = await join(bot, phone)
    await StaffMember(emulator, ANNA).say(f"/contact {when}", topic_of(emulator, pseudonym))
    assert "Din nästa kontakt" in phone.last.text
    return pseudonym


async def at(bot: BotUnderTest, *moment: int) -> None:
    bot.clock.now = datetime(*moment, tzinfo=UTC)
    await bot.tick()


async def test_reminders_before_and_on_the_day_across_the_change_to_summer_time(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    bot.clock.now = datetime(2027, 3, 25, 9, 0, tzinfo=UTC)
    phone = Phone(emulator, 9401)
    await set_contact(bot, emulator, phone, "2027-03-29 13:00")
    await at(bot, 2027, 3, 28, 7, 59)  # 09:59 summer time: not yet
    assert count(phone, "I morgon är din kontaktdag") == 0
    await at(bot, 2027, 3, 28, 8, 0)  # 10:00 summer time, the day before
    assert count(phone, "I morgon är din kontaktdag: måndag 29 mars 2027, 13:00") == 1
    assert "din rehabkoordinator ringer dig" in phone.last.text
    await at(bot, 2027, 3, 29, 6, 0)  # 08:00 on the day
    assert count(phone, "I dag är din kontaktdag") == 1
    await at(bot, 2027, 3, 29, 9, 0)
    assert count(phone, "I morgon är din kontaktdag") == 1 and count(phone, "I dag är") == 1


async def test_reminders_across_the_change_to_winter_time(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    bot.clock.now = datetime(2026, 10, 22, 9, 0, tzinfo=UTC)
    phone = Phone(emulator, 9402)
    await set_contact(bot, emulator, phone, "2026-10-26 09:30 message")
    await at(bot, 2026, 10, 25, 8, 59)  # 09:59 winter time (it changed at 03:00)
    assert count(phone, "I morgon är din kontaktdag") == 0
    await at(bot, 2026, 10, 25, 9, 0)
    assert count(phone, "I morgon är din kontaktdag: måndag 26 oktober 2026, 09:30") == 1
    assert "skriv till din rehabkoordinator här" in phone.last.text
    await at(bot, 2026, 10, 26, 7, 0)
    assert count(phone, "I dag är din kontaktdag") == 1


async def test_nudges_wait_out_the_quiet_hours_come_once_a_day_and_can_be_turned_off(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 9403)
    pseudonym = await join(bot, phone)
    await bot.activate(pseudonym, 1)
    await at(bot, 2026, 11, 28, 21, 0)  # three days idle, 22:00 local: quiet hours
    assert count(phone, "modul 1 väntar på dig") == 0
    await at(bot, 2026, 11, 29, 6, 59)
    assert count(phone, "modul 1 väntar på dig") == 0
    await at(bot, 2026, 11, 29, 7, 0)  # 08:00 local
    assert count(phone, "modul 1 väntar på dig") == 1
    await at(bot, 2026, 11, 29, 15, 0)
    assert count(phone, "modul 1 väntar på dig") == 1, "never more than one a day"
    await phone.send("/reminders")
    assert "Påminnelserna är avstängda" in phone.screen.text
    await at(bot, 2026, 11, 30, 9, 0)
    await at(bot, 2026, 12, 1, 9, 0)
    assert count(phone, "modul 1 väntar på dig") == 1


async def test_remind_me_tomorrow_at_a_pause(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 9404)
    pseudonym = await join(bot, phone)
    await bot.activate(pseudonym, 1)
    await phone.send("/menu")
    await phone.do("mod", "1")
    await phone.do("toc", "1")
    await phone.do("page", "1.pause_1")
    await phone.do("pause")
    await phone.do("remind")
    assert "Jag påminner dig torsdag 26 november 2026, 10:00" in phone.screen.text
    await at(bot, 2026, 11, 26, 8, 59)
    assert count(phone, "Du bad mig påminna dig") == 0
    await at(bot, 2026, 11, 26, 9, 0)
    assert count(phone, "Du bad mig påminna dig") == 1


async def test_what_fell_due_while_the_bot_was_down_is_caught_up_once(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    bot.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    phone = Phone(emulator, 9405)
    pseudonym = await set_contact(bot, emulator, phone, "2026-11-26 13:00")
    await bot.crash()
    bot.clock.now = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # two hours after 10:00 local
    await bot.start()
    await bot.tick()
    await bot.tick()
    assert count(phone, "I morgon är din kontaktdag") == 1

    # Down again over the whole contact day: its reminder is past the grace period and is
    # not sent late; the missed contact is flagged in the topic the next working morning.
    await bot.crash()
    bot.clock.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    await bot.start()
    await bot.tick()
    await bot.tick()
    assert count(phone, "I dag är din kontaktdag") == 0
    anna = StaffMember(emulator, ANNA)
    flags = [
        m.text for m in anna.topic(topic_of(emulator, pseudonym)) if "inte markerad" in m.text
    ]
    assert len(flags) == 1 and "torsdag 26 november 2026, 13:00" in flags[0]
    row = await bot.case_row(pseudonym)
    assert (row.contacts_kept, row.contacts_missed) == (0, 1), "for the evaluation"


async def test_a_contact_recorded_done_is_counted_kept_and_not_flagged(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    bot.clock.now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    phone = Phone(emulator, 9407)
    pseudonym = await set_contact(bot, emulator, phone, "2026-11-26 13:00")
    await at(bot, 2026, 11, 26, 12, 40)  # 13:40 local: the call was made
    anna = StaffMember(emulator, ANNA)
    await anna.say("/done", topic_of(emulator, pseudonym))
    await at(bot, 2026, 11, 27, 9, 0)  # the next working morning, after the check
    assert not [m for m in anna.topic(topic_of(emulator, pseudonym)) if "inte markerad" in m.text]
    row = await bot.case_row(pseudonym)
    assert (row.contacts_kept, row.contacts_missed) == (1, 0)


async def test_the_morning_digest_lists_the_days_contacts(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    bot.clock.now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    phone = Phone(emulator, 9406)
    pseudonym = await set_contact(bot, emulator, phone, "2026-11-26 13:00")
    await at(bot, 2026, 11, 26, 6, 29)
    anna = StaffMember(emulator, ANNA)
    assert not [m for m in anna.topic(None) if "Dagens kontakter" in m.text]
    await at(bot, 2026, 11, 26, 6, 30)  # 07:30 local, a Thursday
    digest = [m.text for m in anna.topic(None) if "Dagens kontakter" in m.text]
    assert len(digest) == 1
    assert f"13:00 {pseudonym} (telefonsamtal)" in digest[0] and "0 olästa formulär" in digest[0]
    await at(bot, 2026, 11, 26, 7, 30)
    assert len([m for m in anna.topic(None) if "Dagens kontakter" in m.text]) == 1
