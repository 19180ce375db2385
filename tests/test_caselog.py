"""The unit's case log (seed 002): the known set of cases, kept by the services as the program
runs, read back from the workbook the coordinator gets, with openpyxl."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.app import Infrastructure
from bot.domain.caselog import CaseEntry, CaseStatus, masked
from bot.domain.monthly import Window, figures
from bot.services import reports, staff
from tests.caselog_cases import KEY, OTHER_CHAT, STAFF_CHAT, Clock, infra, known_set
from tests.test_content_and_cli import run_cli

__all__ = ["infra"]  # the fixture


def rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def block(sheet: Worksheet, label: str) -> dict[str, list[Any]]:
    """One block of the overview, figure name → the three columns' values and shares."""
    found: dict[str, list[Any]] = {}
    inside = False
    for row in rows(sheet)[1:]:
        if row[0] == label:
            inside = True
        elif inside and row[0] is None:
            break
        elif inside:
            found[str(row[0])] = row[1:]
    return found


async def workbook_of(infra: Infrastructure, chat: int, *, small_cell: int = 5) -> Any:
    infra.context.settings.small_cell = small_cell  # not validated: tests may show all
    async with infra.session_factory() as session:
        unit = await staff.unit_by_chat(session, chat)
        assert unit is not None
        data = await reports.caselog_workbook(
            session, infra.context, [unit], date(2026, 11, 1), date(2026, 11, 15)
        )
    return load_workbook(io.BytesIO(data))


