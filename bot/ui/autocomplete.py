"""Autocomplete callbacks and the matching resolvers for values a client could forge.

Autocomplete is a suggestion, not a guarantee: a client may send any string as the option's
value, so every command resolves what it received through the same functions and answers an
unknown value with a friendly message instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from bot.core.errors import NotFound
from bot.roadmap import Stage, Topic
from bot.ui.format import truncate

if TYPE_CHECKING:
    import discord

    from bot.services import Services

CHOICES_MAX = 25


async def topic_choices(
    services: Services, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    track = None
    if interaction.guild_id is not None:
        track = await services.guild_settings.track(interaction.guild_id, interaction.user.id)
    topics = services.topic_index.search(current[:100], track=track, limit=CHOICES_MAX)
    return [app_commands.Choice(name=truncate(t.title, 100), value=t.id) for t in topics]


def stage_choices(services: Services, current: str) -> list[app_commands.Choice[str]]:
    needle = current.casefold().strip()
    stages = [
        (number, stage)
        for number, stage in enumerate(services.roadmap.stages, start=1)
        if not needle or needle in stage.title.casefold() or needle in stage.id
    ]
    return [
        app_commands.Choice(name=truncate(f"{number}. {stage.title}", 100), value=stage.id)
        for number, stage in stages[:CHOICES_MAX]
    ]


def resolve_topic(services: Services, value: str) -> Topic:
    """The topic a member meant: an id from autocomplete, or a title typed out in full."""
    roadmap = services.roadmap
    cleaned = value.strip()
    topic = roadmap.topic(cleaned.lower())
    if topic is not None:
        return topic
    folded = cleaned.casefold()
    for candidate in roadmap.topics:
        if candidate.title.casefold() == folded:
            return candidate
    raise NotFound(
        f"I couldn't find a topic called “{truncate(_plain(cleaned), 80)}”. "
        "Start typing and pick one from the list."
    )


def resolve_stage(services: Services, value: str) -> tuple[int, Stage]:
    cleaned = value.strip()
    folded = cleaned.casefold()
    for number, stage in enumerate(services.roadmap.stages, start=1):
        if folded in {stage.id, stage.title.casefold(), str(number)}:
            return number, stage
    raise NotFound(
        f"There is no stage called “{truncate(_plain(cleaned), 80)}”. Pick one from the list."
    )


def _plain(text: str) -> str:
    """Echo member input without markdown or mention syntax surprises."""
    return text.replace("`", "'").replace("@", "@\u200b").replace("\n", " ")
