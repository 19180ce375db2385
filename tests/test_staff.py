"""The coordinators' side, through the staff supergroup of the emulator: invites, topics,
replies both ways, module changes, urgent cases, and who may do what."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.db.models import ContactWay
from bot.services import patients, staff
from tests.emulator import Emulator
from tests.harness import (
    ANNA,
    CLINIC_PHONE,
    FALLBACK_CHAT,
    STAFF_CHAT,
    BotUnderTest,
    Phone,
    StaffMember,
    topic_of,
)
from tests.journeys import join, open_form

BERTIL = {"id": 502, "is_bot": False, "first_name": "Bertil", "language_code": "sv"}


async def invite_from_staff_chat(anna: StaffMember, module: str = "1 · Introduktion") -> str:
    await anna.say("/invite")
    await anna.press(anna.last, "Skapa en kod")
    await anna.press(anna.last, "Svenska")
    await anna.press(anna.last, "Kvinna")
    await anna.press(anna.last, "40–49")
    await anna.say("2026-11-02")
    await anna.press(anna.last, "Psykisk ohälsa")
    await anna.press(anna.last, "Sjukskrivningen kan bli lång")
    await anna.press(anna.last, "Återkommande sjukskrivningsperioder")
    await anna.press(anna.last, "Sjukskrivningen kan bli lång")  # ticked, and unticked
    await anna.press(anna.last, "Klar")
    await anna.press(anna.last, "Telefon")
    await anna.say("2026-12-02 10:00")
    await anna.press(anna.last, module)
    done = anna.last.text
    assert "är inbjuden" in done and "2 december 2026" in done
    assert f"Modul {module[0]} öppnas så fort hen ansluter" in done
    match = re.search(r"https://t\.me/SjkBot\?start=(\S+)", done)
    assert match, done
    return match[1]


async def join_by_staff_invite(
    anna: StaffMember, phone: Phone, module: str = "1 · Introduktion"
) -> None:
    code = await invite_from_staff_chat(anna, module)
    await phone.send(f"/start {code}")
    await phone.do("lang", "sv")
    await phone.do("consent", "yes")
    await phone.do("ok")


async def test_a_patient_invited_from_the_staff_chat_writes_and_gets_a_reply(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9101)
    await join_by_staff_invite(anna, phone)

    patient = await bot.patient_by_user(9101)
    assert patient.sex == "female" and patient.target_group == "mental"
    assert patient.criteria == "recurrent" and patient.age_band == "40-49"
    assert patient.contact_way == ContactWay.PHONE
    thread = topic_of(emulator, patient.pseudonym)
    group = emulator.groups[STAFF_CHAT]
    card = emulator.find(STAFF_CHAT, group.pinned[-1])
    assert card.thread_id == thread and patient.pseudonym in card.text
    assert "Nästa kontakt" in card.text and "deltar" in card.text

    await phone.send("Hej, jag undrar över planen")
    assert "Skickat till din rehabkoordinator" in phone.last.text
    copy = anna.from_bot(thread)[-1]
    assert copy.text == "Hej, jag undrar över planen"

    reply = await anna.say("Hej! Vi tar det när vi ses på onsdag.", thread)
    assert "Din rehabkoordinator" in phone.last.text
    assert "Vi tar det när vi ses på onsdag." in phone.last.text
    assert reply.reactions == ["👌"], "the topic shows the reply was delivered"

    before = len(phone.messages)
    await anna.say("// Verkar må bättre, följ upp sömnen", thread)
    assert len(phone.messages) == before, "a note stays in the staff chat"

    # An edit on either side shows on the other copy.
    sent = [m for m in emulator.chats[9101] if not m.from_bot][-1]
    await emulator.settle(emulator.edit(sent, "Hej, jag undrar över planen och sömnen"))
    assert "sömnen" in emulator.find(STAFF_CHAT, copy.message_id).text
    await emulator.settle(emulator.edit(reply, "Hej! Vi tar det på torsdag i stället."))
    assert "torsdag" in phone.last.text


async def test_the_coordinator_finishes_module_one_and_opens_module_two(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9102)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)

    # Module 1 opened as the patient joined (the invite's choice).
    assert emulator.groups[STAFF_CHAT].topics[thread] == f"{pseudonym} · M1"
    await anna.say("/activate 1", thread)
    assert "Modul 1 är redan aktiv" in anna.last.text

    await anna.say("/finish 1", thread)
    await anna.say("/activate 2", thread)
    assert "Modul 2, ”Rehabilitering”, är nu öppen" in phone.last.text
    assert emulator.groups[STAFF_CHAT].topics[thread] == f"{pseudonym} · M2"
    await phone.send("/menu")
    assert phone.has_op("mod", "2")
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "Aktiva moduler: 2 (sida 1 av" in card.text and "Avslutade: 1" in card.text

    # The to-do list of PROGRAM.md, ticked with a button.
    await anna.say("/todo", thread)
    checklist = anna.last
    assert "Att göra efter modul 2" in checklist.text
    await anna.press(checklist, "Återkoppla till patienten")
    assert "✅ Återkoppla till patienten" in emulator.find(STAFF_CHAT, checklist.message_id).text

    await anna.say("/contact 2026-12-03 13:30 message", thread)
    assert "Din nästa kontakt: torsdag 3 december 2026, 13:30" in phone.last.text
    await anna.say("/journal", thread)
    assert anna.last.text.startswith("<pre>")  # a block Telegram lets staff copy in one tap
    assert f"Patientkod: {pseudonym}" in anna.last.text


async def test_an_acute_message_gets_its_answer_and_an_alert_that_escalates(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9103)
    pseudonym = await join(bot, phone)
    await phone.send("jag orkar inte längre, jag vill inte leva")
    answer = [m.text for m in phone.messages if "112" in m.text][-1]
    for needed in ("112", CLINIC_PHONE, "1177", "90101", "020-50 50 50", "har larmats"):
        assert needed in answer

    alert = next(m for m in reversed(anna.chat) if "Akut risk" in m.text)
    assert alert.thread_id is None, "alerts go to the general topic, where everyone sees them"
    assert 'href="tg://user?id=501"' in alert.text and pseudonym in alert.text
    assert "jag vill inte leva" in alert.text
    assert [b["text"] for b in alert.buttons()] == ["✅ Kvittera"]

    # Nobody acknowledges: after 30 minutes it is repeated and escalated, once per window.
    bot.clock.advance(minutes=31)
    await bot.tick()
    reminders = [m for m in anna.chat if "påminnelse 1" in m.text]
    assert len(reminders) == 1
    assert any("har inte kvitterats" in m.text for m in emulator.chats[FALLBACK_CHAT])
    await bot.tick()
    assert len([m for m in anna.chat if "påminnelse" in m.text]) == 1

    assert "Kvitterat" in await anna.press(reminders[0], "Kvittera")
    assert "Kvitterat av Anna" in emulator.find(STAFF_CHAT, reminders[0].message_id).text
    bot.clock.advance(minutes=31)
    await bot.tick()
    assert len([m for m in anna.chat if "påminnelse" in m.text]) == 1


async def test_out_of_hours_the_patient_is_told_nobody_reads_now(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 9104)
    await join(bot, phone)
    bot.clock.advance(hours=12)  # 22:00 in Stockholm
    await phone.send("I want to kill myself")
    answer = [m.text for m in phone.messages if "112" in m.text][-1]
    assert "Just nu läser ingen meddelanden här" in answer
    await phone.send("/menu")
    await phone.do("urgent")
    assert "112" in phone.screen.text and "90101" in phone.screen.text


async def test_a_low_wellbeing_score_flags_the_patient(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9105)
    pseudonym = await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    for _question in range(5):
        await phone.do("ans", "0")
    await phone.do("send")
    assert CLINIC_PHONE in phone.last.text
    alert = next(m for m in reversed(anna.chat) if "Lågt välmående" in m.text)
    assert pseudonym in alert.text
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "Välmående (WHO-5): 0" in card.text and "lågt välmående" in card.text

    await anna.say("/chart", topic_of(emulator, pseudonym))
    uploads = [v for v in emulator.photos[-1].values() if isinstance(v, dict)]
    assert uploads and uploads[0]["filename"].endswith(".png") and uploads[0]["size"] > 5000


async def test_a_single_low_wellbeing_item_flags_the_coordinator(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    """A total in the normal band, but one item at 1 (INSTRUMENTS.md): the patient is shown
    the clinic, and the coordinator is flagged by the same rule."""
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9115)
    pseudonym = await open_form(bot, phone, 1, "measuring_wellbeing", "wellbeing")
    for value in ("5", "5", "5", "5", "1"):
        await phone.do("ans", value)
    await phone.do("send")
    assert CLINIC_PHONE in phone.last.text
    alert = next(m for m in reversed(anna.chat) if "Lågt välmående" in m.text)
    assert pseudonym in alert.text and "(q5)" in alert.text
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "Välmående (WHO-5): 84" in card.text and "lågt välmående" in card.text


async def test_strangers_and_patients_cannot_use_staff_functions(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    bertil = StaffMember(emulator, BERTIL)  # in the staff chat, but not a coordinator
    phone = Phone(emulator, 9106)
    pseudonym = await join(bot, phone)
    await bot.activate(pseudonym, 1)
    thread = topic_of(emulator, pseudonym)

    await bertil.say("/activate 2", thread)
    assert "Bara enhetens rehabkoordinatorer" in bertil.last.text
    before = len(phone.messages)
    await bertil.say("Hej från Bertil", thread)
    assert "skickades inte" in bertil.last.text and len(phone.messages) == before

    await phone.send("/activate 2")
    assert "Det kommandot känner jag inte till" in phone.messages[-2].text
    await phone.send("/menu")
    assert not phone.has_op("mod", "2")

    await anna.say("/audit")
    log = anna.last.text
    assert "Bertil" in log and "/activate" in log and "nekad" in log


async def test_a_coordinator_of_one_unit_cannot_reach_another_units_patient(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    other_chat = -1002000000002
    bo = {"id": 601, "is_bot": False, "first_name": "Bo", "language_code": "sv"}
    emulator.add_group(other_chat, "Rehab Nybro", [bo])
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        unit_b = await staff.add_unit(session, name="Nybro", staff_chat_id=other_chat)
        made = await patients.create_invite(
            session,
            patients.InviteDetails(unit_id=unit_b.key),
            now=bot.clock(),
            ttl=timedelta(days=14),
        )
        await session.commit()
    await bot.tick()  # the scheduler reads the new unit's administrators
    phone = Phone(emulator, 9107)
    await phone.send(f"/start {made.code}")
    await phone.do("lang", "sv")
    await phone.do("consent", "yes")
    other_topics = emulator.groups[other_chat].topics
    assert any(name.startswith(made.patient.pseudonym) for name in other_topics.values())
    assert not emulator.groups[STAFF_CHAT].topics, "unit A sees nothing of unit B's patient"

    anna_in_a = StaffMember(emulator, ANNA)
    await anna_in_a.say(f"/card {made.patient.pseudonym}")
    assert "Bara enhetens egna patienter" in anna_in_a.last.text
    anna_in_b = StaffMember(emulator, ANNA, other_chat)
    thread_b = next(iter(other_topics))
    before = len(phone.messages)
    await anna_in_b.say("Hej!", thread_b)
    assert "skickades inte" in anna_in_b.last.text and len(phone.messages) == before
    bo_in_b = StaffMember(emulator, bo, other_chat)
    await bo_in_b.say(f"/card {made.patient.pseudonym}")
    assert made.patient.pseudonym in bo_in_b.last.text and "deltar" in bo_in_b.last.text


async def test_a_reply_to_a_patient_who_blocked_the_bot_is_marked_undelivered(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9108)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    emulator.blocked.add(9108)
    reply = await anna.say("Hur går det?", thread)
    marked = anna.last
    assert "Inte levererat: patienten har blockerat boten" in marked.text
    assert marked.reply_to == reply.message_id and not reply.reactions
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "har blockerat boten" in card.text


async def test_one_topic_for_a_burst_and_a_new_one_when_staff_delete_it(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    phone = Phone(emulator, 9109)
    pseudonym = await join(bot, phone)
    assert len([c for c in emulator.calls if c[0] == "createForumTopic"]) == 1
    # Messages that arrive together, before the bot has answered any of them.
    ids = [emulator.user_message(9109, {"text": f"meddelande {n}"}) for n in range(4)]
    for update_id in ids:
        await emulator.settle(update_id)
    assert len([c for c in emulator.calls if c[0] == "createForumTopic"]) == 1
    thread = topic_of(emulator, pseudonym)
    assert len([m for m in emulator.chats[STAFF_CHAT] if m.thread_id == thread]) >= 5

    # Staff delete the topic; the next messages arrive together and open one new topic,
    # and none of them is lost.
    emulator.delete_topic(STAFF_CHAT, thread)
    ids = [emulator.user_message(9109, {"text": f"Är någon där? {n}"}) for n in range(3)]
    for update_id in ids:
        await emulator.settle(update_id)
    assert len([c for c in emulator.calls if c[0] == "createForumTopic"]) == 2
    new_thread = topic_of(emulator, pseudonym)
    assert new_thread != thread
    in_new = [m.text for m in emulator.chats[STAFF_CHAT] if m.thread_id == new_thread]
    assert {f"Är någon där? {n}" for n in range(3)} <= set(in_new)
    assert any(pseudonym in text and "Nästa kontakt" in text for text in in_new), "card again"


async def test_an_album_stays_together(bot: BotUnderTest, emulator: Emulator) -> None:
    phone = Phone(emulator, 9110)
    await join(bot, phone)
    for n in range(3):
        photo = [{"file_id": f"a{n}", "file_unique_id": f"a{n}", "width": 1, "height": 1}]
        update_id = emulator.user_message(9110, {"photo": photo, "media_group_id": "album1"})
    await emulator.settle(update_id)
    await emulator.wait_for(lambda: any(c[0] == "copyMessages" for c in emulator.calls))
    copies = [params for method, params in emulator.calls if method == "copyMessages"]
    assert len(copies) == 1 and len(copies[0]["message_ids"]) == 3
    acks = [m for m in phone.messages if "Skickat till din rehabkoordinator" in m.text]
    assert len(acks) == 1

    # And the other way: a coordinator's album reaches the patient as one, under a signature.
    thread = topic_of(emulator, (await bot.patient_by_user(9110)).pseudonym)
    sent = []
    for n in range(2):
        photo = [{"file_id": f"s{n}", "file_unique_id": f"s{n}", "width": 1, "height": 1}]
        content = {"photo": photo, "media_group_id": "album2"}
        update_id, message = emulator.group_message(STAFF_CHAT, ANNA, content, thread)
        sent.append(message)
    await emulator.settle(update_id)
    await emulator.wait_for(lambda: sent[0].reactions == ["👌"])
    copies = [params for method, params in emulator.calls if method == "copyMessages"]
    assert len(copies) == 2 and int(copies[1]["chat_id"]) == 9110
    assert copies[1]["message_ids"] == [m.message_id for m in sent]
    assert "Din rehabkoordinator" in [m for m in phone.messages if m.text][-1].text


async def test_without_topics_coordinators_answer_by_replying(
    emulator: Emulator, tmp_path, clock
) -> None:
    emulator.add_group(STAFF_CHAT, "Rehab Kalmar", [ANNA], forum=False)
    running = BotUnderTest(emulator, tmp_path, clock)
    await running.start()
    try:
        phone = Phone(emulator, 9111)
        pseudonym = await join(running, phone)
        await phone.send("Kan vi ses i morgon?")
        copy = next(m for m in emulator.chats[STAFF_CHAT] if "Kan vi ses" in m.text)
        assert copy.thread_id is None and f"[{pseudonym}]" in copy.text
        anna = StaffMember(emulator, ANNA)
        await anna.say("Ja, klockan tio.", reply_to=copy)
        assert "Ja, klockan tio." in phone.last.text
    finally:
        await running.crash()


async def test_the_invite_dialog_refuses_what_could_identify_a_patient(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    await anna.say("/invite")
    await anna.say("198501011234")
    assert "personnummer" in anna.last.text
    await anna.say("Anna Andersson")
    assert "2–16 bokstäver" in anna.last.text
    await anna.say("KLM-7")
    assert "Patientens språk" in anna.last.text


async def test_an_away_coordinator_sets_the_expected_answer(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9112)
    await join_by_staff_invite(anna, phone)
    await anna.say("/away 2026-12-07")
    assert "borta till 7 december 2026" in anna.last.text
    await phone.send("Hej!")
    assert "borta till 7 december 2026" in phone.last.text
    assert "senast 8 december 2026" in phone.last.text


async def test_form_answers_are_triaged_too(bot: BotUnderTest, emulator: Emulator) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9113)
    pseudonym = await open_form(bot, phone, 1, "about_sick_leave", "thoughts_on_sick_leave")
    await phone.send("Ibland tänker jag på självmord")
    assert any("112" in m.text and "90101" in m.text for m in phone.messages[-3:])
    assert "fråga 2 av" in phone.screen.text, "the answer is kept and the form goes on"
    assert any("Akut risk" in m.text and pseudonym in m.text for m in anna.chat)


async def test_a_case_is_handed_over(bot: BotUnderTest, emulator: Emulator) -> None:
    carl = {"id": 503, "is_bot": False, "first_name": "Carl", "language_code": "sv"}
    emulator.groups[STAFF_CHAT].admins.append(carl)
    bot.clock.advance(minutes=bot.settings.admins_refresh_minutes)
    await bot.tick()  # the scheduler reads the staff chat's administrators again
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9114)
    await join_by_staff_invite(anna, phone)
    patient = await bot.patient_by_user(9114)
    thread = topic_of(emulator, patient.pseudonym)
    card = emulator.find(STAFF_CHAT, emulator.groups[STAFF_CHAT].pinned[-1])
    assert "Ansvarig: Anna" in card.text
    await anna.say("/handover", thread)
    await anna.press(anna.last, "Carl")
    assert "Ansvarig: Carl" in emulator.find(STAFF_CHAT, card.message_id).text
