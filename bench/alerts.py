"""Alert latency: acute messages while the staff group is saturated.

The whole bot runs against the local Bot API emulator, which enforces Telegram's real
limits (30 messages a second, one a second per chat, twenty a minute per group) with 429s,
and so does the bot's own limiter. First a few acute messages on an idle staff group (the
baseline); then 50 patients join (a topic, a card and a pin each) and 200 of their messages
are queued, far more than the group's minute allows, and acute messages keep arriving (from
patients whose topics exist, as they would). The latency is from the patient's message to
its alert in the staff chat. Last line:

    idle_p50=0.45s idle_p99=0.61s busy_p50=0.52s busy_p99=1.30s ratio_p99=2.1 lost=0

Run: python bench/alerts.py [--alerts N] [--gap SECONDS] [--joining N] [--relays N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db.models import Patient, PatientStatus, RelayDirection
from bot.services import cards, messages, relaying, staff
from tests.emulator import Emulator
from tests.harness import STAFF_CHAT, BotUnderTest, FakeClock

FIRST_USER = 20_000_000
REAL_LIMITS = {"outbox_chat_interval": 1.0, "outbox_group_per_minute": 20}


async def patients(
    bot: BotUnderTest, emulator: Emulator, first: int, count: int, topics: bool = True
) -> list[Patient]:
    """Patients who have joined, with their topics when `topics` (made in bulk, below the
    dialogs: joining is not what is measured)."""
    assert bot.infra is not None
    made: list[Patient] = []
    async with bot.infra.session_factory() as session:
        unit = await staff.default_unit(session, bot.settings)
        assert unit is not None
        for n in range(count):
            code = f"A-{first + n:05d}"
            topic = emulator.create_topic(STAFF_CHAT, code) if topics else None
            patient = Patient(
                pseudonym=code, language="sv", status=PatientStatus.ACTIVE, topic_id=topic,
                telegram_user_id=first + n, chat_id=first + n, unit_id=unit.key,
            )  # fmt: skip
            session.add(patient)
            made.append(patient)
        await session.commit()
    return made


async def saturate(bot: BotUnderTest, joining: list[Patient], relays: int) -> None:
    """Each joining patient's topic and card, and their messages, queued as the bot does."""
    assert bot.infra is not None
    async with bot.infra.session_factory() as session:
        for patient in joining:
            await cards.changed(session, bot.infra.context, patient)
        for n in range(relays):
            patient = joining[n % len(joining)]
            relay = await messages.store(
                session, bot.infra.context.vault, patient,
                direction=RelayDirection.FROM_PATIENT,
                content=messages.Content("text", f"message {n}"),
                source_chat_id=patient.chat_id or 0, source_message_id=900_000 + n,
                now=bot.clock(),
            )  # fmt: skip
            await relaying.queue(session, bot.infra.context, relay)
        await session.commit()
    bot.sender.kick()


def alert_time(emulator: Emulator, pseudonym: str, since: int) -> float | None:
    for (method, params), at in zip(
        emulator.calls[since:], emulator.call_times[since:], strict=False
    ):
        text = str(params.get("text", ""))
        if method == "sendMessage" and int(params["chat_id"]) == STAFF_CHAT and pseudonym in text:
            return at
    return None


async def latencies(
    bot: BotUnderTest, emulator: Emulator, senders: list[Patient], gap: float
) -> tuple[list[float], int]:
    pending: dict[str, tuple[float, int]] = {}
    for patient in senders:
        assert patient.telegram_user_id is not None
        pending[patient.pseudonym] = (time.monotonic(), len(emulator.calls))
        emulator.user_message(patient.telegram_user_id, {"text": "jag vill inte leva längre"})
        await asyncio.sleep(gap)
    found: dict[str, float] = {}
    deadline = time.monotonic() + 120
    while len(found) < len(pending) and time.monotonic() < deadline:
        for code, (sent, since) in pending.items():
            at = alert_time(emulator, code, since) if code not in found else None
            if at is not None:
                found[code] = at - sent
        await asyncio.sleep(0.05)
    return list(found.values()), len(pending) - len(found)


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98] if len(values) > 1 else 0


async def run(alerts: int, joining: int, relays: int, gap: float) -> str:
    emulator = Emulator(enforce_limits=True)
    await emulator.start()
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # 10:00, office hours
    clock.run()
    bot = BotUnderTest(emulator, Path(tempfile.mkdtemp(prefix="alerts-")), clock, **REAL_LIMITS)
    await bot.start()
    try:
        idle, lost_idle = await latencies(
            bot, emulator, await patients(bot, emulator, FIRST_USER, 5), gap=gap
        )
        await asyncio.sleep(3.0)  # the idle alerts' topics settle before the load begins
        joined = await patients(bot, emulator, FIRST_USER + 100, joining, topics=False)
        await saturate(bot, joined, relays)
        await asyncio.sleep(5.0)  # the group's minute is spent
        busy, lost_busy = await latencies(
            bot, emulator, await patients(bot, emulator, FIRST_USER + 1000, alerts), gap=gap
        )
    finally:
        await bot.crash()
        await emulator.stop()
    print(f"idle: {sorted(round(v, 2) for v in idle)}", file=sys.stderr)
    print(f"busy: {sorted(round(v, 2) for v in busy)}", file=sys.stderr)
    print(f"429s caused: {emulator.caused_429}", file=sys.stderr)
    return (
        f"idle_p50={statistics.median(idle):.2f}s idle_p99={p99(idle):.2f}s "
        f"busy_p50={statistics.median(busy):.2f}s busy_p99={p99(busy):.2f}s "
        f"ratio_p99={p99(busy) / max(p99(idle), 1e-3):.1f} lost={lost_idle + lost_busy}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10)
    parser.add_argument(
        "--gap", type=float, default=6.0, help="seconds between acute messages (default: 10 "
        "a minute, far more than a unit ever sees; Telegram allows a group 20 in all)"
    )  # fmt: skip
    parser.add_argument("--joining", type=int, default=50)
    parser.add_argument("--relays", type=int, default=200)
    args = parser.parse_args()
    print(asyncio.run(run(args.alerts, args.joining, args.relays, args.gap)))


if __name__ == "__main__":
    main()
