"""Telegram's limits on a bot's sending, as a pure calculation over a monotonic clock.

About 30 messages a second overall (spaced evenly, so no burst trips the limit), one a
second to any one chat, twenty a minute to any one group; and a pause for everyone after a
429 (`retry_after`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    per_second: float = 30.0
    chat_interval: float = 1.0
    group_per_minute: int = 20
    # Aim a little under the limit: the network can bunch requests that left evenly spaced.
    headroom: float = 0.97


@dataclass
class RateLimiter:
    limits: Limits = field(default_factory=Limits)
    _next_global: float = 0.0
    _paused_until: float = 0.0
    _chat_next: dict[int, float] = field(default_factory=dict)
    _group_sent: dict[int, deque[float]] = field(default_factory=dict)

    def wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now)."""
        ready = max(self._next_global, self._paused_until, self._chat_next.get(chat_id, 0.0))
        if chat_id < 0:  # groups and supergroups
            sent = self._group_sent.get(chat_id)
            if sent is not None:
                while sent and sent[0] <= now - 60.0:
                    sent.popleft()
                if len(sent) >= self.limits.group_per_minute:
                    ready = max(ready, sent[0] + 60.0)
        return max(0.0, ready - now)

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds this chat's own limits hold it (other chats may go meanwhile)."""
        ready = self._chat_next.get(chat_id, 0.0)
        sent = self._group_sent.get(chat_id)
        if chat_id < 0 and sent and len(sent) >= self.limits.group_per_minute:
            ready = max(ready, sent[0] + 60.0)
        return max(0.0, ready - now)

    def sent(self, chat_id: int, now: float) -> None:
        spacing = 1.0 / (self.limits.per_second * self.limits.headroom)
        # Keep to the schedule when a send left a little late (a sleep overshoots), so the
        # delays do not add up; after a real gap, start the schedule afresh.
        late = now - self._next_global
        base = self._next_global if 0.0 <= late < spacing else max(self._next_global, now)
        self._next_global = base + spacing
        self._chat_next[chat_id] = now + self.limits.chat_interval
        if chat_id < 0:
            self._group_sent.setdefault(chat_id, deque()).append(now)
        if len(self._chat_next) > 50_000:  # forget chats long since free
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}

    def reserve(self, chat_id: int, now: float) -> float:
        """The moment a message to `chat_id` may go, booked now: senders working side by side
        each get their own slot."""
        at = now + self.wait(chat_id, now)
        self.sent(chat_id, at)
        return at

    def retry_after(self, seconds: float, now: float) -> None:
        """Telegram said 429: nobody sends until it allows it again."""
        self._paused_until = max(self._paused_until, now + seconds)
