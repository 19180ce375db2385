"""Restarts, bad input and strangers: every one gets a clear answer and nothing is lost."""

from __future__ import annotations

from bot.content import Catalog
from tests.emulator import Emulator
from tests.harness import CLINIC_PHONE, STAFF_CHAT, BotUnderTest, FakeClock, Phone
from tests.journeys import join, open_form


async def test_restart_in_the_middle_of_a_form_resumes_at_the_same_question(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 8001)
    await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    await phone.do("ans", "4")
    await phone.do("ans", "3")
    assert "fråga 3 av 5" in phone.screen.text

    await bot.crash()
    await bot.start()

    # The button on the screen from before the restart still answers question 3.
    await phone.do("ans", "2")
    assert "fråga 4 av 5" in phone.screen.text
    await phone.do("ans", "1")
    await phone.do("ans", "0")
    review = phone.screen.text
    assert "kontrollera dina svar" in review
    for label in (
        "Större delen av tiden",
        "Mer än halva tiden",
        "Mindre än halva tiden",
        "Då och då",
        "Inte alls",
    ):
        assert label in review
    await phone.do("send")
    assert "Resultat:</b> 40" in phone.last.text  # (4+3+2+1+0) x 4


async def test_updates_sent_while_the_bot_was_down_are_processed(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 8002)
    await join(bot, phone)
    await bot.crash()
    update_id = emulator.user_message(
        phone.user_id,
        {"text": "/help", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]},
    )
    await bot.start()
    await emulator.settle(update_id)
    assert any("Hjälp" in m.text for m in phone.messages[-2:])


async def test_a_duplicate_update_is_processed_once(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8003)
    await join(bot, phone)
    await phone.send("/menu")
    before = len(phone.messages)
    update_id = emulator.push(_help_update(phone.user_id))
    emulator.updates.append(dict(emulator.updates[-1]))  # Telegram hands the same update twice
    await emulator.settle(update_id)
    helps = [m for m in phone.messages[before:] if "Hjälp" in m.text]
    assert len(helps) == 1


def _help_update(user_id: int) -> dict[str, object]:
    return {
        "message": {
            "message_id": 99999,
            "date": 0,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "T"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        }
    }


async def test_text_where_a_button_is_expected(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8010)
    await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    await phone.do("ans", "5")
    await phone.send("ganska bra")
    assert "Svara med någon av knapparna" in phone.last.text
    assert "fråga 2 av 5" in phone.last.text


async def test_number_out_of_range_and_not_a_number(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8011)
    await open_form(bot, phone, 2, "work_ability", "wai")
    for _ in range(4):  # wai1, work type, physical and mental demands
        await phone.do("ans", "both" if phone.has_op("ans", "both") else "3")
    assert "fråga 5 av 11" in phone.screen.text
    await phone.send("tre")
    assert "Skriv ett heltal mellan 0 och 50" in phone.last.text
    await phone.send("1")
    await phone.do("ans", "4")
    await phone.send("400")
    assert "mellan 0 och 365" in phone.last.text
    assert "fråga 7 av 11" in phone.last.text
    await phone.send("12")
    assert "fråga 8 av 11" in phone.last.text


async def test_too_long_text_and_a_bad_date(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8012)
    await open_form(bot, phone, 2, "rehabilitation_plan", "rehab_plan")
    await phone.send("x" * 600)
    assert "600 tecken" in phone.last.text and "högst 500" in phone.last.text
    await phone.send("Tillbaka på heltid inom 12 veckor")
    await phone.send("snart")
    assert "kunde inte läsa det som ett datum" in phone.last.text
    await phone.send("2026-01-01")
    assert "redan passerat" in phone.last.text
    await phone.send("15/3")
    assert "fråga 3 av 4" in phone.last.text


async def test_stickers_photos_voice_and_files(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8013)
    await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    await phone.do("ans", "5")
    contents = [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"document": {"file_id": "d", "file_unique_id": "d"}},
    ]
    for content in contents:
        await phone.send_content(content)
        # Media cannot answer a form: it goes to the coordinator, and the form waits.
        assert any("Skickat till din rehabkoordinator" in m.text for m in phone.messages[-2:])
        assert "fråga 2 av 5" in phone.screen.text  # still at the same question
    copied = [m for m in emulator.chats[STAFF_CHAT] if m.kind != "text"]
    assert [m.kind for m in copied] == ["sticker", "photo", "voice", "document"]


