from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.reminders import StreakNudge, check_hours, still_useful

NEW_YORK = ZoneInfo("America/New_York")


def test_nudge_is_a_local_wall_time_even_on_dst_days() -> None:
    nudge = StreakNudge(4)
    before_spring = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert nudge.next_due(before_spring, NEW_YORK) == datetime(
        2026, 3, 8, 1, 0, tzinfo=UTC
    )  # 20:00 EST
    spring_day = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert nudge.next_due(spring_day, NEW_YORK) == datetime(
        2026, 3, 9, 0, 0, tzinfo=UTC
    )  # 20:00 EDT
    due = nudge.next_due(spring_day, NEW_YORK)
    assert nudge.next_due(due, NEW_YORK) == due + timedelta(days=1)


@pytest.mark.parametrize("hours", [0, 13, -1])
def test_hours_out_of_range_are_refused(hours: int) -> None:
    with pytest.raises(InvalidInput):
        check_hours(hours)


def test_late_reminders_are_only_sent_while_useful() -> None:
    due = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)  # 20:00 in New York, March 3
    assert still_useful("streak", due, due + timedelta(hours=3, minutes=59), NEW_YORK)
    assert not still_useful("streak", due, due + timedelta(hours=4), NEW_YORK)  # past midnight
    assert still_useful("study", due, due + timedelta(hours=2), NEW_YORK)
    assert not still_useful("study", due, due + timedelta(hours=2, seconds=1), NEW_YORK)
