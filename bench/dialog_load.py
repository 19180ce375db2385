"""Patients pressing buttons in the emulator, for bench/dialog.py: each presses "next" on
the page they see, and waits until the bot has changed it (an edit or a new screen)."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Iterable
from typing import Any

from tests.emulator import ChatMessage, Emulator

FIRST_USER = 20_000_000
WAIT = 30.0  # a press the bot has not answered by then counts as lost


class Pressers:
    def __init__(self, emulator: Emulator, numbers: Iterable[int]) -> None:
        self.emulator = emulator
        self.users = [FIRST_USER + n for n in numbers]
        self.changed: dict[int, asyncio.Event] = {user: asyncio.Event() for user in self.users}
        self.last_page: dict[int, str] = {}
        self.lost = 0
        for method in ("sendMessage", "editMessageText"):
            self._watch(method)

    def _watch(self, method: str) -> None:
        handler = getattr(self.emulator, f"_api_{method}")

        def watched(params: dict[str, Any]) -> Any:
            result = handler(params)
            event = self.changed.get(int(params["chat_id"]))
            if event is not None:
                event.set()
            return result

        setattr(self.emulator, f"_api_{method}", watched)

    def screen(self, user: int) -> ChatMessage | None:
        shown = [m for m in self.emulator.chats.get(user, []) if m.from_bot and m.buttons()]
        return shown[-1] if shown else None

    async def _until_changed(self, user: int) -> bool:
        try:
            async with asyncio.timeout(WAIT):
                await self.changed[user].wait()
            return True
        except TimeoutError:
            self.lost += 1
            return False

    async def press_next(self, user: int) -> float:
        """One press on the page shown; the seconds until the bot changed it."""
        message = self.screen(user)
        assert message is not None, f"patient {user} sees no screen"
        data = self._next(user, message)
        self.changed[user].clear()
        started = time.monotonic()
        self.emulator.press(user, message, data, {"id": user, "is_bot": False, "first_name": "B"})
        await self._until_changed(user)
        return time.monotonic() - started

    def _next(self, user: int, message: ChatMessage) -> str:
        by_op: dict[str, list[str]] = {}
        for button in message.buttons():
            data = str(button.get("callback_data", ""))
            if data.count(":") >= 2:
                by_op.setdefault(data.split(":")[2], []).append(data)
        pages = [
            d for d in by_op.get("page", []) if d.split(":", 3)[3] != self.last_page.get(user)
        ]
        for choice in (pages, by_op.get("toc", []), by_op.get("mod", [])):
            if choice:
                self.last_page[user] = choice[-1].split(":", 3)[3]
                return choice[-1]
        raise AssertionError(f"no way to a page on {message.text[:60]!r}")

    async def open_pages(self, status: str) -> None:
        """Every patient opens /menu and goes on until a page is shown."""
        gate = asyncio.Semaphore(100)

        async def one(user: int) -> None:
            async with gate:
                self.changed[user].clear()
                self.emulator.user_message(user, {"text": "/menu"})
                await self._until_changed(user)
                while not self._on_page(user):
                    await self.press_next(user)

        done = 0
        for chunk in range(0, len(self.users), 100):
            await asyncio.gather(*(one(u) for u in self.users[chunk : chunk + 100]))
            done = min(len(self.users), chunk + 100)
            print(f"\r{status} {done}/{len(self.users)}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    def _on_page(self, user: int) -> bool:
        message = self.screen(user)
        return message is not None and any(
            str(b.get("callback_data", "")).split(":")[2:3] == ["page"] for b in message.buttons()
        )

    async def burst(self, patients: int, presses: int) -> float:
        """Presses a second, with `patients` pressing again as soon as their page changed."""

        async def one(user: int) -> None:
            for _ in range(presses):
                await self.press_next(user)

        started = time.monotonic()
        await asyncio.gather(*(one(user) for user in self.users[:patients]))
        return patients * presses / (time.monotonic() - started)

    async def human_pace(self, seconds: float, chance: random.Random) -> list[float]:
        latencies: list[float] = []
        deadline = time.monotonic() + seconds

        async def one(user: int) -> None:
            await asyncio.sleep(chance.uniform(0, 8))
            while time.monotonic() < deadline:
                latencies.append(await self.press_next(user))
                await asyncio.sleep(chance.uniform(2, 10))

        await asyncio.gather(*(one(user) for user in self.users))
        return latencies
