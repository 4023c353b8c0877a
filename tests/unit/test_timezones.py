"""The timezone search behind /timezone and /config timezone autocomplete, and its resolver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import InvalidInput
from bot.ui import timezones


def test_city_part_finds_the_zone_first() -> None:
    assert timezones.search("tokyo")[0] == "Asia/Tokyo"
    assert timezones.search("TOK")[0] == "Asia/Tokyo"
    assert timezones.search("new york")[0] == "America/New_York"


def test_exact_then_prefix_then_contains() -> None:
    found = timezones.search("europe/berlin")
    assert found[0] == "Europe/Berlin"
    paris = timezones.search("par")
    assert "Europe/Paris" in paris
    prefix_end = max(
        i for i, z in enumerate(paris) if z.casefold().rsplit("/")[-1].startswith("par")
    )
    contains = [
        i for i, z in enumerate(paris) if not z.casefold().rsplit("/")[-1].startswith("par")
    ]
    assert all(i > prefix_end for i in contains)
    assert timezones.search("utc")[0] == "UTC"


def test_results_are_bounded_and_fit_discord() -> None:
    assert len(timezones.search("a")) == 25
    assert len(timezones.search("")) == 25
    for choice in timezones.zone_choices("america/"):
        assert 1 <= len(choice.name) <= 100
        assert len(choice.value) <= 100
    assert timezones.zone_choices("x" * 500) == []
    assert timezones.search("zzqqxx") == []


def test_zones_are_computed_once() -> None:
    assert timezones.all_zones() is timezones.all_zones()
    assert "Factory" not in timezones.all_zones()


def test_resolve_accepts_any_case_and_refuses_unknown() -> None:
    assert timezones.resolve_zone("asia/tokyo") == "Asia/Tokyo"
    assert timezones.resolve_zone(" America/New York ") == "America/New_York"
    with pytest.raises(InvalidInput, match="don't know a timezone"):
        timezones.resolve_zone("Mars/Olympus_Mons")
    with pytest.raises(InvalidInput) as refused:
        timezones.resolve_zone("@everyone")
    assert "@everyone" not in refused.value.message


def test_local_time_uses_the_zone() -> None:
    moment = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert timezones.local_time(moment, "Asia/Tokyo") == "Monday 17:00 (2026-03-02)"
    assert timezones.local_time(moment, "America/Los_Angeles") == "Monday 00:00 (2026-03-02)"
