"""Timezone autocomplete, resolution and "your local time" text, shared by /timezone and /config.

Autocomplete must answer within 3 s and at most 25 choices, so the IANA names are read from the
`tzdata` package once (on first use) and searched in memory. A client can send any string as the
option's value, so what a command receives always goes through `resolve_zone`.
"""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from discord import app_commands

from bot.core.errors import InvalidInput
from bot.ui.format import truncate

CHOICES_MAX = 25
# Names in the tz database that are files, not places a member would live in.
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})
# Offered before anything is typed: an empty list would look broken.
_POPULAR = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Dubai",
    "Asia/Jakarta",
    "Asia/Seoul",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Manila",
)


@functools.cache
def all_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted; computed on first use and kept (a disk scan is slow)."""
    return tuple(sorted(available_timezones() - _NOT_ZONES))


@functools.cache
def _folded() -> dict[str, str]:
    """Case-folded name -> canonical name, for exact lookups."""
    return {zone.casefold(): zone for zone in all_zones()}


def _normalise(text: str) -> str:
    """What members type ("new york", "Tokyo ") compared with how zones are spelt (New_York)."""
    return text.strip().casefold().replace(" ", "_")


def search(current: str, limit: int = CHOICES_MAX) -> list[str]:
    """Zones matching `current`: exact first, then prefix, then contains (each alphabetical).

    The city part after the last '/' counts as much as the full name, so "tokyo" finds
    Asia/Tokyo first and "new_y" finds America/New_York among the prefix matches.
    """
    needle = _normalise(current)
    if not needle:
        popular = [zone for zone in _POPULAR if zone in _folded().values()]
        return popular[:limit]
    # Ranks: the full name exactly, a city exactly, a prefix of either, then anywhere.
    ranked: tuple[list[str], ...] = ([], [], [], [])
    for zone in all_zones():
        name = zone.casefold()
        city = name.rsplit("/", 1)[-1]
        if needle == name:
            ranked[0].append(zone)
        elif needle == city:
            ranked[1].append(zone)
        elif name.startswith(needle) or city.startswith(needle):
            ranked[2].append(zone)
        elif needle in name:
            ranked[3].append(zone)
    return [zone for rank in ranked for zone in rank][:limit]


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=truncate(zone.replace("_", " "), 100), value=zone)
        for zone in search(current[:100])
    ]


def resolve_zone(value: str) -> str:
    """The canonical IANA name for `value` (any case), or a refusal written for the member."""
    zone = _folded().get(_normalise(value))
    if zone is None:
        shown = truncate(value.strip().replace("`", "'").replace("@", "@\u200b"), 60)
        raise InvalidInput(
            f"I don't know a timezone called “{shown}”. Start typing your city "
            "(for example `Berlin` or `Tokyo`) and pick one from the list."
        )
    return zone


def local_time(now: datetime, zone: str) -> str:
    """`Monday 09:00 (2026-03-02)`: the wall-clock time in `zone` at the aware moment `now`."""
    local = now.astimezone(ZoneInfo(zone))
    return f"{local:%A %H:%M} ({local:%Y-%m-%d})"
