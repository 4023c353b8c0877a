"""A study group's thread: opened in the server's groups channel, kept in step with members.

Every step is best effort: a missing permission or a deleted thread (403/404) is logged and never
breaks the command that triggered it. Without `/config groups-channel`, nothing happens at all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Literal

import discord

from bot.core.groups import Group, GroupEvent
from bot.ui.group_embeds import event_text

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)
# A week: a quiet group's thread tidies itself away.
ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 10080


class GroupThreads:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def open(self, group: Group) -> None:
        """Create the group's public thread, add its owner, and remember the thread."""
        config = await self.bot.services.guild_settings.guild(group.guild_id)
        if config.groups_channel_id is None:
            return
        channel = self.bot.get_channel(config.groups_channel_id)
        if not isinstance(channel, discord.TextChannel):
            log.warning(
                "groups channel %s not found in %s", config.groups_channel_id, group.guild_id
            )
            return
        try:
            thread = await channel.create_thread(
                name=group.name,
                type=discord.ChannelType.public_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
                reason=f"Study group {group.name}",
            )
            await self.bot.services.groups.set_thread(group, thread.id)
            await thread.add_user(discord.Object(id=group.owner_id))
        except discord.HTTPException as exc:
            log.warning("could not open the thread of group %s: %s", group.id, exc)

    async def add(self, group: Group, user_id: int) -> None:
        thread = await self._thread(group)
        if thread is not None:
            await self._try(thread.add_user(discord.Object(id=user_id)), group, "add a member")

    async def remove(self, group: Group, user_id: int) -> None:
        thread = await self._thread(group)
        if thread is not None:
            await self._try(
                thread.remove_user(discord.Object(id=user_id)), group, "remove a member"
            )

    async def close(self, group: Group) -> None:
        """The group ended: archive and lock its thread, keeping its history readable."""
        thread = await self._thread(group)
        if thread is not None:
            await self._try(thread.edit(archived=True, locked=True), group, "archive")

    async def announce(self, events: Iterable[GroupEvent]) -> None:
        for event in events:
            if event.thread_id is None:
                continue
            target = self.bot.get_partial_messageable(event.thread_id)
            try:
                await target.send(
                    event_text(event), allowed_mentions=discord.AllowedMentions.none()
                )
            except discord.HTTPException as exc:
                log.warning("could not post in the thread of group %s: %s", event.group_id, exc)

    async def _thread(self, group: Group) -> discord.Thread | None:
        if group.thread_id is None:
            return None
        found = self.bot.get_channel(group.thread_id)
        if isinstance(found, discord.Thread):
            return found
        try:
            fetched = await self.bot.fetch_channel(group.thread_id)
        except discord.HTTPException as exc:
            log.warning("thread %s of group %s is gone: %s", group.thread_id, group.id, exc)
            return None
        return fetched if isinstance(fetched, discord.Thread) else None

    async def _try(self, step: Awaitable[object], group: Group, what: str) -> None:
        try:
            await step
        except discord.HTTPException as exc:
            log.warning("could not %s in the thread of group %s: %s", what, group.id, exc)
