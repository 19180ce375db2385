"""Telegram's limits on a bot's sending, as a pure calculation over a monotonic clock.

About 30 messages a second overall (spaced evenly, so no burst trips the limit), one a
second to any one chat, twenty a minute to any one group; and a pause for everyone after a
429 (`retry_after`). A few of a group's twenty are kept for the safety lane (an alert about
a patient in danger), so a group saturated by relays and cards never makes an alert wait
for its minute.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

AHEAD = 1.0  # a booking further ahead than this does not move the overall schedule


@dataclass(frozen=True)
class Limits:
    per_second: float = 30.0
    chat_interval: float = 1.0
    group_per_minute: int = 20
    # Aim a little under the limit: the network can bunch requests that left evenly spaced.
    headroom: float = 0.97
    # Of a group's minute, kept for the safety lane only.
    safety_reserve: int = 5

    def group_budget(self, safety: bool) -> int:
        return self.group_per_minute if safety else self.group_per_minute - self.safety_reserve


@dataclass
class RateLimiter:
    limits: Limits = field(default_factory=Limits)
    _next_global: float = 0.0
    _paused_until: float = 0.0
    # Each chat's sends, past and booked ahead, in order: a slot is free where no other send
    # stands within the chat's interval, so a send booked far ahead (a pin waiting for its
    # group's minute) does not hold the chat, or everyone, until then.
    _chat_sends: dict[int, list[float]] = field(default_factory=dict)

    def wait(self, chat_id: int, now: float, safety: bool = False) -> float:
        """Seconds until a message to `chat_id` may go (0 when it may go now)."""
        ready = max(self._next_global, self._paused_until, now)
        return self._chat_ready(chat_id, ready, safety) - now

    def chat_wait(self, chat_id: int, now: float, safety: bool = False) -> float:
        """Seconds this chat's own limits hold it (other chats may go meanwhile)."""
        return self._chat_ready(chat_id, now, safety) - now

    def _chat_ready(self, chat_id: int, start: float, safety: bool) -> float:
        sends = self._chat_sends.get(chat_id)
        if not sends:
            return start
        interval = self.limits.chat_interval
        del sends[: bisect.bisect_left(sends, start - 60.0)]  # older than a minute
        at = start
        if chat_id < 0:  # groups and supergroups: twenty a minute
            budget = self.limits.group_budget(safety)
            recent = sends[: bisect.bisect_right(sends, at)]
            if len(recent) >= budget:
                # The oldest sends that must leave the minute before one more fits.
                at = max(at, recent[len(recent) - budget] + 60.0)
        for other in sends[bisect.bisect_left(sends, at - interval) :]:
            if other >= at + interval:
                break  # the gap before it is wide enough
            at = other + interval
        return at

    def sent(self, chat_id: int, now: float, ahead: bool = False) -> None:
        """A send to `chat_id` at `now` (or booked for then: `ahead`, far from the present,
        leaves the overall schedule as it is)."""
        bisect.insort(self._chat_sends.setdefault(chat_id, []), now)
        if not ahead:
            spacing = 1.0 / (self.limits.per_second * self.limits.headroom)
            # Keep to the schedule when a send left a little late (a sleep overshoots), so
            # the delays do not add up; after a real gap, start the schedule afresh.
            late = now - self._next_global
            base = self._next_global if 0.0 <= late < spacing else max(self._next_global, now)
            self._next_global = base + spacing
        if len(self._chat_sends) > 50_000:  # forget chats long since free
            cutoff = now - 60.0
            self._chat_sends = {c: t for c, t in self._chat_sends.items() if t and t[-1] > cutoff}

    def reserve(self, chat_id: int, now: float, safety: bool = False) -> float:
        """The moment a message to `chat_id` may go, booked now: senders working side by side
        each get their own slot."""
        at = now + self.wait(chat_id, now, safety)
        self.sent(chat_id, at, ahead=at - now > AHEAD)
        return at

    def retry_after(self, seconds: float, now: float) -> None:
        """Telegram said 429: nobody sends until it allows it again."""
        self._paused_until = max(self._paused_until, now + seconds)
