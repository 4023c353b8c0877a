"""Base classes for views and modals: errors go to the shared reporter, and a view can be locked
to the member it was made for."""

from __future__ import annotations

import contextlib
from typing import Any

import discord

from bot.ui import errors


class StudyView(discord.ui.View):
    """A view whose buttons only `owner_id` may use (when given), with friendly error replies."""

    def __init__(self, *, owner_id: int | None = None, timeout: float | None = 180) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.owner_id is None or interaction.user.id == self.owner_id:
            return True
        await errors.send_ephemeral(
            interaction,
            "These buttons belong to someone else's command; run it yourself to use them.",
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await errors.report(interaction, error)

    async def on_timeout(self) -> None:
        """Grey the buttons out so a stale page doesn't look usable."""
        if self.message is None:
            return
        for child in self.children:
            if isinstance(child, discord.ui.Button | discord.ui.Select):
                child.disabled = True
        with contextlib.suppress(discord.HTTPException):
            await self.message.edit(view=self)


class StudyModal(discord.ui.Modal):
    async def on_error(  # type: ignore[override]  # Modal's on_error has no item argument
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        await errors.report(interaction, error)
