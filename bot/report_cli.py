"""python -m bot report …: the unit's records as files, for the unit manager and the
region (the staff chat's /report sends the same workbook)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.app import build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.services import reports, staff


def month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month: write YYYY-MM") from None


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


async def caselog_report(
    settings: Settings, unit_chat: int | None, chosen: date | None, since: date | None, out: Path
) -> int:
    """The case log workbook of a unit (the default one without --unit), written to a file."""
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    first = infra.context.today().date().replace(day=1)
    async with infra.session_factory() as session:
        unit = (
            await staff.unit_by_chat(session, unit_chat)
            if unit_chat is not None
            else await staff.default_unit(session, settings)
        )
        if unit is None:
            await infra.engine.dispose()
            print(f"no care unit has the staff chat {unit_chat}", file=sys.stderr)
            return 1
        data = await reports.caselog_workbook(
            session, infra.context, unit, chosen or first, since or first
        )
    await infra.engine.dispose()
    out.write_bytes(data)
    print(f"{out}: the case log of {unit.name}")
    return 0


def add_report_commands(commands: Any, settings: Callable[[], Settings]) -> None:
    report = commands.add_parser("report", help="the unit's records as files")
    kinds = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    caselog = kinds.add_parser(
        "caselog", help="the case log (accepted, declined, monthly overview) as .xlsx"
    )
    caselog.add_argument(
        "--unit", type=int, metavar="STAFF_CHAT_ID", help="default: STAFF_CHAT_ID"
    )
    caselog.add_argument(
        "--month", type=month, metavar="YYYY-MM", help="the month's column (default: this one)"
    )
    caselog.add_argument(
        "--since",
        type=day,
        metavar="YYYY-MM-DD",
        help="the last monthly meeting (default: the 1st of the month)",
    )
    caselog.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")

    def run_caselog(args: argparse.Namespace) -> int:
        return asyncio.run(caselog_report(settings(), args.unit, args.month, args.since, args.out))

    caselog.set_defaults(func=run_caselog)
