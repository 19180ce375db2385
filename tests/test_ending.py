"""The end of a program: maintenance counts down to deletion, a patient may ask for erasure,
/export gives a PDF, and consent lapses after a year unless renewed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from tests.emulator import Emulator
from tests.harness import ANNA, STAFF_CHAT, BotUnderTest, Phone, StaffMember, topic_of
from tests.journeys import TEXT_ANSWERS, fill_current_form, open_form

USER = 95017777


def dump(bot: BotUnderTest) -> str:
    with sqlite3.connect(bot.settings.database_url.split("///", 1)[1]) as connection:
        return "\n".join(connection.iterdump())


async def patient_with_content(
    bot: BotUnderTest, emulator: Emulator, catalog
) -> tuple[Phone, str]:
    phone = Phone(emulator, USER)
    pseudonym = await open_form(bot, phone, 1, "about_sick_leave", "thoughts_on_sick_leave")
    await fill_current_form(phone, catalog.forms["thoughts_on_sick_leave"], "sv")
    await phone.send("/menu")
    await phone.send("Ett meddelande som ska raderas")
    await StaffMember(emulator, ANNA).say(
        "Ett svar som ska raderas", topic_of(emulator, pseudonym)
    )
    return phone, pseudonym


def assert_nothing_personal_left(bot: BotUnderTest, pseudonym: str) -> None:
    everything = dump(bot)
    for trace in (pseudonym, str(USER), TEXT_ANSWERS["sv"]):
        assert trace not in everything, f"{trace!r} is still in the database"
    assert 'INSERT INTO "caserecord"' in everything  # the anonymous figures remain


async def test_maintenance_counts_down_to_deletion(
    bot: BotUnderTest, emulator: Emulator, catalog
) -> None:
    phone, pseudonym = await patient_with_content(bot, emulator, catalog)
    anna = StaffMember(emulator, ANNA)
    await anna.say("/maintenance", topic_of(emulator, pseudonym))
    assert "16 december 2026" in phone.last.text and "/export" in phone.last.text

    start = bot.clock.now
    for days, expected in ((7, 1), (20, 2)):
        bot.clock.now = start + timedelta(days=days, hours=1)
        await bot.tick()
        assert (
            sum("avslutas" in m.text and "/export" in m.text for m in phone.messages)
            == expected + 1
        )
    bot.clock.now = datetime(2026, 12, 16, 9, 30, tzinfo=UTC)
    await bot.tick()
    assert "allt du skrev och svarade här är nu raderat" in phone.last.text
    assert any("är avslutat och innehållet är raderat" in m.text for m in anna.topic(None))
    assert not emulator.groups[STAFF_CHAT].topics, "the patient's topic is deleted too"
    assert_nothing_personal_left(bot, pseudonym)


async def test_a_patient_can_ask_for_everything_to_be_deleted(
    bot: BotUnderTest, emulator: Emulator, catalog
) -> None:
    phone, pseudonym = await patient_with_content(bot, emulator, catalog)
    await phone.send("/erase")
    assert "Radera allt?" in phone.screen.text
    await phone.do("erase", "1")
    assert "Är du säker?" in phone.screen.text
    await phone.do("erase", "2")
    assert "nu raderat" in phone.last.text
    anna = StaffMember(emulator, ANNA)
    assert any(f"{pseudonym} bad om att allt skulle raderas" in m.text for m in anna.topic(None))
    assert_nothing_personal_left(bot, pseudonym)
    await phone.send("Hej?")
    assert "bjudit in" in phone.last.text  # a stranger now


async def test_export_gives_a_pdf(bot: BotUnderTest, emulator: Emulator, catalog) -> None:
    phone, _pseudonym = await patient_with_content(bot, emulator, catalog)
    await phone.send("/export")
    document = [m for m in emulator.chats[USER] if m.kind == "document"]
    assert document and "Dina svar" in document[-1].text
    upload = next(v for v in emulator.photos[-1].values() if isinstance(v, dict))
    assert upload["data"].startswith(b"%PDF-") and upload["size"] > 2000


async def test_consent_is_asked_again_before_a_year_and_lapses_without_an_answer(
    bot: BotUnderTest, emulator: Emulator, catalog
) -> None:
    phone, pseudonym = await patient_with_content(bot, emulator, catalog)
    start = bot.clock.now
    bot.clock.now = start + timedelta(days=351, hours=1)
    await bot.tick()
    assert any("gäller till och med 25 november 2027" in m.text for m in phone.messages)
    bot.clock.now = start + timedelta(days=365, minutes=1)
    await bot.tick()
    assert any("Ditt samtycke har gått ut" in m.text for m in phone.messages)
    anna = StaffMember(emulator, ANNA)
    before = len(anna.topic(topic_of(emulator, pseudonym)))
    await phone.send("Hej, är det någon där?")
    assert len(anna.topic(topic_of(emulator, pseudonym))) == before, "nothing is shared"
    await phone.send("/consent")
    await phone.do("consent", "yes")
    await phone.send("Nu samtycker jag igen")
    assert any(
        "Nu samtycker jag igen" in m.text for m in anna.topic(topic_of(emulator, pseudonym))
    )
