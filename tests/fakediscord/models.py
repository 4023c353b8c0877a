"""The fake Discord's world: guilds, members, roles, channels and messages.

These are plain in-memory objects that tests build (``guild.add_member("alice")``) and that the
server turns into the exact JSON payloads discord.py parses.  Permissions are computed the way
Discord does (``@everyone`` + roles, then channel overwrites; owner and administrator get all), so
the ``permissions`` and ``app_permissions`` fields of interactions are believable and permission
checks in the bot can be exercised.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions.VALID_FLAGS["administrator"]
VIEW_CHANNEL = discord.Permissions.VALID_FLAGS["view_channel"]

#: What Discord gives ``@everyone`` in a new server (close enough for permission checks).
DEFAULT_EVERYONE_PERMISSIONS = frozenset(
    {
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "create_private_threads",
        "embed_links",
        "attach_files",
        "add_reactions",
        "external_emojis",
        "read_message_history",
        "use_application_commands",
        "connect",
        "speak",
        "change_nickname",
        "create_instant_invite",
    }
)

#: What the bot's managed role carries by default: enough to post, embed, thread and ping roles.
DEFAULT_BOT_PERMISSIONS = frozenset(
    {
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "create_private_threads",
        "manage_threads",
        "embed_links",
        "attach_files",
        "read_message_history",
        "add_reactions",
        "use_application_commands",
        "mention_everyone",
    }
)


class SnowflakeFactory:
    """Makes unique, increasing snowflakes whose timestamps step one millisecond per id.

    Stepping the timestamp (not only the counter) spreads consecutive guild ids over shards, since
    Discord picks a guild's shard as ``(guild_id >> 22) % shard_count``.
    """

    def __init__(self) -> None:
        self._base_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._counter = itertools.count()

    def __call__(self) -> int:
        n = next(self._counter)
        return ((self._base_ms + n) << 22) | (n & 0xFFF)


def permission_bits(names: set[str] | frozenset[str]) -> int:
    """Turn discord.py permission names (``{"manage_guild"}``) into Discord's bitfield."""
    value = 0
    for name in names:
        try:
            value |= discord.Permissions.VALID_FLAGS[name]
        except KeyError:
            raise ValueError(f"unknown permission name {name!r}") from None
    return value


def iso_now() -> str:
    """Discord's timestamp format (ISO 8601 with offset)."""
    return datetime.now(UTC).isoformat()


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A Discord user object."""
    payload: dict[str, Any] = {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
    }
    if bot:
        payload["bot"] = True
    return payload


@dataclass
class FakeRole:
    """A guild role; ``permissions`` is the bitfield."""

    id: int
    name: str
    permissions: int = 0
    position: int = 1
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeMember:
    """A guild member (a user plus the guild's view of them)."""

    id: int
    name: str
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    bot: bool = False
    accepts_dms: bool = True
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None

    @property
    def user(self) -> dict[str, Any]:
        return user_payload(self.id, self.name, bot=self.bot)

    def payload(self, *, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user,
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class FakeChannel:
    """A guild channel (text = type 0), a thread (11/12) or a DM (type 1)."""

    id: int
    name: str
    guild_id: int | None
    type: int = 0
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    recipient: dict[str, Any] | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    thread_member_ids: set[int] = field(default_factory=set)
    last_message_id: int | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in (10, 11, 12)

    def payload(self) -> dict[str, Any]:
        if self.type == 1:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": _opt_str(self.last_message_id),
                "recipients": [self.recipient] if self.recipient else [],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "parent_id": _opt_str(self.parent_id),
            "nsfw": False,
            "flags": 0,
            "rate_limit_per_user": 0,
            "last_message_id": _opt_str(self.last_message_id),
        }
        if self.is_thread:
            data.update(
                owner_id=_opt_str(self.owner_id),
                member_count=len(self.thread_member_ids),
                message_count=0,
                total_message_sent=0,
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": iso_now(),
                    "locked": self.locked,
                },
            )
        else:
            data.update(topic=self.topic, permission_overwrites=list(self.overwrites))
        return data


@dataclass
class FakeMessage:
    """A message the bot created (channel post, interaction response or follow-up).

    Tests read ``content``/``embeds``/``components``/``files`` as the bot sent them; edits update
    the same object, so a :class:`~tests.fakediscord.interactions.Response` always shows the latest.
    """

    id: int
    channel_id: int
    guild_id: int | None
    author: dict[str, Any]
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    nonce: str | int | None = None
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_id: int | None = None
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    deleted: bool = False
    created_monotonic: float = field(default_factory=time.monotonic)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": 0 if self.interaction_id is None else 20,
            "channel_id": str(self.channel_id),
            "author": self.author,
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": list(self.attachments),
            "embeds": list(self.embeds),
            "components": list(self.components),
            "pinned": False,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        return data


