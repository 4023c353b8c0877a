"""Pages of embeds behind Previous/Next buttons that only the member who asked can press."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.ui.views import StudyView


class Paginator(StudyView):
    """Shows one embed at a time. With a single page it has no buttons at all."""

    def __init__(
        self, pages: Sequence[discord.Embed], *, owner_id: int, timeout: float | None = 300
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=timeout)
        if not pages:
            raise ValueError("a paginator needs at least one page")
        self.pages = list(pages)
        self.index = 0
        self._update_controls()

    @property
    def current(self) -> discord.Embed:
        return self.pages[self.index]

    def has_buttons(self) -> bool:
        return len(self.pages) > 1

    def _update_controls(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1} / {len(self.pages)}"
        if not self.has_buttons():
            self.clear_items()

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, custom_id="page:prev")
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]
    ) -> None:
        self.index = max(self.index - 1, 0)
        await self._show(interaction)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(
        self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]
    ) -> None:
        await interaction.response.defer()

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary, custom_id="page:next")
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]) -> None:
        self.index = min(self.index + 1, len(self.pages) - 1)
        await self._show(interaction)

    async def _show(self, interaction: discord.Interaction) -> None:
        self._update_controls()
        await interaction.response.edit_message(embed=self.current, view=self)


def chunked(lines: Sequence[str], *, per_page: int, max_chars: int = 3800) -> list[list[str]]:
    """Split lines into pages of at most `per_page` lines and `max_chars` characters."""
    pages: list[list[str]] = []
    page: list[str] = []
    size = 0
    for line in lines:
        if page and (len(page) >= per_page or size + len(line) + 1 > max_chars):
            pages.append(page)
            page, size = [], 0
        page.append(line)
        size += len(line) + 1
    if page:
        pages.append(page)
    return pages
