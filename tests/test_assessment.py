"""The risk and needs assessment of the routine call, written as a coordinator writes it,
and KEDS sent to the patient during it: answered like any form, with its score on the card
and in the topic."""

from __future__ import annotations

import sqlite3

import pytest

from bot.content import Catalog
from bot.domain.assessment import Area, AssessmentError, AssessmentProblem, Need, parse
from tests.emulator import Emulator
from tests.harness import ANNA, BotUnderTest, Phone, StaffMember, pinned_card, topic_of
from tests.journeys import fill_current_form, join

SWEDISH = """arbetsgivare 2 Inga anpassningar än, chefen svår att nå
hälsa 1 Väntar på psykolog
socialt 0
kunskap visst Osäker på reglerna
samordning stort Ingen kontakt med FHV
Sammanfattning: Vill börja med arbetsgivaren"""


def test_an_assessment_reads_in_either_language() -> None:
    entry = parse(SWEDISH)
    assert [(a.area, a.need) for a in entry.areas] == [
        (Area.EMPLOYER, Need.GREAT),
        (Area.HEALTH, Need.SOME),
        (Area.SOCIAL, Need.NONE),
        (Area.KNOWLEDGE, Need.SOME),
        (Area.COORDINATION, Need.GREAT),
    ]
    assert entry.areas[0].note == "Inga anpassningar än, chefen svår att nå"
    assert entry.summary == "Vill börja med arbetsgivaren"
    english = parse("coordination 0\nwork none\nhealth great Pain\nsocial 1\nmotivation 0")
    assert [a.area for a in english.in_need] == [Area.HEALTH, Area.SOCIAL]


@pytest.mark.parametrize(
    ("text", "problem", "detail"),
    [
        ("", AssessmentProblem.EMPTY, ""),
        ("ekonomi 2 Skulder", AssessmentProblem.UNKNOWN_AREA, "ekonomi 2 Skulder"),
        ("hälsa Väntar på vård", AssessmentProblem.NO_LEVEL, "hälsa Väntar på vård"),
        ("hälsa 1\nvård 2", AssessmentProblem.TWICE, "health"),
        ("hälsa 1\nsocialt 0", AssessmentProblem.MISSING, "employer,knowledge,coordination"),
    ],
)
def test_what_cannot_be_read_is_named(text: str, problem: AssessmentProblem, detail: str) -> None:
    with pytest.raises(AssessmentError) as raised:
        parse(text)
    assert (raised.value.problem, raised.value.detail) == (problem, detail)


async def test_an_assessment_with_keds_sent_and_answered(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9401)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    assert "Behovsbedömning: inte gjord än (/assess)" in pinned_card(emulator)

    await anna.say("/assess", thread)
    how_to = anna.last
    assert "arbetsgivare 0" in how_to.text and "samordning 0" in how_to.text
    assert [b["text"] for b in how_to.buttons()] == [
        "📋 Skicka: Utmattning (KEDS)",
        "📋 Skicka: Smärta och arbete (Örebroformuläret, kort)",
    ]
    await anna.say("/assess hälsa 1 Väntar på psykolog", thread)
    assert "Varje område behöver en nivå. Saknas:" in anna.last.text
    assert "Väntar på psykolog" in anna.last.text, "what was written is given back"

    await anna.say("/assess\n" + SWEDISH, thread)
    assert anna.last.text == (
        "📋 Bedömningen är sparad. Behov: arbetsgivare och arbetsmiljö (stort behov); "
        "samordning av aktörer (stort behov); hälsa, rehabilitering och vård (visst behov); "
        "kunskap och motivation (visst behov)."
    )
    card = pinned_card(emulator)
    assert "🔴 arbetsgivare och arbetsmiljö, 🔴 samordning av aktörer, 🟡 hälsa" in card

    await anna.press(how_to, "Skicka: Utmattning (KEDS)")
    assert "Utmattning (KEDS) är skickat till patienten" in anna.last.text
    assert "Din rehabkoordinator ber dig fylla i ett formulär: Utmattning (KEDS)" in (
        phone.last.text
    )
    assert "Skickat" in pinned_card(emulator) and "inte besvarat än: Utmattning (KEDS)" in (
        pinned_card(emulator)
    )
    await anna.say("/send keds", thread)
    assert "väntar redan på patienten" in anna.last.text, "asked once"

    await phone.send("/menu")
    assert "Din rehabkoordinator ber dig fylla i: Utmattning (KEDS)" in phone.last.text
    await phone.do("form", "0.keds")
    await fill_current_form(phone, catalog.forms["keds"], "sv")
    assert "Tack!" in phone.last.text
    heard = [m.text for m in anna.from_bot(thread) if m.text.startswith("📨")]
    assert heard and heard[-1].startswith("📨 Skickat: Utmattning (KEDS), 54"), heard
    card = pinned_card(emulator)
    assert "Utmattning (KEDS): 54" in card and "inte besvarat än: Utmattning" not in card
    await phone.send("/menu")
    assert not phone.has_op("form", "0.keds"), "answered: no longer asked for"

    await anna.say("/journal", thread)
    journal = anna.last.text
    assert "Risk- och behovsbedömning" in journal
    assert "Arbetsgivare och arbetsmiljö: stort behov – Inga anpassningar än" in journal
    assert "Sammanfattning: Vill börja med arbetsgivaren" in journal
    await anna.say("/audit")
    assert "gjorde en risk- och behovsbedömning" in anna.last.text
    assert "skickade ett formulär" in anna.last.text

    await anna.say("/end", thread)
    await anna.press(anna.last, f"Avsluta programmet för {pseudonym}")
    with sqlite3.connect(bot.settings.database_url.split("///", 1)[1]) as connection:
        row = connection.execute("SELECT assessments, areas_in_need FROM caserecord").fetchone()
        left = [
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("assessment", "formrequest")
        ]
    assert row == (1, "coordination,employer,health,knowledge")
    assert left == [0, 0]
