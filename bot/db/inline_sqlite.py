"""SQLite for the asyncio engine, run in the event loop's own thread.

aiosqlite hands every statement to a worker thread and wakes the loop when it is done. On
one SQLite connection that hand-off is the bottleneck: an update holds the connection from
its first statement to its commit, and at each of its half-dozen statements it waits again
for its turn in the loop's queue, behind every other update's work. The connection was
busy for 11 ms per page turn, of which SQLite itself needed well under one.

Here the standard library's sqlite3 runs inline, inside SQLAlchemy's greenlet: a statement
takes tens of microseconds and never yields to the loop, so a transaction runs from
BEGIN to COMMIT without another update cutting in. What can block is the write lock held
by another process (a CLI command, for milliseconds); `busy_timeout` bounds that wait.
Everything else, the pool, the pragmas and the dialect's SQL, is SQLAlchemy's own.
"""

from __future__ import annotations

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL

DRIVER = "sqlite+inline"


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = "inline"
    supports_statement_cache = True
    # No statement is awaited: each one completes inside the greenlet that runs it, which
    # is what the asyncio engine asks of a driver.
    is_async = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool


registry.register("sqlite.inline", __name__, "InlineSQLiteDialect")
