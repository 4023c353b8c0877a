"""The weekly challenge post, its recap, tip posts, and the Submit button that survives restarts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.core.challenges import ChallengeItem, TipItem
from bot.roadmap import Roadmap
from bot.ui.format import timestamp, truncate

COLOUR = discord.Colour.from_rgb(235, 142, 52)
DIFFICULTY_ICON = {"beginner": "🟢", "intermediate": "🟡", "advanced": "🔴"}


@dataclass(frozen=True, slots=True)
class Recap:
    title: str
    submitters: Sequence[int]
    top_streaks: Sequence[tuple[int, int]]
    group_streaks: Sequence[tuple[str, int]] = ()


def challenge_embed(
    challenge: ChallengeItem, roadmap: Roadmap, deadline: datetime, *, week: str
) -> discord.Embed:
    icon = DIFFICULTY_ICON.get(challenge.difficulty, "🏁")
    embed = discord.Embed(
        title=truncate(f"🏁 Weekly challenge: {challenge.title}", 256),
        description=truncate(challenge.brief, 4096),
        colour=COLOUR,
    )
    embed.add_field(name="Deliverable", value=truncate(challenge.deliverable, 1024), inline=False)
    embed.add_field(name="Difficulty", value=f"{icon} {challenge.difficulty}")
    if challenge.hours:
        embed.add_field(name="Estimated", value=f"~{challenge.hours} h")
    embed.add_field(
        name="Deadline", value=f"{timestamp(deadline, 'F')} ({timestamp(deadline, 'R')})"
    )
    titles = [topic.title if (topic := roadmap.topic(t)) else t for t in challenge.topics]
    embed.add_field(name="Topics", value=truncate(", ".join(titles), 1024), inline=False)
    if challenge.hints:
        hints = "\n".join(f"• ||{truncate(h, 200)}||" for h in challenge.hints)
        embed.add_field(name="Hints (spoilers)", value=truncate(hints, 1024), inline=False)
    if challenge.stretch:
        stretch = "\n".join(f"• {truncate(s, 200)}" for s in challenge.stretch)
        embed.add_field(name="Stretch goals", value=truncate(stretch, 1024), inline=False)
    embed.set_footer(text=f"{week} · press Submit or use /challenge submit")
    return embed


def recap_embed(recap: Recap) -> discord.Embed:
    count = len(recap.submitters)
    names = ", ".join(f"<@{user}>" for user in recap.submitters[:30])
    if count > 30:
        names += f" and {count - 30} more"
    lines = [
        f"**{count}** submitted to “{truncate(recap.title, 100)}”"
        + (f": {names}" if names else "."),
    ]
    if recap.top_streaks:
        streaks = ", ".join(f"<@{user}> {days} days" for user, days in recap.top_streaks)
        lines.append(f"🔥 Longest streaks: {streaks}")
    if recap.group_streaks:
        groups = ", ".join(
            f"**{truncate(name, 40)}** {days} days" for name, days in recap.group_streaks[:10]
        )
        lines.append(f"👥 Groups that kept their streak: {groups}")
    return discord.Embed(
        title="Last week", description=truncate("\n".join(lines), 4096), colour=COLOUR
    )


def tip_embed(tip: TipItem, roadmap: Roadmap) -> discord.Embed:
    embed = discord.Embed(title="💡 Tip", description=truncate(tip.text, 4096), colour=COLOUR)
    if tip.url:
        embed.add_field(name="Read more", value=truncate(tip.url, 1024), inline=False)
    topic = roadmap.topic(tip.topic) if tip.topic else None
    if topic is not None:
        embed.set_footer(text=truncate(f"Topic: {topic.title} · /topic {topic.id}", 2048))
    return embed


class SubmitButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"challenge:submit:(?P<period>\d{4}-W\d{2})",
):
    """A Submit button whose custom id carries the challenge week, so a click is understood
    after a restart without remembering any view."""

    def __init__(self, period: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Submit",
                style=discord.ButtonStyle.success,
                emoji="📤",
                custom_id=f"challenge:submit:{period}",
            )
        )
        self.period = period

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SubmitButton:
        return cls(match["period"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.ui.challenge_modals import SubmitModal

        await interaction.response.send_modal(SubmitModal(self.period))


def submit_view(period: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(SubmitButton(period))
    return view