async def test_forged_stale_and_old_buttons(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8014)
    await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    stale = phone.screen.buttons()[0]["callback_data"]  # drawn for question 1
    await phone.do("ans", "5")
    toast = await phone.tap_data(stale, phone.screen)
    assert "redan passerat" in toast
    assert "fråga 2 av 5" in phone.screen.text
    for forged in ("p:9999:ans:5", "p:x:nonsense", "garbage", "p:1:mod:999"):
        toast = await phone.tap_data(forged, phone.screen)
        assert "redan passerat" in toast
    assert "fråga 2 av 5" in phone.screen.text


async def test_a_page_removed_by_a_content_update(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8015)
    pseudonym = await join(bot, phone)
    await bot.activate(pseudonym, 1)
    await phone.send("/menu")
    seq = phone.screen.buttons()[0]["callback_data"].split(":")[1]
    await phone.tap_data(f"p:{seq}:page:1.a_page_that_was_removed", phone.screen)
    assert "Välkommen" in phone.last.text and "Sida 1 av 11" in phone.last.text


async def test_unknown_command(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 8016)
    await join(bot, phone)
    await phone.send("/fika")
    assert any("känner jag inte till" in m.text for m in phone.messages[-2:])


async def test_strangers_and_bad_invites(
    bot: BotUnderTest, emulator: Emulator, clock: FakeClock
) -> None:
    stranger = Phone(emulator, 8020)
    await stranger.send("hej")
    assert "rehabkoordinator har bjudit in" in stranger.last.text
    await stranger.send("/start not-a-real-code")
    assert "gäller inte" in stranger.last.text

    _pseudonym, code = await bot.invite(days=14)
    clock.advance(days=15)
    await stranger.send(f"/start {code}")
    assert "har gått ut" in stranger.last.text

    english = Phone(emulator, 8021, language="en")
    await english.send("hello")
    assert "invited" in english.last.text


async def test_an_invite_works_once(bot: BotUnderTest, emulator: Emulator) -> None:
    _pseudonym, code = await bot.invite()
    first, second = Phone(emulator, 8030), Phone(emulator, 8031)
    await first.send(f"/start {code}")
    await second.send(f"/start {code}")
    assert "gäller inte" in second.last.text


async def test_answers_survive_leaving_a_form(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    phone = Phone(emulator, 8040)
    await open_form(bot, phone, 1, "planning_change", "decisional_balance")
    await phone.send("Mer ork och gemenskap")
    await phone.do("exit")
    assert "sparade" in phone.last.text
    await phone.do("form", "1.decisional_balance")
    assert "fråga 2 av 4" in phone.screen.text
    await phone.do("prev")
    assert "Mer ork och gemenskap" in phone.screen.text


async def test_a_long_scale_keeps_its_numbers_apart_from_navigation(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 8050)
    await open_form(bot, phone, 2, "motivation", "motivation")
    await phone.do("ans", "7")  # now on the second 0-10 scale, which has a Back button
    rows = [[b["text"] for b in row] for row in phone.screen.reply_markup["inline_keyboard"]]
    assert rows[:2] == [[str(n) for n in range(6)], [str(n) for n in range(6, 11)]]
    assert all(not label.isdigit() for label in rows[2])


async def test_free_text_and_help_say_where_to_turn_when_it_is_urgent(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 8051)
    await join(bot, phone)
    urgent = f"ring Vårdcentralen Kalmar på {CLINIC_PHONE}. Vid akut fara, ring alltid 112"
    # Free text outside a form goes to the coordinator; on a Wednesday morning an answer is
    # due within two working days.
    await phone.send("Jag mår inte bra i dag")
    assert "Skickat till din rehabkoordinator" in phone.last.text
    assert "senast 26 november 2026" in phone.last.text
    await phone.do("write")
    assert "Skriv till din rehabkoordinator" in phone.screen.text
    assert urgent in phone.screen.text
    await phone.send("/help")
    assert urgent in phone.messages[-2].text and "Tekniska problem" in phone.messages[-2].text
