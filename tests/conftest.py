from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content import Catalog, load_catalog
from tests.emulator import Emulator
from tests.harness import BotUnderTest, FakeClock


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    server = Emulator()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(emulator: Emulator, tmp_path: Path, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    running = BotUnderTest(emulator, tmp_path, clock)
    await running.start()
    yield running
    if running._task is not None:
        await running.crash()
