"""The unit's records in the staff chat, through the emulator: /report sends the workbook of
the asking coordinator's own unit, and says so in the audit log."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from openpyxl import load_workbook

from bot.services import patients, staff
from tests.emulator import Emulator
from tests.harness import ANNA, STAFF_CHAT, BotUnderTest, Phone, StaffMember
from tests.journeys import join

OTHER_CHAT = -1002000000002
BO = {"id": 601, "is_bot": False, "first_name": "Bo", "language_code": "sv"}


async def a_patient_in_unit_b(bot: BotUnderTest, emulator: Emulator) -> str:
    emulator.add_group(OTHER_CHAT, "Rehab Nybro", [BO])
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        unit_b = await staff.add_unit(session, name="Nybro", staff_chat_id=OTHER_CHAT)
        made = await patients.create_invite(
            session, patients.InviteDetails(unit_id=unit_b.key), now=bot.clock(),
            ttl=timedelta(days=14),
        )  # fmt: skip
        await session.commit()
    await bot.tick()  # the scheduler reads the new unit's administrators
    return made.patient.pseudonym


def uploaded(emulator: Emulator) -> dict[str, Any]:
    return next(v for v in emulator.photos[-1].values() if isinstance(v, dict))


def codes(upload: dict[str, Any]) -> list[str]:
    book = load_workbook(io.BytesIO(upload["data"]))
    header, *cases = book["Godkänt stöd"].iter_rows(values_only=True)
    offered = [
        row[1] for row in book["Översikt för månadsutvärdering"].iter_rows(values_only=True)
    ]
    assert offered[2] is not None  # "Erbjudits stöd", since the start
    return [str(row[header.index("Kod")]) for row in cases]


async def test_report_sends_each_coordinator_their_own_units_case_log(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    ours = await join(bot, Phone(emulator, 9301))
    theirs = await a_patient_in_unit_b(bot, emulator)
    anna = StaffMember(emulator, ANNA)
    await anna.say("/report 2026-11")
    sent = emulator.chats[STAFF_CHAT][-1]
    assert sent.kind == "document" and "Ärendeloggen för" in sent.text
    assert "Antal under 5 visas som" in sent.text
    upload = uploaded(emulator)
    assert upload["filename"] == "arendelogg-2026-11.xlsx"
    assert codes(upload) == [ours], "the patient who joined; not unit B's invite"

    bo = StaffMember(emulator, BO, OTHER_CHAT)
    await bo.say("/report")
    assert emulator.chats[OTHER_CHAT][-1].kind == "document"
    book = load_workbook(io.BytesIO(uploaded(emulator)["data"]))
    assert [row[1] for row in book["Godkänt stöd"].iter_rows(values_only=True)][1:] == []
    assert theirs not in codes(uploaded(emulator)) and ours not in codes(uploaded(emulator))
    overview = list(book["Översikt för månadsutvärdering"].iter_rows(values_only=True))
    assert overview[2][:2] == ("Erbjudits stöd", "<5"), "B's one invite, offered, hidden"

    await anna.say("/audit")
    assert "tog ut ärendeloggen" in anna.last.text
    sent = len(emulator.photos)
    await anna.say("/report november")
    assert "Skriv månaden som ÅÅÅÅ-MM" in anna.last.text and len(emulator.photos) == sent
    await anna.say("/report 2026-11-02 2026-11")
    overview = load_workbook(io.BytesIO(uploaded(emulator)["data"]))[
        "Översikt för månadsutvärdering"
    ]
    assert next(overview.iter_rows(values_only=True))[4] == "Sedan mötet 2 nov. 2026"


async def test_stats_shows_the_units_own_figures_by_sex_and_three_charts(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    await join(bot, Phone(emulator, 9302))
    await a_patient_in_unit_b(bot, emulator)
    anna = StaffMember(emulator, ANNA)
    await anna.say("/stats")
    album = [m for m in emulator.chats[STAFF_CHAT] if m.media_group_id]
    figures = next(m for m in emulator.chats[STAFF_CHAT] if "Utvärderingsmått" in m.text)
    assert "• Ärenden (tackat ja): Alla 1 · Kvinna 0 · Man 0" in figures.text
    assert "• Modul 1 avslutad: Alla 0/1 (0 %)" in figures.text
    assert [m.kind for m in album] == ["photo", "photo", "photo"]
    uploads = [p["media"] for p in emulator.photos[-3:]]
    assert all(u["data"].startswith(b"\x89PNG") for u in uploads)

    bo = StaffMember(emulator, BO, OTHER_CHAT)
    await bo.say("/stats")
    theirs = next(m for m in emulator.chats[OTHER_CHAT] if "Utvärderingsmått" in m.text)
    assert "Nybro" in theirs.text and "• Ärenden (tackat ja): Alla 0" in theirs.text
