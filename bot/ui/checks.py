"""Command checks enforced by the bot itself, not only by Discord's default permissions.

A server can override default member permissions in its integration settings, so a command that
changes other members' data must check again when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.app import StudyBot

T = TypeVar("T")

NOT_A_MODERATOR = (
    "Only moderators can do that: members with **Manage Server**, or with the server's "
    "moderator role (`/config moderator-role`)."
)


async def is_moderator(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild or member.guild_permissions.administrator:
        return True
    bot: StudyBot = interaction.client  # type: ignore[assignment]
    config = await bot.services.guild_settings.guild(interaction.guild_id)
    return config.moderator_role_id is not None and any(
        role.id == config.moderator_role_id for role in member.roles
    )


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(NOT_A_MODERATOR)


def moderator_only() -> Callable[[T], T]:
    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if not await is_moderator(interaction):
            raise NotModerator
        return True

    return app_commands.check(predicate)
