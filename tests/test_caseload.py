"""/patients on a known set of patients with controlled sick-leave dates: each view lists
exactly who it should, and the weekly notice names sick leave over 30 days without a plan.
The identification criteria recorded at the invite show beside the code."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.caseload import CaseRow, Criterion, View, ordered, shows
from tests.emulator import Emulator
from tests.harness import ANNA, BotUnderTest, Phone, StaffMember, topic_of
from tests.journeys import join

TODAY = date(2026, 11, 25)  # the test clock's day


def row(code: str, start: date | None, **kw: object) -> CaseRow:
    fields: dict[str, object] = {
        "code": code, "coordinator_id": None, "modules": (1,), "next_contact": None,
        "wellbeing": None, "flags": (), "sick_leave_start": start, "has_plan": False,
    }  # fmt: skip
    return CaseRow(**{**fields, **kw})  # type: ignore[arg-type]


def test_each_view_keeps_its_patients() -> None:
    fresh = row("P-A", date(2026, 11, 10))
    month = row("P-B", date(2026, 10, 25))  # 31 days
    exactly = row("P-C", date(2026, 10, 26))  # 30 days: not over
    planned = row("P-D", date(2026, 6, 1), has_plan=True, coordinator_id=7)
    flagged = row("P-E", None, flags=("urgent",))
    rows = [fresh, month, exactly, planned, flagged]

    def codes(view: View) -> list[str]:
        return [r.code for r in ordered(rows, TODAY) if shows(r, view, 7, TODAY, 90)]

    assert codes(View.NO_PLAN) == ["P-B"]
    assert codes(View.LONG) == ["P-D"]
    assert codes(View.MINE) == ["P-D"]
    assert codes(View.ATTENTION) == ["P-E"]
    assert codes(View.ALL) == ["P-E", "P-D", "P-B", "P-C", "P-A"], "flags, then longest"


def listed(text: str) -> list[str]:
    return re.findall(r"P-[A-Z0-9]+", text)


async def test_patients_lists_each_view_on_a_known_set(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    fresh = await join(bot, Phone(emulator, 9701), sick_leave_start=date(2026, 11, 10))
    month = await join(bot, Phone(emulator, 9702), sick_leave_start=date(2026, 10, 20))
    long_phone = Phone(emulator, 9703)
    long_case = await join(bot, long_phone, sick_leave_start=date(2026, 6, 1))
    urgent_phone = Phone(emulator, 9704)
    urgent = await join(bot, urgent_phone, sick_leave_start=date(2026, 11, 20))

    await anna.say("/plan + Arbetsträning två timmar om dagen; arbetsgivare; 2027-01-15",
                   topic_of(emulator, long_case))  # fmt: skip
    await anna.say("/handover", topic_of(emulator, long_case))
    await anna.press(anna.last, "Anna")
    await urgent_phone.send("/menu")
    await urgent_phone.do("urgent")

    await anna.say("/patients")
    everyone = anna.last
    assert everyone.text.startswith("🗂 <b>Patienter – Alla</b> (4)")
    assert listed(everyone.text) == [urgent, long_case, month, fresh]
    assert "· 177 d sjukskrivning · plan ✅" in everyone.text
    assert "· 36 d sjukskrivning · ingen plan" in everyone.text

    await anna.say("/patients utanplan")
    assert listed(anna.last.text) == [month]
    await anna.say("/patients långa")
    assert listed(anna.last.text) == [long_case]
    await anna.say("/patients mina")
    assert listed(anna.last.text) == [long_case]
    await anna.press(everyone, "Behöver uppmärksamhet")
    assert listed(everyone.text) == [urgent] and "🟠" in everyone.text, "edited in place"
    await anna.say("/audit")
    assert "tittade på listan över patienter" in anna.last.text


async def test_the_weekly_notice_names_sick_leave_over_a_month_without_a_plan(
    bot: BotUnderTest, emulator: Emulator
) -> None:
    anna = StaffMember(emulator, ANNA)
    await join(bot, Phone(emulator, 9711), sick_leave_start=date(2026, 11, 10))
    month = await join(bot, Phone(emulator, 9712), sick_leave_start=date(2026, 10, 1))
    await bot.tick()
    notices = [m.text for m in anna.topic(None) if "utan plan" in m.text and "📋" in m.text]
    assert len(notices) == 1 and listed(notices[0]) == [month], notices
    await bot.tick()
    assert len([m for m in anna.topic(None) if "📋" in m.text and "utan plan" in m.text]) == 1


async def test_the_criteria_recorded_at_the_invite_are_kept(bot: BotUnderTest) -> None:
    from bot.cli import invite

    code = await invite(bot.settings, {"pseudonym": "P-CRIT1", "criteria": "illness,long"}, None)
    assert code == 0
    patient = await bot.patient("P-CRIT1")
    assert patient.criteria == ",".join([Criterion.LONG, Criterion.ILLNESS])
