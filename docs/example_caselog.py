"""The README's example of the unit's records: an invented unit of forty cases over six
months (seeded, so the same every time), moved through the program by the services as the
tests move theirs, then its monthly overview printed as a Markdown table and its charts
written next to this file.

    .venv/bin/python docs/example_caselog.py
"""

from __future__ import annotations

import asyncio
import io
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_infrastructure  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.models import Sex  # noqa: E402
from bot.domain.caselog import DeclineReason  # noqa: E402
from bot.domain.contact_notes import ContactKind, Party  # noqa: E402
from bot.services import case_figures, reports, staff  # noqa: E402
from tests.caselog_cases import KEY, STAFF_CHAT, Clock, Unit  # noqa: E402

HERE = Path(__file__).resolve().parent
BANDS = [(0, "poor"), (28, "moderate"), (37, "good"), (44, "excellent")]


def band(score: float) -> str:
    return [name for low, name in BANDS if score >= low][-1]


async def invent(unit: Unit, rng: random.Random) -> None:
    start = date(2026, 6, 1)
    for n in range(40):
        code, offered = f"EX-{n:02d}", start + timedelta(days=rng.randrange(180))
        sex = Sex.FEMALE if rng.random() < 0.6 else Sex.MALE
        age = rng.choice(["-29", "30-39", "40-49", "50-59", "60-"])
        await unit.offer(code, sex, age, offered.isoformat())
        if rng.random() < 0.2:
            reason = rng.choice(list(DeclineReason))
            await unit.decline(code, (offered + timedelta(days=1)).isoformat(), reason, "")
            continue
        begun = offered + timedelta(days=rng.randrange(1, 5))
        await unit.accept(code, begun.isoformat())
        who5 = rng.randrange(20, 56, 4)
        wai = rng.uniform(20, 36)
        await unit.measure(code, begun.isoformat(), "wellbeing", who5)
        await unit.measure(code, begun.isoformat(), "wai", round(wai, 1), band(wai))
        weeks = rng.randrange(6, 20)
        end = begun + timedelta(weeks=weeks)
        await unit.contact(code, (begun + timedelta(days=7)).isoformat(), ContactKind.COACHING,
                           rng.choice([30, 45, 60]))  # fmt: skip
        if rng.random() < 0.5:  # a meeting with the employer
            await unit.contact(code, (begun + timedelta(days=21)).isoformat(),
                               ContactKind.COORDINATION, 90, Party.EMPLOYER)  # fmt: skip
        await unit.contact_days(code, kept=rng.randrange(2, 7), missed=rng.randrange(0, 2))
        if end > date(2026, 11, 30):
            continue  # still running
        later = who5 + rng.randrange(-8, 32, 4)
        await unit.finish(code, (end - timedelta(days=14)).isoformat(), 1, 2)
        await unit.measure(code, (end - timedelta(days=7)).isoformat(), "wellbeing", later)
        better = min(49.0, wai + rng.uniform(-2, 12))
        await unit.measure(code, (end - timedelta(days=7)).isoformat(), "wai", round(better, 1),
                           band(better))  # fmt: skip
        if rng.random() < 0.7:
            back = end - timedelta(days=rng.randrange(3, 20))
            await unit.plan(code, end.isoformat(), f"åter {back.isoformat()}")
        await unit.end(code, end.isoformat())


def markdown(rows: list[tuple[object, ...]]) -> str:
    head, *body = rows
    shown = [str(c or "") for c in head]
    lines = ["| " + " | ".join(shown) + " |", "|" + "---|" * len(shown)]
    for row in body:
        if str(row[0]).startswith("Ålder"):
            break  # the age bands are in the workbook
        if any(c is not None for c in row):
            lines.append("| " + " | ".join("" if c is None else str(c) for c in row) + " |")
    return "\n".join(lines)


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{Path(folder) / 'example.sqlite3'}",
            data_key=KEY, data_dir=Path(folder), staff_chat_id=STAFF_CHAT,
        )  # fmt: skip
        clock = Clock()
        infra = build_infrastructure(settings, clock=clock)
        await migrate.upgrade(infra.engine)
        async with infra.session_factory() as session:
            found = await staff.default_unit(session, settings)
            await session.commit()
        assert found is not None
        await invent(Unit(infra, clock, found), random.Random(13))
        clock.on("2026-11-30")
        async with infra.session_factory() as session:
            entries = await case_figures.entries(session, infra.context.vault, found.key)
            data = await reports.caselog_workbook(
                session, infra.context, [found], date(2026, 11, 1), date(2026, 11, 16)
            )
        names = ("cases-per-month", "wellbeing-start-end", "wai-start-end")
        for name, png in zip(names, reports.charts(infra.context, entries, 1), strict=True):
            (HERE / f"example-{name}.png").write_bytes(png)
        book = load_workbook(io.BytesIO(data))
        print(markdown(list(book["Översikt för månadsutvärdering"].iter_rows(values_only=True))))
        await infra.engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
