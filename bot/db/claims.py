"""Claiming due rows atomically: one UPDATE … RETURNING marks them taken, so two workers
(or a tick and a restart) never take the same row. Used by the outbox, by due jobs, and for
each update's id."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ProcessedUpdate

Row = TypeVar("Row", bound=SQLModel)


async def claim_due(
    session: AsyncSession,
    model: type[Row],
    *,
    due: Any,
    pending: StrEnum,
    claimed: StrEnum,
    now: datetime,
    limit: int,
    first: Any = None,
    where: Any = None,
) -> list[Row]:
    """Rows of `model` in `pending` whose `due` column has come (and `where`, if given),
    now `claimed` (committed): by `first` (a lane) when given, then oldest first."""
    ident, status = col(model.id), col(model.status)  # type: ignore[attr-defined]
    due_column = col(due)
    order = ([col(first)] if first is not None else []) + [due_column, ident]
    conditions = [status == pending, due_column <= now] + ([where] if where is not None else [])
    oldest_first = select(ident).where(*conditions).order_by(*order).limit(limit)
    taken = await session.exec(
        update(model)
        .where(ident.in_(oldest_first), status == pending)
        .values(status=claimed, claimed_at=now)
        .returning(ident)
    )
    ids = [row[0] for row in taken.all()]
    await session.commit()
    if not ids:
        return []
    rows = await session.exec(select(model).where(ident.in_(ids)).order_by(*order))
    claimed_rows = list(rows.all())
    await session.commit()  # let go of the lock: the rows are ours by their status now
    return claimed_rows


def _claim(insert: Any) -> Any:
    return (
        insert(ProcessedUpdate.__table__)  # type: ignore[attr-defined]  # Core, not ORM bulk
        .values(update_id=bindparam("update"), processed_at=bindparam("at"))
        .on_conflict_do_nothing(index_elements=["update_id"])
    )


_CLAIM = {"postgresql": _claim(postgresql_insert), "sqlite": _claim(sqlite_insert)}


async def claim_update(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """Store the update's id, in one statement; False if it was stored before (a re-delivered
    update, or one a worker beside this one is handling: its insert waits for that commit)."""
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    done = await session.exec(_CLAIM[dialect], params={"update": update_id, "at": now})
    return bool(done.rowcount)
