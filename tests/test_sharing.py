"""Consent to share as a record of its own: given by the patient from the home screen,
shown on the card and in the journal, withdrawn, and then a contact refused; recorded by
the coordinator from a signed form; kept in the case record as actors only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.content import Catalog
from bot.domain.contact_notes import Party
from bot.domain.sharing import Consent, not_agreed, parse_record, valid_until
from tests.emulator import Emulator
from tests.harness import ANNA, BotUnderTest, Phone, StaffMember, pinned_card, topic_of
from tests.journeys import fill_current_form, join

NOW = datetime(2026, 12, 3, 10, tzinfo=UTC)


def test_a_consent_covers_its_actors_for_at_most_a_year() -> None:
    consent = Consent(frozenset({Party.FK, Party.EMPLOYER}), NOW, valid_until(NOW))
    assert valid_until(NOW, NOW + timedelta(days=900)) == NOW + timedelta(days=365)
    contact = (Party.PATIENT, Party.FK, Party.OCCUPATIONAL, Party.CARE)
    # Occupational health is reached under the employer's consent; the patient needs none.
    assert not_agreed(contact, consent, NOW) == [Party.CARE]
    assert not_agreed(contact, consent, NOW + timedelta(days=366)) == [
        Party.FK, Party.OCCUPATIONAL, Party.CARE,
    ]  # fmt: skip
    withdrawn = Consent(consent.actors, NOW, valid_until(NOW), withdrawn_at=NOW)
    assert not_agreed((Party.FK,), withdrawn, NOW) == [Party.FK]
    assert not_agreed((Party.PATIENT,), None, NOW) == []


def test_a_recorded_consent_reads_in_either_language() -> None:
    today = date(2026, 12, 3)
    assert parse_record("vård, fk arbetsgivare till 2027-06-30", today) == (
        frozenset({Party.CARE, Party.FK, Party.EMPLOYER}),
        date(2027, 6, 30),
    )
    assert parse_record("care af other", today) == (
        frozenset({Party.CARE, Party.AF, Party.OTHER}),
        None,
    )
    for wrong in ("vård grannen", "fk till igår", ""):
        with pytest.raises(ValueError):
            parse_record(wrong, today)


async def test_consent_given_shown_withdrawn_and_then_a_contact_refused(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9501)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    assert "Samtycke till samverkan: inte givet (/consent)" in pinned_card(emulator)
    await phone.send("/menu")
    assert "du bestämmer vilka din rehabkoordinator får prata med" in phone.last.text

    await anna.say("/consent ask", thread)
    assert "Samtyckesblanketten är skickad" in anna.last.text
    assert "ber om ditt samtycke" in phone.last.text
    await phone.send("/menu")
    await phone.do("share")
    assert "Du har inte gett samtycke" in phone.last.text
    await phone.do("form", "0.consent_sharing")
    await fill_current_form(phone, catalog.forms["consent_sharing"], "sv")  # care and FK
    card = pinned_card(emulator)
    assert "Samtycke till samverkan: hälso- och sjukvården, Försäkringskassan (till " in card
    assert "inte besvarat än: Samtycke" not in card, "the request is answered"
    await phone.send("/menu")
    await phone.do("share")
    assert "Hälso- och sjukvården, Försäkringskassan" in phone.last.text

    await anna.say("/note samordning 60 med fk, vård Avstämning", thread)
    assert "Antecknat: samordnande stöd" in anna.last.text
    await anna.say("/journal", thread)
    assert "Samtycke till samverkan givet" in anna.last.text
    assert "hälso- och sjukvården, Försäkringskassan." in anna.last.text

    await phone.do("withdraw")
    assert "Ditt samtycke är återkallat" in phone.last.text
    assert not phone.has_op("withdraw")
    assert any("Patienten har återkallat samtycket" in m.text for m in anna.from_bot(thread)), (
        "the coordinator is told"
    )
    assert "⛔ Samtycke till samverkan: återkallat" in pinned_card(emulator)

    await anna.say("/note samordning 30 med fk Ringde handläggaren", thread)
    refused = anna.last.text
    assert "Inte sparat: patienten har inte samtyckt till att information delas med " in refused
    assert "Försäkringskassan" in refused and "Ringde handläggaren" in refused
    await anna.say("/note coachande 20 Bara vi två", thread)
    assert "Antecknat: coachande samtal" in anna.last.text, "the patient alone needs none"
    await anna.say("/journal", thread)
    assert "Samtycke till samverkan återkallat" in anna.last.text


async def test_a_signed_consent_is_recorded_by_the_coordinator_and_kept_as_actors(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9502)
    pseudonym = await join(bot, phone)
    thread = topic_of(emulator, pseudonym)
    await anna.say("/consent vård grannen", thread)
    assert "Jag förstod inte: <i>grannen</i>" in anna.last.text
    await anna.say("/consent arbetsgivare annan till 2027-03-31", thread)
    assert anna.last.text.startswith("✅ Samtycke till samverkan: arbetsgivare, annan aktör")
    assert "31 mars 2027" in anna.last.text
    assert "registrerat ditt samtycke" in phone.last.text and "Min arbetsgivare" in phone.last.text
    await anna.say("/consent annan Kommunens skuldrådgivning", thread)
    assert "arbetsgivare, Kommunens skuldrådgivning (till 31 mars 2027)" in pinned_card(emulator)
    await anna.say("/note samordning 45 med fhv, annan Trepartsmöte", thread)
    assert "Antecknat" in anna.last.text, "occupational health under the employer's consent"
    await anna.say("/consent återkalla", thread)
    assert "Samtycket är återkallat" in anna.last.text
    await anna.say("/audit", thread)
    assert "registrerade ett samtycke till samverkan" in anna.last.text
    assert "registrerade ett återkallat samtycke" in anna.last.text

    await anna.say("/end", thread)
    await anna.press(anna.last, f"Avsluta programmet för {pseudonym}")
    with sqlite3.connect(bot.settings.database_url.split("///", 1)[1]) as connection:
        kept = connection.execute("SELECT consent_to_share FROM caserecord").fetchone()
        left = connection.execute("SELECT count(*) FROM shareconsent").fetchone()
    assert kept == ("employer,other",) and left == (0,)
