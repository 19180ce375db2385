"""The parts of an album arrive as separate updates: collected for a moment, then queued
as one, so the topic gets one album and the patient one "sent"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Relay
from bot.db.session import SessionFactory
from bot.services import relaying

ALBUM_WAIT = 0.6  # seconds to collect the parts of an album before sending it on


class Albums:
    def __init__(
        self, ctx: AppContext, session_factory: SessionFactory, kick: Callable[[], None]
    ) -> None:
        self.ctx = ctx
        self.session_factory = session_factory
        self.kick = kick
        self._waiting: dict[str, asyncio.Task[None]] = {}

    def collect(self, group: str) -> None:
        """A part of album `group` was stored (and committed)."""
        if group not in self._waiting:
            self._waiting[group] = asyncio.create_task(self._queue(group))

    async def _queue(self, group: str) -> None:
        await asyncio.sleep(ALBUM_WAIT)
        try:
            async with self.session_factory() as session:
                await relaying.queue_album(session, self.ctx, group)
                await session.commit()
            self.kick()
        finally:
            self._waiting.pop(group, None)

    async def queue(self, session: AsyncSession, relay: Relay) -> None:
        """Queue a stored message for the other side, in the transaction that stored it; an
        album's part waits here for the others."""
        if not await relaying.queue(session, self.ctx, relay):
            assert relay.media_group_id is not None
            self.collect(relay.media_group_id)
