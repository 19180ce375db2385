"""The coordinator's method through the staff chat: the invite's first module, and contact
notes whose hours reach the card, the journal and the anonymous case log."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from bot.content import Catalog
from tests.emulator import Emulator
from tests.harness import ANNA, STAFF_CHAT, BotUnderTest, Phone, StaffMember, pinned_card, topic_of
from tests.journeys import fill_current_form, join, open_form
from tests.test_staff import join_by_staff_invite


async def test_the_module_chosen_at_the_invite_is_open_when_the_patient_joins(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9301)
    await join_by_staff_invite(anna, phone, module="2 · Rehabilitering")
    await phone.send("/menu")
    assert phone.has_op("mod", "2"), "the patient can begin at once"
    assert not phone.has_op("mod", "1")
    await phone.do("mod", "2")
    assert "Modul 2" in phone.last.text and "Sida 1 av" in phone.last.text
    patient = await bot.patient_by_user(9301)
    assert (
        emulator.groups[STAFF_CHAT].topics[topic_of(emulator, patient.pseudonym)].endswith("· M2")
    )


async def test_two_contact_notes_add_up_on_the_card_in_the_journal_and_in_the_case_log(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9302)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    assert "Dokumenterade kontakter: inga än" in pinned_card(emulator)
    await anna.say("/consent arbetsgivare fk", thread)  # the signed form, recorded

    await anna.say(
        "/note coachande 45 min med chef Pratade om arbetstid. Nästa: ring på fredag", thread
    )
    assert "Antecknat: coachande samtal, 45 min" in anna.last.text
    await anna.say("/done samordning 1h30 med fk, fhv Flerpartssamtal om anpassning", thread)
    reply = anna.last.text
    assert "Antecknat: samordnande stöd, 1,5 tim" in reply
    assert "Dokumenterade kontakter: 2 · coachande 45 min · samordnande 1,5 tim" in reply
    card = pinned_card(emulator)
    assert "Dokumenterade kontakter: 2 · coachande 45 min · samordnande 1,5 tim" in card
    assert not any("Flerpartssamtal" in m.text for m in phone.messages), "notes stay with staff"

    await anna.say("/journal", thread)
    journal = anna.last.text
    assert "Coachande samtal, 45 min, närvarande: patienten, arbetsgivare." in journal
    assert "Nästa steg: ring på fredag" in journal
    assert "Samordnande stöd, 1,5 tim, närvarande: patienten, Försäkringskassan" in journal

    # A note the bot cannot read is explained, and what was written is given back.
    await anna.say("/note pratade länge med chefen", thread)
    assert "Börja med vilken sorts kontakt det var" in anna.last.text
    assert "pratade länge med chefen" in anna.last.text
    await anna.say("/note coachande länge", thread)
    assert "hur lång tid den tog" in anna.last.text
    assert "Dokumenterade kontakter: 2" in pinned_card(emulator), "nothing half-stored"

    # The end of the program keeps the hours and the contacts, and nothing personal.
    await anna.say("/end", thread)
    await anna.press(anna.last, f"Avsluta programmet för {pseudonym}")
    with sqlite3.connect(bot.settings.database_url.split("///", 1)[1]) as connection:
        row = connection.execute(
            "SELECT coaching_minutes, coordination_minutes, contacts_established FROM caserecord"
        ).fetchone()
        notes = connection.execute("SELECT count(*) FROM contactnote").fetchone()
    assert row == (45, 90, "employer,fk,occupational")
    assert notes == (0,)


async def test_a_contact_note_is_audited(bot: BotUnderTest, emulator: Emulator) -> None:
    anna = StaffMember(emulator, ANNA)
    pseudonym = await join(bot, Phone(emulator, 9303))
    thread = topic_of(emulator, pseudonym)
    await anna.say("/note rutin 60", thread)
    await anna.say("/audit")
    assert "dokumenterade en kontakt" in anna.last.text and pseudonym in anna.last.text


async def test_the_coordinator_hears_of_a_sent_form_with_its_score_and_of_a_module_read(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9304)
    pseudonym = await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    thread = topic_of(emulator, pseudonym)
    await fill_current_form(phone, catalog.forms["wellbeing"], "sv")
    title = catalog.forms["wellbeing"].title("sv")
    heard = [m.text for m in anna.from_bot(thread) if m.text.startswith("📨")]
    assert heard == [f"📨 Skickat: {title}, 100 (Gott välmående). Se /forms."], heard

    await phone.send("/menu")
    assert not any(m.text.startswith("📖") for m in anna.from_bot(thread))
    last = catalog.module(1).pages[-1].id
    for _visit in range(2):  # the last page, reached twice from the contents
        await phone.do("mod", "1")
        await phone.do("toc", "1")
        await phone.do("page", f"1.{last}")
        await phone.send("/menu")
    read = [m.text for m in anna.from_bot(thread) if m.text.startswith("📖")]
    assert read == ["📖 Har läst modul 1, Introduktion, till sista sidan."], "told once"


async def test_the_coordinator_hears_when_a_nudge_did_not_bring_the_patient_back(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    away, back = Phone(emulator, 9305), Phone(emulator, 9306)
    stayed_away = await join(bot, away)
    came_back = await join(bot, back)

    async def at(*moment: int) -> None:
        bot.clock.now = datetime(*moment, tzinfo=UTC)
        await bot.tick()

    def idle_lines(code: str) -> list[str]:
        return [m.text for m in anna.from_bot(topic_of(emulator, code)) if m.text.startswith("💤")]

    await at(2026, 11, 29, 9, 0)  # four days idle, 10:00 local: both nudged
    assert "modul 1 väntar på dig" in away.last.text and "modul 1 väntar på dig" in back.last.text
    await back.send("/menu")
    await back.do("mod", "1")
    await at(2026, 12, 3, 8, 59)
    assert idle_lines(stayed_away) == []
    await at(2026, 12, 3, 9, 0)
    assert idle_lines(stayed_away) == [
        "💤 Har inte öppnat programmet på 8 dagar och fick en påminnelse den 29 november. "
        "Ett samtal eller ett meddelande kan hjälpa."
    ]
    assert idle_lines(came_back) == [], "the nudge brought them back"


async def test_the_morning_digest_lists_forms_waiting_for_feedback(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9307)
    pseudonym = await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    await fill_current_form(phone, catalog.forms["wellbeing"], "sv")
    bot.clock.now = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # Thursday, 07:30 local
    await bot.tick()
    digest = [m.text for m in anna.topic(None) if "Dagens kontakter" in m.text]
    assert len(digest) == 1
    waiting = f"Formulär som väntar på återkoppling</b>\n• {pseudonym} – 1 oläst formulär"
    assert waiting in digest[0]
    await anna.say("/forms", topic_of(emulator, pseudonym))  # looked at: waits no more
    bot.clock.now = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)
    await bot.tick()
    digest = [m.text for m in anna.topic(None) if "Dagens kontakter" in m.text]
    assert len(digest) == 2 and "väntar på återkoppling" not in digest[1]
