from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import FakeClock, SystemClock


async def test_fake_clock_moves_only_when_told() -> None:
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    clock = FakeClock(start)
    assert clock.now() == start
    await clock.advance(days=1, hours=2, minutes=3)
    assert clock.now() == start + timedelta(days=1, hours=2, minutes=3)
    clock.set(datetime(2027, 1, 1, tzinfo=timezone(timedelta(hours=9))))
    assert clock.now() == datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


async def test_fake_clock_refuses_naive_and_backwards_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 1, 1))  # noqa: DTZ001
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="forward"):
        await clock.advance(minutes=-1)


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert abs((datetime.now(UTC) - now).total_seconds()) < 5
