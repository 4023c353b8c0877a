"""Delivers reminders: a DM, else a mention in the server's reminders channel, else a note for
the member's next command. The only place besides the publisher that speaks unasked."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.core.reminder_service import ReminderToSend
from bot.ui.reminder_views import reminder_message

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
CANNOT_DM = 50007


class ReminderSender:
    def __init__(self, client: discord.Client, services: Services) -> None:
        self.client = client
        self.services = services
        self._lock = asyncio.Lock()

    async def sweep(self, now: datetime) -> int:
        """Send every reminder due at `now`; return how many reached the member."""
        async with self._lock:
            delivered = 0
            for item in await self.services.reminders.due(now):
                if not await self.services.reminders.claim(item, via="dm"):
                    continue
                delivered += await self._deliver(item)
            return delivered

    async def _deliver(self, item: ReminderToSend) -> int:
        row = item.row
        guild = self.client.get_guild(row.guild_id)
        config = await self.services.guild_settings.guild(row.guild_id)
        content, view = reminder_message(
            item, guild.name if guild else "your server", config.streak_minimum
        )
        try:
            channel = await self.client.create_dm(discord.Object(row.user_id))
            await channel.send(content, view=view, allowed_mentions=discord.AllowedMentions.none())
            return 1
        except discord.Forbidden as exc:
            if exc.code != CANNOT_DM:
                log.warning("reminder for %s in %s refused: %s", row.user_id, row.guild_id, exc)
        except discord.HTTPException as exc:
            log.warning("reminder for %s in %s failed: %s", row.user_id, row.guild_id, exc)
            return 0
        return await self._fallback(item, content, view, config.reminders_channel_id)

    async def _fallback(
        self,
        item: ReminderToSend,
        content: str,
        view: discord.ui.View,
        channel_id: int | None,
    ) -> int:
        row = item.row
        reminders = self.services.reminders
        if channel_id is not None:
            channel = self.client.get_channel(channel_id)
            if isinstance(channel, discord.abc.Messageable):
                try:
                    await channel.send(
                        f"<@{row.user_id}> {content}",
                        view=view,
                        allowed_mentions=discord.AllowedMentions(
                            everyone=False, roles=False, users=[discord.Object(row.user_id)]
                        ),
                    )
                except discord.HTTPException as exc:
                    log.warning("reminders channel %s failed: %s", channel_id, exc)
                else:
                    await reminders.repo.update_send(row, item.local_date, "channel")
                    return 1
        await reminders.repo.update_send(row, item.local_date, "none")
        await reminders.repo.set_undeliverable(row.guild_id, row.user_id, True)
        return 0