async def test_the_accepted_sheet_has_every_case_begun_and_no_code_once_deleted(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    book = await workbook_of(infra[0], STAFF_CHAT)
    assert book.sheetnames == [
        "Godkänt stöd", "Avböjt stöd", "Översikt för månadsutvärdering", "Diagram"
    ]  # fmt: skip
    assert len(book["Diagram"]._images) == 3, "the unit's three charts"
    sheet = book["Godkänt stöd"]
    header, *cases = rows(sheet)
    assert header[:5] == ["Enhet", "Kod", "Målgrupp", "Kön", "Ålder"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    by_start = {row[header.index("Startdatum")].date(): row for row in cases}
    assert sorted(by_start) == [date(2026, 9, 10), date(2026, 10, 3), date(2026, 11, 10)]
    finished = by_start[date(2026, 9, 10)]
    assert finished[header.index("Kod")] == "–", "the code goes with the content"
    assert finished[header.index("Slutdatum")].date() == date(2026, 11, 5)
    assert finished[header.index("Timmar coachande stöd")] == 1.5
    assert finished[header.index("Timmar samordnande stöd")] == 1.0
    assert finished[header.index("Kontakt: arbetsgivare")] == "Ja"
    assert finished[header.index("Kontakt: Försäkringskassan")] == "Nej"
    running = by_start[date(2026, 10, 3)]
    assert running[header.index("Kod")] == "A-RUN" and running[header.index("Slutdatum")] is None
    assert running[header.index("Kontakt: Försäkringskassan")] == "Ja", "read live"
    assert running[header.index("Övriga etablerade kontakter")] == "Ja"  # social services
    assert finished[header.index("Övriga etablerade kontakter")] == "Nej"
    assert running[header.index("Kön")] == "Man" and running[header.index("Ålder")] == "30-39"
    deleted = by_start[date(2026, 11, 10)]
    assert deleted[header.index("Kod")] == "–"
    assert deleted[header.index("Hur stödet avslutades")] == "På patientens begäran"
    assert all(row[0] == "Vårdcentralen" for row in cases), "unit B's case is not in A's log"


async def test_the_declined_sheet_has_the_reason_and_comment_until_the_content_goes(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    header, *declined = rows((await workbook_of(infra[0], STAFF_CHAT))["Avböjt stöd"])
    assert len(declined) == 1
    row = dict(zip(header, declined[0], strict=True))
    assert row["Kod"] == "A-NO" and row["Kön"] == "Kvinna" and row["Ålder"] == "50-59"
    assert row["Orsak"] == "Jag har inte tid eller ork just nu"
    assert row["Kommentar"] == "Vill vänta till januari"
    assert row["Informerad om att uppgifter sparas"] == "Ja"


async def test_the_overview_counts_by_sex_and_shows_small_counts_as_under_five(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    sheet = (await workbook_of(infra[0], STAFF_CHAT))["Översikt för månadsutvärdering"]
    assert rows(sheet)[0] == [
        None, "Totalt sedan start", "%", "november 2026", "Sedan mötet 15 nov. 2026"
    ]  # fmt: skip
    everyone = block(sheet, "Alla")
    # Since the start: five offered, three accepted, one declined, one never opened.
    assert everyone["Erbjudits stöd"][:2] == [5, 100]
    assert everyone["Tackat ja"][:2] == ["<5", None], "a small count and its share are hidden"
    assert everyone["Avslutade"] == ["<5", None, "<5", "<5"]
    assert everyone["Veckor per avslutat ärende (medel)"][0] == "<5", "a mean of two cases"
    women = block(sheet, "Kvinna")
    assert women["Erbjudits stöd"][0] == "<5" and block(sheet, "Man")["Avböjt"][0] == 0


async def test_with_a_lower_threshold_every_figure_is_split_by_sex_and_age(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    exact = await workbook_of(infra[0], STAFF_CHAT, small_cell=1)  # 1: nothing hidden
    sheet = exact["Översikt för månadsutvärdering"]
    everyone, women, men = block(sheet, "Alla"), block(sheet, "Kvinna"), block(sheet, "Man")
    # Each figure counts its own event in the column's span: since the start (with its share
    # of those offered), in November, and since the meeting on the 15th.
    assert everyone["Erbjudits stöd"] == [5, 100, 2, 0]
    assert everyone["Tackat ja"] == [3, 60, 1, 0]
    assert everyone["Avböjt"] == [1, 20, 0, 0]  # declined on 21 October
    assert everyone["Avslutade"] == [2, 40, 2, 1]  # ended 5 and 24 November
    assert everyone["Pågående"] == [1, 20, 1, 1]  # at the end of each span
    assert everyone["Veckor per avslutat ärende (medel)"][:3] == [5.0, None, 5.0]  # (8 + 2) / 2
    assert everyone["Veckor per avslutat ärende (medel)"][3] == 2.0
    assert everyone["Timmar coachande stöd per avslutat ärende"][0] == 0.8  # (1.5 + 0) / 2
    assert everyone["Timmar samordnande stöd per avslutat ärende"][0] == 0.5
    assert everyone["Timmar per vecka per avslutat ärende"][0] == 0.2  # (2.5 / 8 + 0) / 2
    assert women["Erbjudits stöd"][0] == 3 and men["Erbjudits stöd"][0] == 2
    assert women["Avslutade"][0] == 2 and men["Avslutade"][0] == 0
    assert men["Pågående"][0] == 1 and women["Avböjt"][0] == 1
    assert block(sheet, "Ålder 40-49")["Avslutade"][0] == 2
    assert "Ålder 60-" not in [row[0] for row in rows(sheet)], "only the bands with cases"


async def test_the_other_unit_gets_only_its_own_case(infra: tuple[Infrastructure, Clock]) -> None:
    await known_set(*infra)
    book = await workbook_of(infra[0], OTHER_CHAT, small_cell=1)
    header, *cases = rows(book["Godkänt stöd"])
    assert [row[header.index("Kod")] for row in cases] == ["B-RUN"]
    assert rows(book["Avböjt stöd"])[1:] == []
    assert block(book["Översikt för månadsutvärdering"], "Alla")["Erbjudits stöd"][0] == 1


async def test_the_command_line_writes_the_workbook_of_a_unit(
    infra: tuple[Infrastructure, Clock], tmp_path: Path
) -> None:
    await known_set(*infra)
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "DATA_KEY": KEY,
        "DATA_DIR": str(tmp_path),
        "BOT_TOKEN": "",
        "STAFF_CHAT_ID": str(STAFF_CHAT),
    }
    out = tmp_path / "arendelogg.xlsx"
    args = ("report", "caselog", "--unit", str(OTHER_CHAT), "--month", "2026-11")
    made = await asyncio.to_thread(run_cli, *args, "--out", str(out), env=env, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    book = load_workbook(out)
    assert rows(book["Översikt för månadsutvärdering"])[0][3] == "november 2026"
    header, *cases = rows(book["Godkänt stöd"])
    assert [row[header.index("Kod")] for row in cases] == ["B-RUN"]
    wrong = await asyncio.to_thread(
        run_cli, "report", "caselog", "--month", "november", "--out", str(out), env=env
    )
    assert wrong.returncode == 2 and "YYYY-MM" in wrong.stderr


def test_only_counts_that_could_single_someone_out_are_hidden() -> None:
    assert [masked(n, 5) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


def test_an_invite_never_opened_is_offered_and_not_started() -> None:
    never = CaseEntry(CaseStatus.OFFERED, offered_on=date(2026, 11, 3))
    done = CaseEntry(
        CaseStatus.ACCEPTED, date(2026, 9, 1), started_on=date(2026, 9, 1),
        ended_on=date(2026, 10, 13), coaching_minutes=120,
    )  # fmt: skip
    counted = figures([never, done])
    assert (counted.offered, counted.accepted, counted.finished, counted.ongoing) == (2, 1, 1, 0)
    assert counted.weeks == 6 and counted.coaching_hours == 2
    assert counted.share(counted.finished) == 50
    september = figures([never, done], Window(date(2026, 9, 1), date(2026, 10, 1)))
    assert (september.offered, september.accepted, september.ongoing) == (1, 1, 1)
    assert september.finished == 0, "it ended in October"
