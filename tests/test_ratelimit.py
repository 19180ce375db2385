"""Telegram's limits as the sender keeps them (pure, over a fake monotonic clock)."""

from __future__ import annotations

from bot.domain.ratelimit import Limits, RateLimiter


def test_sends_are_spaced_under_thirty_a_second_without_drift() -> None:
    limiter = RateLimiter(Limits(per_second=30, headroom=0.97))
    now, sent = 0.0, 0
    while now < 10.0:
        wait = limiter.wait(1000 + sent, now)
        now += wait + 0.0007  # every sleep overshoots a little
        limiter.sent(1000 + sent, now)
        sent += 1
    assert 285 <= sent <= 292  # 30 x 0.97 x 10 s, overshoots not adding up


def test_one_a_second_per_chat_and_twenty_a_minute_per_group() -> None:
    limiter = RateLimiter()
    limiter.sent(42, 0.0)
    assert limiter.chat_wait(42, 0.5) == 0.5 and limiter.chat_wait(43, 0.5) == 0.0
    group = -100123
    for n in range(20):
        limiter.sent(group, float(n * 1.5))
    assert limiter.chat_wait(group, 30.0) == 30.0  # the first of the twenty leaves the minute


def test_a_429_pauses_everyone_for_retry_after() -> None:
    limiter = RateLimiter()
    limiter.retry_after(5, 10.0)
    assert limiter.wait(1, 10.0) == 5.0 and limiter.wait(2, 14.0) == 1.0
