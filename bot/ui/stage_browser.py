"""The /roadmap view: a stage picker, and Previous/Next through the chosen stage's topics."""

from __future__ import annotations

import discord

from bot.core.progress_view import TopicProgress
from bot.roadmap import Roadmap
from bot.ui import roadmap_embeds
from bot.ui.format import truncate
from bot.ui.views import StudyView


class StageBrowser(StudyView):
    def __init__(
        self,
        roadmap: Roadmap,
        progress: TopicProgress,
        track: str | None,
        *,
        owner_id: int,
        stage_id: str | None = None,
        timeout: float | None = 300,
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=timeout)
        self.roadmap = roadmap
        self.progress = progress
        self.track = track
        self.pages: list[discord.Embed] = [roadmap_embeds.overview(roadmap, progress, track)]
        self.index = 0
        self.stage_picker = StagePicker(roadmap, track)
        self.add_item(self.stage_picker)
        if stage_id is not None:
            self.open_stage(stage_id)
        self._update_controls()

    @property
    def current(self) -> discord.Embed:
        return self.pages[self.index]

    def open_stage(self, stage_id: str) -> None:
        for number, stage in enumerate(self.roadmap.stages, start=1):
            if stage.id == stage_id:
                self.pages = roadmap_embeds.stage_pages(stage, number, self.progress, self.track)
                self.index = 0
                self.stage_picker.mark(stage_id)
                return
        raise KeyError(stage_id)

    def _update_controls(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.previous.label = "Previous"
        self.next.label = f"Next ({self.index + 1}/{len(self.pages)})"
        if len(self.pages) == 1:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        elif self.previous not in self.children:
            self.add_item(self.previous)
            self.add_item(self.next)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, row=1)
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[StageBrowser]
    ) -> None:
        self.index = max(self.index - 1, 0)
        await self.show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary, row=1)
    async def next(
        self, interaction: discord.Interaction, _: discord.ui.Button[StageBrowser]
    ) -> None:
        self.index = min(self.index + 1, len(self.pages) - 1)
        await self.show(interaction)

    async def show(self, interaction: discord.Interaction) -> None:
        self._update_controls()
        await interaction.response.edit_message(embed=self.current, view=self)


class StagePicker(discord.ui.Select["StageBrowser"]):
    def __init__(self, roadmap: Roadmap, track: str | None) -> None:
        super().__init__(
            placeholder="Open a stage…",
            options=[
                discord.SelectOption(
                    label=truncate(f"{number}. {stage.title}", 100),
                    value=stage.id,
                    description=truncate(
                        f"{len(roadmap_embeds.stage_topics(stage, track))} topics", 100
                    ),
                )
                for number, stage in enumerate(roadmap.stages[:25], start=1)
            ],
        )

    def mark(self, stage_id: str) -> None:
        for option in self.options:
            option.default = option.value == stage_id

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        self.view.open_stage(self.values[0])
        await self.view.show(interaction)
