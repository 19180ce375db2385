"""The evaluation's figures and the unit's charts, on the known set of cases (tests/caselog_
cases.py): in total and by sex, the deleted cases' kept figures included, the CSV with its
small cells hidden, and the regional report with each unit side by side."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from bot.app import Infrastructure
from bot.domain.evaluation import by_sex
from bot.services import case_figures, staff
from bot.texts import unit_charts
from tests.caselog_cases import KEY, OTHER_CHAT, STAFF_CHAT, Clock, infra, known_set
from tests.test_content_and_cli import run_cli

__all__ = ["infra"]  # the fixture


async def entries_of(infra: Infrastructure, chat: int) -> list[case_figures.CaseEntry]:
    async with infra.session_factory() as session:
        unit = await staff.unit_by_chat(session, chat)
        assert unit is not None
        return await case_figures.entries(session, infra.context.vault, unit.key)


async def test_the_figures_in_total_and_by_sex_count_the_deleted_cases_too(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    groups = by_sex(await entries_of(infra[0], STAFF_CHAT))
    everyone, women, men = groups["all"], groups["female"], groups["male"]
    assert (everyone.cases, women.cases, men.cases) == (3, 2, 1)
    assert [everyone.modules[m].count for m in (1, 2, 3)] == [2, 1, 0]
    assert everyone.modules[1].of == 3
    assert (everyone.contacts_kept.count, everyone.contacts_kept.of) == (4, 6)
    assert everyone.contacts_missed == 2 and women.contacts_missed == 2
    # WHO-5: the finished (deleted) case +24, the ongoing one -8; the third measured once.
    assert (everyone.who5_change.cases, everyone.who5_change.mean) == (2, 8)
    assert everyone.who5_change.median == 8
    assert (women.who5_change.mean, men.who5_change.mean) == (24, -8)
    assert (everyone.wai_change.cases, everyone.wai_change.mean) == (1, 13)
    assert everyone.weeks_to_work.cases == 1
    assert round(everyone.weeks_to_work.mean or 0, 2) == round(46 / 7, 2)
    assert (everyone.back_at_work.count, everyone.back_at_work.of) == (1, 2)
    assert men.back_at_work.of == 0 and men.back_at_work.percent is None


async def test_the_charts_have_a_series_per_sex_and_hide_small_groups_outside(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    entries = await entries_of(infra[0], STAFF_CHAT)
    with infra[0].context.staff_speaking():
        months = unit_charts.cases_per_month(entries)
        wellbeing = unit_charts.wellbeing_start_and_end(entries)
        bands = [("poor", "Dålig"), ("moderate", "Måttlig"), ("good", "God"), ("excellent", "Utm")]
        wai = unit_charts.wai_bands_start_and_end(entries, bands)
        outside = unit_charts.wellbeing_start_and_end(entries, threshold=5)
        pngs = [unit_charts.render(c) for c in (months, wellbeing, wai, outside)]
    accepted = months.panels[0]
    assert accepted.categories == ["2026-09", "2026-10", "2026-11"]
    assert [s.label for s in accepted.series] == ["Kvinna", "Man"]
    assert [s.values for s in accepted.series] == [[1, 0, 1], [0, 1, 0]]
    assert [s.label for s in wellbeing.panels[0].series] == ["Kvinna (n=1)", "Man (n=1)"]
    assert wellbeing.panels[0].series[0].values == [40, 64]
    assert [p.title for p in wai.panels] == ["Kvinna (n=1)"]
    assert wai.panels[0].series[0].values == [1, 0, 0, 0]  # poor at the first
    assert wai.panels[0].series[1].values == [0, 0, 1, 0]  # good at the last
    assert outside.empty and "färre än 5" in outside.note
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000 for png in pngs)


def env_for(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "DATA_KEY": KEY,
        "DATA_DIR": str(tmp_path),
        "BOT_TOKEN": "",
        "STAFF_CHAT_ID": str(STAFF_CHAT),
    }


async def test_the_evaluation_csv_hides_small_counts_and_their_figures(
    infra: tuple[Infrastructure, Clock], tmp_path: Path
) -> None:
    await known_set(*infra)
    out = tmp_path / "utvardering.csv"
    made = await asyncio.to_thread(
        run_cli, "report", "evaluation", "--out", str(out), env=env_for(tmp_path)
    )
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header == ["Enhet", "Grupp", "Mått", "Antal", "Av", "%", "Medel", "Median"]
    table = {(r[1], r[2]): r[3:] for r in rows}
    assert table[("Alla", "Ärenden (tackat ja)")][0] == "<5"
    assert table[("Alla", "Kontaktdagar som hölls")] == ["<5", "6", "", "", ""]
    assert table[("Alla", "Förändring i WHO-5, första till sista")] == ["<5", "", "", "", ""]
    assert {r[0] for r in rows} == {"Vårdcentralen"}


async def test_the_regional_report_shows_each_unit_side_by_side(
    infra: tuple[Infrastructure, Clock], tmp_path: Path
) -> None:
    await known_set(*infra)
    out = tmp_path / "region.xlsx"
    made = await asyncio.to_thread(
        run_cli, "report", "caselog", "--all-units", "--month", "2026-11", "--out", str(out),
        env=env_for(tmp_path),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    book = load_workbook(out)
    header = next(book["Översikt för månadsutvärdering"].iter_rows(values_only=True))
    assert header == (None, "Vårdcentralen", "%", "Nybro", "%", "Alla enheter", "%")
    assert "november 2026" in book.sheetnames
    units = {row[0] for row in list(book["Godkänt stöd"].iter_rows(values_only=True))[1:]}
    assert units == {"Vårdcentralen", "Nybro"}
    csv_out = tmp_path / "region.csv"
    both = await asyncio.to_thread(
        run_cli, "report", "evaluation", "--all-units", "--out", str(csv_out),
        env=env_for(tmp_path),
    )  # fmt: skip
    assert both.returncode == 0, both.stderr
    rows = list(csv.reader(io.StringIO(csv_out.read_text("utf-8-sig")), delimiter=";"))
    assert {r[0] for r in rows[1:]} == {"Vårdcentralen", "Nybro", "Alla enheter"}
    clash = await asyncio.to_thread(
        run_cli, "report", "evaluation", "--all-units", "--unit", str(OTHER_CHAT), "--out",
        str(csv_out), env=env_for(tmp_path),
    )  # fmt: skip
    assert clash.returncode == 2 and "not allowed with" in clash.stderr


async def test_a_workbook_of_one_unit_draws_only_that_units_charts(
    infra: tuple[Infrastructure, Clock],
) -> None:
    await known_set(*infra)
    entries = await entries_of(infra[0], OTHER_CHAT)
    with infra[0].context.staff_speaking():
        months = unit_charts.cases_per_month(entries)
    assert months.panels[0].categories == ["2026-11"]
    assert [s.values for s in months.panels[0].series] == [[1], [0]]
