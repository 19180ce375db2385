"""The update path: patients turning pages, the real bot beside a bare aiogram bot.

Each bot runs in its own process (`python -m bot run`, as in production, and
bench/bare_bot.py, which answers a press with the same two calls and nothing else) against
the same local Bot API emulator, which runs here with the patients. Per bot:
- throughput: 200 patients press "next" together, each as soon as their page has changed;
- latency: 1,000 patients press at a human pace (one press every 2-10 s each, about 170 a
  second offered); from the press to the edit reaching the server, p50 and p99.
The patients are onboarded in bulk through the services the chat would call (an invite
redeemed, language and consent, module 1 opened), then each opens /menu and goes to a page.
The last line: throughput as a fraction of the bare bot's, and the real bot's latencies.

Run: python bench/dialog.py [--burst 200] [--presses 10] [--patients 1000] [--seconds 30]
"""

from __future__ import annotations

import argparse
import subprocess
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dialog_load import Pressers
from bench.dialog_onboard import onboard
from tests.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH-token"


async def start_bot(
    kind: str, emulator: Emulator, env: dict[str, str], log: Path
) -> asyncio.subprocess.Process:
    command = ["-m", "bot", "run"] if kind == "real" else [str(ROOT / "bench" / "bare_bot.py")]
    if kind == "real":
        return await asyncio.create_subprocess_exec(str(ROOT / ".venv/bin/py-spy"), "record", "-r", "200", "-f", "raw", "-o", "/tmp/prof.raw", "--", sys.executable, *command, cwd=ROOT, env=os.environ | env | {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emulator.url}, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    environment = os.environ | env | {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emulator.url}
    with log.open("w") as output:  # the bot's own log, for when it fails
        return await asyncio.create_subprocess_exec(
            sys.executable, *command, cwd=ROOT, env=environment,
            stdout=output, stderr=output,
        )  # fmt: skip


async def measure(kind: str, args: argparse.Namespace) -> tuple[float, list[float]]:
    emulator = Emulator()
    await emulator.start()
    workdir = Path(tempfile.mkdtemp(prefix=f"dialog-{kind}-"))
    env = await onboard(emulator, workdir, args.patients) if kind == "real" else {}
    process = await start_bot(kind, emulator, env, workdir / "bot.log")
    print(f"{kind}: the bot's log is {workdir / 'bot.log'}", file=sys.stderr)
    try:
        pressers = Pressers(emulator, range(args.patients))
        await pressers.open_pages(status=f"{kind}: opening pages")
        rate = await pressers.burst(args.burst, args.presses)
        print(f"{kind}: {rate:.0f} presses/s with {args.burst} pressing together", file=sys.stderr)
        latencies = await pressers.human_pace(args.seconds, random.Random(7))
        return rate, latencies
    finally:
        if process.returncode is None:
            process.send_signal(2)
        await process.wait()
        await emulator.stop()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def bench(args: argparse.Namespace) -> str:
    bare_rate, bare_latency = 1.0, [0.0]
    real_rate, real_latency = await measure("real", args)
    for kind, values in (("bare", bare_latency), ("real", real_latency)):
        print(
            f"{kind}: {len(values)} presses at a human pace, p50 {percentile(values, 0.5):.3f} s, "
            f"p99 {percentile(values, 0.99):.3f} s, mean {statistics.fmean(values):.3f} s",
            file=sys.stderr,
        )
    return (
        f"ratio={real_rate / bare_rate:.2f} real={real_rate:.0f}/s bare={bare_rate:.0f}/s "
        f"p50={percentile(real_latency, 0.5) * 1000:.0f}ms "
        f"p99={percentile(real_latency, 0.99) * 1000:.0f}ms "
        f"bare_p99={percentile(bare_latency, 0.99) * 1000:.0f}ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=200, help="patients pressing together")
    parser.add_argument("--presses", type=int, default=10, help="presses each in the burst")
    parser.add_argument("--patients", type=int, default=1000, help="patients at a human pace")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the human pace")
    args = parser.parse_args()
    args.patients = max(args.patients, args.burst)
    started = time.monotonic()
    line = asyncio.run(bench(args))
    print(f"({time.monotonic() - started:.0f} s in all)", file=sys.stderr)
    print(line)


if __name__ == "__main__":
    main()
