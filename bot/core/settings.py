"""What a server and a member have configured, with the bot's defaults filled in."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class GuildConfig:
    guild_id: int
    timezone: str
    moderator_role_id: int | None
    streak_minimum: int
    ping_role_id: int | None = None
    reminders_channel_id: int | None = None
    groups_channel_id: int | None = None  # where each new study group gets a thread

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class MemberConfig:
    guild_id: int
    user_id: int
    timezone: str | None
    track: str | None

    def zone(self, guild: GuildConfig) -> ZoneInfo:
        """A member's day is a date in the member's zone, else the server's (DESIGN's time rule)."""
        return ZoneInfo(self.timezone or guild.timezone)
