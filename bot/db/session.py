"""Engine and session factory; SQLite by default (run inline, bot/db/inline_sqlite.py),
PostgreSQL (asyncpg) by URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db import inline_sqlite

SessionFactory = async_sessionmaker[AsyncSession]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL is safe against corruption and loses nothing when the process is
    # killed (only on a power cut); FULL would fsync every commit, and the outbox commits
    # every message it sends.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # Transactions are begun by us (below), not by the driver.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    """Take the write lock when a transaction begins. SQLite cannot turn a reading
    transaction into a writing one once another connection has written ("database is
    locked" at once, not after the busy timeout); the outbox sender commits many times a
    second, so every transaction asks for the lock up front and waits its turn instead."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:  # whichever SQLite driver the URL names (sqlite+aiosqlite in older .env files)
        parsed = parsed.set(drivername=inline_sqlite.DRIVER)
    # SQLite has one writer at a time, and every transaction here takes the write lock
    # (below): with several connections, waiting updates sleep in SQLite's busy handler and
    # wake late (its back-off grows to 100 ms). With one connection the pool is the queue:
    # first come, first served, woken the moment the connection is free.
    engine = create_async_engine(parsed, **({"pool_size": 1, "max_overflow": 0} if sqlite else {}))
    if sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
