"""Fan-out: contact reminders for 10,000 patients fall due in the same minute.

The reminders are queued by the real scheduler (bot/scheduler.py) and sent by the real
OutboxSender to the local Bot API emulator, which enforces Telegram's limits (about 30
messages a second, one a second per chat) by answering 429 like Telegram does. The last
line printed is the achieved send rate as a fraction of the configured limit, the messages
lost, and the 429s caused:

    ratio=0.97 lost=0 caused_429=0

Run: python bench/fanout.py [--patients N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet
from sqlalchemy import insert

from bot.app import build_infrastructure, start
from bot.config import Settings
from bot.db import migrate
from bot.db.models import (
    OutboxMessage,
    OutboxStatus,
    Patient,
    PatientStatus,
    ScheduledJob,
)
from bot.services import outbox
from bot.telegram import create_bot
from tests.emulator import Emulator
from tests.harness import FakeClock

FIRST_CHAT = 10_000_000


async def fanout(patients: int) -> str:
    emulator = Emulator(enforce_limits=True)
    await emulator.start()
    workdir = Path(tempfile.mkdtemp(prefix="fanout-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token="123456:BENCH-token",
        database_url=f"sqlite:///{workdir / 'bench.sqlite3'}",
        telegram_api_url=emulator.url,
        data_key=Fernet.generate_key().decode(),
        data_dir=workdir,
        outbox_poll_seconds=0.05,
    )
    # 10:00 in Stockholm on a Wednesday, running with real time: outside the quiet hours.
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    clock.run()
    infra = build_infrastructure(settings, clock=clock)
    await migrate.upgrade(infra.engine)
    contact = clock() + timedelta(days=1)
    async with infra.session_factory() as session:
        connection = await session.connection()  # a bulk insert, below the ORM
        await connection.execute(
            insert(Patient),
            [
                {
                    "pseudonym": f"B-{n:05d}",
                    "language": "sv",
                    "status": PatientStatus.ACTIVE,
                    "telegram_user_id": FIRST_CHAT + n,
                    "chat_id": FIRST_CHAT + n,
                    "next_contact_at": contact,
                    "created_at": clock(),
                }
                for n in range(patients)
            ],
        )
        await session.commit()
        ids = (await session.exec(select_ids())).all()
        connection = await session.connection()
        await connection.execute(
            insert(ScheduledJob),
            [
                {
                    "key": f"contact_eve:{pid}:{contact.isoformat()}",
                    "kind": "contact_eve",
                    "patient_id": pid,
                    "due_at": clock() - timedelta(seconds=n % 60),  # all in the same minute
                    "data": f'{{"contact": "{contact.isoformat()}"}}',
                }
                for n, pid in enumerate(ids)
            ],
        )
        await session.commit()

    bot = create_bot(settings)
    running = await start(infra, bot)  # the bot's own start-up, without polling
    sender = running.sender
    started = time.monotonic()
    queued = 0
    while queued < patients:
        await running.clockwork.tick()
        queued = await count(infra.session_factory)
        print(f"\rqueued {queued}/{patients}", end="", file=sys.stderr, flush=True)
    sends: list[float] = []
    delivered: set[int] = set()
    seen = 0
    while True:
        for (method, params), at in zip(
            emulator.calls[seen:], emulator.call_times[seen:], strict=False
        ):
            if method == "sendMessage":
                delivered.add(int(params["chat_id"]))
                sends.append(at)
        seen = len(emulator.calls)
        print(f"\rsent {len(delivered)}/{patients}", end="", file=sys.stderr, flush=True)
        async with infra.session_factory() as session:
            totals = await outbox.counts(session)
        if totals.get(OutboxStatus.PENDING, 0) + totals.get(OutboxStatus.SENDING, 0) == 0:
            break
        await asyncio.sleep(2.0)  # look rarely: the bench should not slow what it measures
    print(file=sys.stderr)
    await sender.stop()
    await bot.session.close()
    await infra.engine.dispose()
    await emulator.stop()

    elapsed = (sends[-1] - sends[0]) if len(sends) > 1 else 1.0
    rate = (len(sends) - 1) / elapsed if len(sends) > 1 else 0.0
    print(
        f"{len(sends)} messages in {elapsed:.1f} s after {sends[0] - started:.1f} s of queueing; "
        f"limit {settings.outbox_rate:g}/s; refused by the emulator: {emulator.caused_429}",
        file=sys.stderr,
    )
    lost = patients - len(delivered)
    return f"ratio={rate / settings.outbox_rate:.2f} lost={lost} caused_429={emulator.caused_429}"


def select_ids():  # type: ignore[no-untyped-def]
    from sqlmodel import col, select

    return select(Patient.id).order_by(col(Patient.id))


async def count(session_factory) -> int:  # type: ignore[no-untyped-def]
    from sqlmodel import func, select

    async with session_factory() as session:
        found = await session.exec(select(func.count()).select_from(OutboxMessage))
        return int(found.one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    args = parser.parse_args()
    print(asyncio.run(fanout(args.patients)))


if __name__ == "__main__":
    main()
