"""A patient goes through module 1 from the invite to the last page, through real HTTP."""

from __future__ import annotations

import sqlite3

import pytest

from bot.content import Catalog
from tests.emulator import Emulator
from tests.harness import CLINIC_PHONE, BotUnderTest, Phone
from tests.journeys import TEXT_ANSWERS, fill_current_form, join, open_form, read_module

EXPECTED = {
    "sv": {
        "consent": "Samtycke till att delta",
        "home": "dina moduler",
        "page": "Sida 11 av 11",
        "saved": "Tack! Dina svar är sparade",
        "answers": "Mina svar",
    },
    "en": {
        "consent": "Consent to take part",
        "home": "your modules",
        "page": "Page 11 of 11",
        "saved": "Thank you! Your answers are saved",
        "answers": "My answers",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_module_one_from_invite_to_last_page(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog, language: str
) -> None:
    phone = Phone(emulator, 7001, language)
    expected = EXPECTED[language]
    _pseudonym, code = await bot.invite(language)

    await phone.send(f"/start {code}")
    await phone.do("lang", language)
    assert expected["consent"] in phone.last.text
    await phone.do("consent", "yes")
    assert CLINIC_PHONE in phone.last.text and "112" in phone.last.text
    await phone.do("ok")
    assert expected["home"] in phone.last.text
    assert phone.has_op("mod", "1"), "module 1 opened with the invite: the patient can begin"
    assert not phone.has_op("mod", "2")

    sent = await read_module(phone, catalog, 1, language)

    assert expected["page"] in phone.screen.text
    assert sent == [
        "thoughts_on_sick_leave",
        "consent_sharing",
        "wellbeing",
        "decisional_balance",
        "importance_of_work",
    ]
    await phone.do("home")
    assert "11" in phone.last.text
    await phone.do("mine")
    assert expected["answers"] in phone.last.text
    assert len(phone.screen.buttons()) == len(sent) + 2  # the chart, every form, and Home

    # The wellbeing answers were all "all of the time": a score of 100 is shown with them.
    wellbeing = catalog.forms["wellbeing"].title(language)
    await phone.tap(wellbeing)
    assert "100" in phone.last.text

    # Health data is encrypted at rest: the free text is nowhere in the database file.
    database = bot.settings.database_url.split("///", 1)[1]
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
    assert TEXT_ANSWERS[language] not in dump


async def test_declining_says_it_is_logged_without_a_name_and_takes_a_reason(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 7002)
    pseudonym, code = await bot.invite()
    await phone.send(f"/start {code}")
    await phone.do("lang", "sv")
    await phone.do("consent", "no")
    assert "Tack för att du tog dig tid" in phone.last.text
    assert "ärendelogg" in phone.last.text and "utan ditt namn" in phone.last.text
    assert phone.has_op("why", "no_energy") and phone.has_op("why", "unsaid")
    await phone.do("why", "no_energy")
    assert not phone.last.buttons()
    await phone.send("hallå?")
    assert "valt att inte delta" in phone.last.text
    patient = await bot.patient(pseudonym)
    assert patient.status == "declined"
    row = await bot.case_row(pseudonym)
    assert (row.status, row.decline_reason, row.informed_storage) == (
        "declined",
        "no_energy",
        True,
    )


async def test_pause_checkpoint_saves_the_place(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    phone = Phone(emulator, 7003)
    pseudonym = await join(bot, phone)
    await bot.activate(pseudonym, 1)
    await phone.send("/menu")
    await phone.do("mod", "1")
    await phone.do("toc", "1")
    await phone.do("page", "1.pause_1")
    await phone.do("pause")
    assert "paus" in phone.last.text
    await phone.send("/menu")
    assert "sida 7 av 11" in phone.last.text
    await phone.do("mod", "1")
    assert "Dags för paus?" in phone.last.text


async def test_modules_two_and_three_can_be_open_together(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 7004)
    pseudonym = await join(bot, phone, first_module=2)
    await bot.activate(pseudonym, 3)
    await phone.send("/menu")
    assert phone.has_op("mod", "2") and phone.has_op("mod", "3")
    assert not phone.has_op("mod", "4")
    assert "🔒 4." in phone.last.text


async def test_the_patient_sees_their_wellbeing_trend_as_a_chart_from_my_answers(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    phone = Phone(emulator, 9801)
    await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    await phone.send("/menu")
    await phone.do("mine")
    assert not phone.has_op("chart"), "no chart before a wellbeing form is sent"
    await phone.do("home")
    await phone.do("mod", "1")
    await phone.do("toc", "1")
    await phone.do("page", "1.measuring_wellbeing")
    await phone.do("form", "1.wellbeing")
    await fill_current_form(phone, catalog.forms["wellbeing"], "sv")
    await phone.send("/menu")
    await phone.do("mine")
    screen = phone.screen.message_id
    await phone.do("chart")
    chart = phone.last
    assert chart.kind == "photo" and chart.text.startswith(
        "📈 Ditt välmående (WHO-5) över tid: 100"
    )
    uploads = [v for v in emulator.photos[-1].values() if isinstance(v, dict)]
    assert uploads and uploads[0]["size"] > 5000
    assert phone.screen.message_id == screen, "the screen stays where it was"
