"""Changes to a fake server that happen to a running bot: a channel deleted, a permission taken
away, a channel of another kind. Each updates the model and sends the gateway event Discord
sends, so the bot's cache learns of it the way it would in production."""

from __future__ import annotations

from .models import FakeChannel, FakeGuild, _overwrite

CATEGORY = 4


def delete_channel(guild: FakeGuild, channel: FakeChannel) -> None:
    """Delete a channel: REST calls to it answer 404 Unknown Channel from now on."""
    guild.channels.remove(channel)
    guild._emit("CHANNEL_DELETE", channel.payload())


def deny_bot(guild: FakeGuild, channel: FakeChannel, permissions: set[str]) -> None:
    """A moderator takes permissions away from the bot in one channel (a member overwrite)."""
    bot_id = guild.bot_member.id
    channel.overwrites = [
        o for o in channel.overwrites if not (int(o["id"]) == bot_id and int(o["type"]) == 1)
    ]
    channel.overwrites.append(_overwrite(bot_id, 1, set(), permissions))
    guild._emit("CHANNEL_UPDATE", channel.payload())


def add_category(guild: FakeGuild, name: str) -> FakeChannel:
    """A category: what a forged option could name where a text channel is expected."""
    channel = FakeChannel(
        id=guild._ids(), name=name, guild_id=guild.id, type=CATEGORY, position=len(guild.channels)
    )
    guild.channels.append(channel)
    guild._emit("CHANNEL_CREATE", channel.payload())
    return channel
