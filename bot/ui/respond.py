"""Answering within Discord's 3 seconds, however busy the bot is.

A command's work usually takes milliseconds, but a burst (200 members logging at once) queues
behind the database's one writer, and an interaction not answered within 3 s is dead: the member
sees "The application did not respond" although their data was saved. `in_time` runs the work
and, only if it is still running after `DEFER_AFTER_S`, defers the interaction ("thinking...")
so the answer can follow when ready; `send` then picks the response or the follow-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

T = TypeVar("T")
DEFER_AFTER_S = 1.5


async def in_time(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool) -> T:
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), DEFER_AFTER_S)
    except TimeoutError:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await task


async def send(
    interaction: discord.Interaction, content: str, *, ephemeral: bool, **kw: Any
) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, **kw)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kw)
