"""`/help`, generated from the command tree so it can never list a command that isn't there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.ui.format import truncate

FIELD_VALUE_MAX = 1024
FIELDS_PER_EMBED = 25
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
COLOUR = discord.Colour.blurple()


@dataclass(frozen=True, slots=True)
class HelpEntry:
    feature: str
    usage: str
    description: str


def entries(tree: app_commands.CommandTree[discord.Client]) -> list[HelpEntry]:
    """Every runnable chat command, as `/group sub`, grouped under its cog's name."""
    found: list[HelpEntry] = []
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        for leaf in _leaves(command):
            binding = leaf.binding
            feature = getattr(binding, "qualified_name", None) or "General"
            found.append(HelpEntry(feature, f"/{leaf.qualified_name}", leaf.description))
    return sorted(found, key=lambda e: (e.feature.casefold(), e.usage))


def _leaves(
    command: app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu,
) -> Iterable[app_commands.Command[Any, ..., Any]]:
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from _leaves(child)
    elif isinstance(command, app_commands.Command):
        yield command


def embeds(found: list[HelpEntry]) -> list[discord.Embed]:
    """Lay the entries out as embeds, one field (or more, when long) per feature."""
    fields: list[tuple[str, str]] = []
    by_feature: dict[str, list[str]] = {}
    for entry in found:
        line = f"`{entry.usage}` {truncate(entry.description, 100)}"
        by_feature.setdefault(entry.feature, []).append(line)
    for feature, lines in by_feature.items():
        chunk: list[str] = []
        for line in lines:
            if chunk and len("\n".join([*chunk, line])) > FIELD_VALUE_MAX:
                fields.append((feature, "\n".join(chunk)))
                chunk, feature = [], f"{feature} (more)"
            chunk.append(line)
        if chunk:
            fields.append((feature, "\n".join(chunk)))

    result: list[discord.Embed] = []
    current = _new_embed(first=True)
    for name, value in fields:
        size = len(current) + len(name) + len(value)
        if len(current.fields) >= FIELDS_PER_EMBED or size > EMBED_TOTAL_MAX - 200:
            result.append(current)
            current = _new_embed(first=False)
        current.add_field(name=name, value=value, inline=False)
    result.append(current)
    return result[:EMBEDS_PER_MESSAGE]


def _new_embed(*, first: bool) -> discord.Embed:
    if not first:
        return discord.Embed(colour=COLOUR)
    return discord.Embed(
        title="Roadmap Study Bot: commands",
        description=(
            "Browse the roadmap, log what you study, keep a streak alone or with a group. "
            "Options in [brackets] are optional."
        ),
        colour=COLOUR,
    )
