"""One booking of Telegram's limits for everything that sends: the outbox sender's rows and
the extra calls a row needs (a pin, a new topic, an album's header)."""

from __future__ import annotations

import asyncio
import time

from bot.config import Settings
from bot.domain.ratelimit import Limits, RateLimiter


def limiter_for(settings: Settings, limits: Limits | None = None) -> RateLimiter:
    return RateLimiter(
        limits
        or Limits(
            per_second=settings.outbox_rate,
            chat_interval=settings.outbox_chat_interval,
            group_per_minute=settings.outbox_group_per_minute,
        )
    )


class Pacer:
    """Waits for a slot for one more call to a chat within a send, booked like a message,
    so those count towards the chat's limits too."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def __call__(self, chat_id: int) -> None:
        at = self.limiter.reserve(chat_id, time.monotonic())
        await asyncio.sleep(max(0.0, at - time.monotonic()))
