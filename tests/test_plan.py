"""The shared plan: built over modules 2 to 4 without one form replacing another, with the
coordinator's additions shown to the patient, and the KVÅ code that applies in the
journal, next to what seed 003 asks a journal note to hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.content import Catalog
from bot.domain.plan import (
    ChangeKind,
    DateField,
    PlanDates,
    PlanInputError,
    gather,
    parse_change,
)
from tests.emulator import Emulator
from tests.harness import ANNA, BotUnderTest, Phone, StaffMember, pinned_card, topic_of
from tests.journeys import fill_current_form, join

TODAY = date(2026, 12, 3)


def test_the_coordinators_line_reads_as_a_change() -> None:
    activity = parse_change("+ Möte med chefen om arbetstid; arbetsgivare; 2027-01-15", TODAY)
    assert (activity.kind, activity.text, activity.who, activity.day) == (
        ChangeKind.ACTIVITY, "Möte med chefen om arbetstid", "employer", date(2027, 1, 15),
    )  # fmt: skip
    follow_up = parse_change("uppföljning 20/1", TODAY)
    assert (follow_up.field, follow_up.day) == (DateField.FIRST_FOLLOW_UP, date(2027, 1, 20))
    assert parse_change("delmål Arbeta 50 %", TODAY).kind == ChangeKind.SUB_GOAL
    back = parse_change("åter 30/11", TODAY)  # a return to work is recorded once it happened
    assert (back.field, back.day) == (DateField.BACK_AT_WORK, date(2026, 11, 30))
    assert parse_change("uppföljd", TODAY).kind == ChangeKind.FOLLOWED_UP
    assert parse_change("Start i mars är bättre", TODAY).kind == ChangeKind.NOTE
    for wrong in (
        "+ Möte med chefen; 2027-01-15",
        "aktivitet Ring FK; fk; snart",
        "åter 2027-01-10",
    ):
        with pytest.raises(PlanInputError):
            parse_change(wrong, TODAY)


def test_activities_gather_across_forms_and_the_newest_plan_gives_the_goals() -> None:
    first = {"main_goal": "Heltid", "activities": [{"what": "Promenad", "who": "me"}]}
    second = {"main_goal": "Heltid i april", "sub_goals": "50 %\n75 %", "activities": []}
    plan = gather(
        [
            ("rehab_plan", first),
            ("plan_activities", {"activities": [{"what": "Sömn", "who": "me"}]}),
            ("rehab_plan", second),
            ("plan_activities", {"activities": [{"what": "Arbetsträning", "who": "employer"}]}),
        ],
        [(datetime(2026, 12, 3, tzinfo=UTC), parse_change("+ Ring FK; reko; 2027-01-10", TODAY))],
        PlanDates(),
    )
    # The patient changed their plan form: its goals and activities are the newest ones;
    # every activities form adds to them, and so does the coordinator.
    assert plan.main_goal == "Heltid i april" and plan.sub_goals == ("50 %", "75 %")
    assert [a.what for a in plan.activities] == ["Sömn", "Arbetsträning", "Ring FK"]
    assert [a.by_coordinator for a in plan.activities] == [False, False, True]


async def fill_on_page(phone: Phone, catalog: Catalog, module: int, page: str, form: str) -> None:
    await phone.send("/menu")
    await phone.do("mod", str(module))
    await phone.do("toc", str(module))
    await phone.do("page", f"{module}.{page}")
    await phone.do("form", f"{module}.{form}")
    await fill_current_form(phone, catalog.forms[form], "sv")


async def test_a_plan_built_over_modules_two_to_four_and_shared_with_the_patient(
    bot: BotUnderTest, emulator: Emulator, catalog: Catalog
) -> None:
    anna = StaffMember(emulator, ANNA)
    phone = Phone(emulator, 9601)
    pseudonym = await join(bot, phone, first_module=2, sick_leave_start=date(2026, 10, 26))
    thread = topic_of(emulator, pseudonym)
    assert "Plan: inte upprättad än" in pinned_card(emulator)
    await fill_on_page(phone, catalog, 2, "rehabilitation_plan", "rehab_plan")
    assert "Plan: upprättad" in pinned_card(emulator)
    await bot.activate(pseudonym, 3)
    await fill_on_page(phone, catalog, 3, "routine_structure", "plan_activities")
    await anna.say("/finish 3", thread)
    await anna.say("/activate 4", thread)
    await fill_on_page(phone, catalog, 4, "sustainability_plan", "plan_activities")

    await anna.say("/plan + Möte med chefen om arbetstid; arbetsgivare; 2027-01-15", thread)
    assert "Tillagt i planen. Patienten har fått veta." in anna.last.text
    told = phone.last.text
    assert "har lagt till i din plan – en ny aktivitet: Möte med chefen om arbetstid" in told
    await anna.say("/plan + Ring FK", thread)
    assert "Jag kunde inte läsa: <i>+ Ring FK</i>" in anna.last.text, "nothing half-stored"
    await anna.say("/plan uppföljning 2027-01-20", thread)
    assert "första uppföljningsmöte: 20 januari 2027" in phone.last.text

    await phone.send("/menu")
    await phone.do("plan")
    mine = phone.last.text
    assert mine.count("Promenad varje dag – Jag") == 3, "modules 2, 3 and 4 each added one"
    assert "4. Möte med chefen om arbetstid – Min arbetsgivare, senast 15 januari 2027 ✍️" in (mine)
    assert "Första uppföljningsmöte: 20 januari 2027" in mine
    card = pinned_card(emulator)
    assert "aktiviteter: 4 · uppföljning 20 januari 2027" in card

    await anna.say("/journal", thread)
    journal = anna.last.text
    assert "(KVÅ DV077)" in journal and "AW026" not in journal
    assert "Åtgärd: Möte med chefen om arbetstid; ansvarig: arbetsgivaren; klart 15" in journal
    assert "Sjukskrivningens längd: 30 dagar (sedan 26 oktober 2026)." in journal
    await anna.say("/plan uppföljd", thread)
    await anna.say("/journal", thread)
    assert "uppföljd" in anna.last.text and "(KVÅ AW026)" in anna.last.text
    assert "DV077" not in anna.last.text, "the code that applies now"

    # The morning of the first follow-up, the coordinators are reminded in the topic.
    now = bot.clock()
    bot.clock.advance(days=(date(2027, 1, 20) - now.date()).days, hours=9 - now.hour)
    await bot.tick()
    reminded = [m.text for m in anna.from_bot(thread) if m.text.startswith("🎯 I dag")]
    assert reminded == [f"🎯 I dag är första uppföljningen av planen för {pseudonym}. /plan "
                        "visar den; /plan uppföljd registrerar uppföljningen."]  # fmt: skip
