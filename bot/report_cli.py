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

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.app import build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.db.models import CareUnit
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


async def _units(session: AsyncSession, settings: Settings, args: argparse.Namespace
                 ) -> list[CareUnit]:  # fmt: skip
    if args.all_units:
        return await staff.units(session)
    if args.unit is not None:
        unit = await staff.unit_by_chat(session, args.unit)
    else:
        unit = await staff.default_unit(session, settings)
    return [unit] if unit else []


async def report(settings: Settings, args: argparse.Namespace) -> int:
    """The case log workbook or the evaluation figures of a unit (the default one without
    --unit), or of every unit side by side (--all-units), written to a file."""
    infra = build_infrastructure(settings)
    await migrate.upgrade(infra.engine)
    first = infra.context.today().date().replace(day=1)
    async with infra.session_factory() as session:
        units = await _units(session, settings, args)
        if not units:
            await infra.engine.dispose()
            where = f"the staff chat {args.unit}" if args.unit else "STAFF_CHAT_ID (or --unit)"
            print(f"no care unit: set {where}, or see python -m bot unit list", file=sys.stderr)
            return 1
        if args.report == "caselog":
            data = await reports.caselog_workbook(
                session, infra.context, units, args.month or first, args.since or first
            )
        else:
            data = (await reports.evaluation_csv(session, infra.context, units)).encode(
                "utf-8-sig"
            )
    await infra.engine.dispose()
    args.out.write_bytes(data)
    print(f"{args.out}: the {args.report} of {', '.join(u.name for u in units)}")
    return 0


def _which_units(parser: argparse.ArgumentParser) -> None:
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--unit", type=int, metavar="STAFF_CHAT_ID", help="default: STAFF_CHAT_ID")
    chosen.add_argument(
        "--all-units", action="store_true", help="the region: every unit side by side"
    )


def add_report_commands(commands: Any, settings: Callable[[], Settings]) -> None:
    parser = commands.add_parser("report", help="the unit's records as files")
    kinds = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
    caselog = kinds.add_parser(
        "caselog", help="the case log (accepted, declined, monthly overview, charts) as .xlsx"
    )
    _which_units(caselog)
    caselog.add_argument(
        "--month", type=month, metavar="YYYY-MM", help="the month's column (default: this one)"
    )
    caselog.add_argument(
        "--since", type=day, metavar="YYYY-MM-DD",
        help="the last monthly meeting (default: the 1st of this month)",
    )  # fmt: skip
    caselog.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    evaluation = kinds.add_parser(
        "evaluation", help="the evaluation figures, in total and by sex, as .csv"
    )
    _which_units(evaluation)
    evaluation.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    for each in (caselog, evaluation):
        each.set_defaults(func=lambda args: asyncio.run(report(settings(), args)))
