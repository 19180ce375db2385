"""Alembic environment: uses the connection handed over by bot.db.migrate when there is one."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import bot.db.models  # noqa: F401  (registers the tables)
from bot.db.session import create_engine

target_metadata = SQLModel.metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _standalone() -> None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    async with engine.begin() as connection:
        await connection.run_sync(_migrate)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _migrate(connection)
else:
    asyncio.run(_standalone())