class FakeGuild:
    """A guild with its roles, channels and members; built by tests through ``add_*`` methods."""

    def __init__(
        self,
        *,
        guild_id: int,
        name: str,
        ids: SnowflakeFactory,
        bot_user: dict[str, Any],
        bot_permissions: set[str] | frozenset[str] = DEFAULT_BOT_PERMISSIONS,
    ) -> None:
        self.id = guild_id
        self.name = name
        self._ids = ids
        #: Called with (guild id, event name, payload) when the guild changes while connected.
        self.on_event: Any = None
        self.roles: list[FakeRole] = [
            FakeRole(
                id=guild_id,
                name="@everyone",
                permissions=permission_bits(DEFAULT_EVERYONE_PERMISSIONS),
                position=0,
            )
        ]
        self.channels: list[FakeChannel] = []
        self.threads: list[FakeChannel] = []
        self.members: list[FakeMember] = []
        self.owner = self.add_member("owner")
        bot_role = self.add_role(str(bot_user["username"]), permissions=set(bot_permissions))
        bot_role.managed = True
        bot_role.bot_id = int(bot_user["id"])
        self.bot_member = FakeMember(
            id=int(bot_user["id"]),
            name=str(bot_user["username"]),
            guild_id=guild_id,
            role_ids=[bot_role.id],
            bot=True,
        )
        self.members.append(self.bot_member)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[0]

    def add_role(
        self, name: str, permissions: set[str] | None = None, *, mentionable: bool = False
    ) -> FakeRole:
        role = FakeRole(
            id=self._ids(),
            name=name,
            permissions=permission_bits(permissions or set()),
            position=len(self.roles),
            mentionable=mentionable,
        )
        self.roles.append(role)
        self._emit("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.payload()})
        return role

    def add_member(
        self,
        name: str,
        *,
        permissions: set[str] | None = None,
        roles: list[FakeRole] | None = None,
        bot: bool = False,
    ) -> FakeMember:
        """Add a member; ``permissions`` are granted through a new role carrying them."""
        role_ids = [r.id for r in roles or []]
        if permissions:
            role_ids.append(self.add_role(f"{name}-perms", permissions=permissions).id)
        member = FakeMember(id=self._ids(), name=name, guild_id=self.id, role_ids=role_ids, bot=bot)
        self.members.append(member)
        self._emit("GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(self.id)})
        return member

    def add_text_channel(
        self,
        name: str,
        *,
        topic: str | None = None,
        deny_bot: set[str] | None = None,
        allow_bot: set[str] | None = None,
        deny_everyone: set[str] | None = None,
        overwrites: list[dict[str, Any]] | None = None,
    ) -> FakeChannel:
        """Add a text channel; ``deny_bot``/``allow_bot`` become a member overwrite for the bot."""
        ows = list(overwrites or [])
        if deny_everyone:
            ows.append(_overwrite(self.id, 0, set(), deny_everyone))
        if deny_bot or allow_bot:
            ows.append(_overwrite(self.bot_member.id, 1, allow_bot or set(), deny_bot or set()))
        channel = FakeChannel(
            id=self._ids(),
            name=name,
            guild_id=self.id,
            type=0,
            position=len(self.channels),
            topic=topic,
            overwrites=ows,
        )
        self.channels.append(channel)
        self._emit("CHANNEL_CREATE", channel.payload())
        return channel

    def member(self, user_id: int) -> FakeMember | None:
        return next((m for m in self.members if m.id == user_id), None)

    def role(self, role_id: int) -> FakeRole | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def channel(self, channel_id: int) -> FakeChannel | None:
        return next((c for c in [*self.channels, *self.threads] if c.id == channel_id), None)

    def default_channel(self) -> FakeChannel:
        """The first text channel, creating ``general`` when there is none."""
        for channel in self.channels:
            if channel.type == 0:
                return channel
        return self.add_text_channel("general")

    def base_permissions(self, member: FakeMember) -> int:
        """Guild-level permissions: owner/administrator get everything."""
        if member.id == self.owner.id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in member.role_ids:
            role = self.role(role_id)
            if role is not None:
                value |= role.permissions
        if value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def channel_permissions(self, member: FakeMember, channel: FakeChannel | None) -> int:
        """Discord's overwrite algorithm: @everyone, then roles (deny then allow), then member."""
        base = self.base_permissions(member)
        if base == ALL_PERMISSIONS or channel is None:
            return base
        if channel.is_thread and channel.parent_id is not None:
            parent = self.channel(channel.parent_id)
            return self.channel_permissions(member, parent)
        ows = {(int(o["id"]), int(o["type"])): o for o in channel.overwrites}
        everyone = ows.get((self.id, 0))
        if everyone:
            base = (base & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in member.role_ids:
            ow = ows.get((role_id, 0))
            if ow:
                allow |= int(ow["allow"])
                deny |= int(ow["deny"])
        base = (base & ~deny) | allow
        own = ows.get((member.id, 1))
        if own:
            base = (base & ~int(own["deny"])) | int(own["allow"])
        return base

    def payload(self) -> dict[str, Any]:
        """The full GUILD_CREATE payload."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "preferred_locale": "en-US",
            "features": [],
            "roles": [r.payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [c.payload() for c in self.channels],
            "threads": [t.payload() for t in self.threads if not t.archived],
            "members": [m.payload() for m in self.members],
            "member_count": len(self.members),
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "joined_at": self.bot_member.joined_at,
            "application_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "nsfw": False,
        }

    def _emit(self, event: str, data: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(self.id, event, data)


def _overwrite(target_id: int, kind: int, allow: set[str], deny: set[str]) -> dict[str, Any]:
    return {
        "id": str(target_id),
        "type": kind,
        "allow": str(permission_bits(allow)),
        "deny": str(permission_bits(deny)),
    }


def _opt_str(value: int | None) -> str | None:
    return None if value is None else str(value)
