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
    # the first of the twenty leaves the minute at 60 s
    assert limiter.chat_wait(group, 30.0, safety=True) == 30.0


def test_a_saturated_group_keeps_room_for_the_safety_lane() -> None:
    limiter = RateLimiter(Limits(group_per_minute=20, safety_reserve=4))
    group = -100123
    for n in range(16):  # ordinary traffic takes all it may: 16 of the 20
        assert limiter.chat_wait(group, float(n * 1.5)) == 0.0
        limiter.sent(group, float(n * 1.5))
    assert limiter.chat_wait(group, 24.0) == 36.0  # ordinary: until the first leaves
    assert limiter.chat_wait(group, 24.0, safety=True) == 0.0  # an alert: now
    for n in range(4):
        limiter.sent(group, 24.0 + n * 1.5)
    assert limiter.chat_wait(group, 30.0, safety=True) == 30.0  # the twenty are spent


def test_a_429_pauses_everyone_for_retry_after() -> None:
    limiter = RateLimiter()
    limiter.retry_after(5, 10.0)
    assert limiter.wait(1, 10.0) == 5.0 and limiter.wait(2, 14.0) == 1.0


def test_a_send_booked_far_ahead_holds_neither_its_chat_nor_everyone() -> None:
    """A pin waiting for its group's minute must not stall an alert, or other chats."""
    limiter = RateLimiter(Limits(chat_interval=1.0))
    group = -100123
    booked = limiter.reserve(group, 0.0)
    limiter.sent(group, 40.0, ahead=True)  # booked for later
    assert booked == 0.0
    assert limiter.chat_wait(group, 5.0) == 0.0  # free now: the booking is 35 s away
    assert limiter.chat_wait(group, 39.5) == 1.5  # but not right beside it
    assert limiter.wait(42, 5.0) == 0.0  # and other chats are not held at all
