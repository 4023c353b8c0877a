"""Every slash command the bot has, read from its own command tree.

The bad-input and permission tests are driven by this list, so a command added tomorrow is
fuzzed and permission-checked without anyone touching the tests. The tree is read once, from a
real `StudyBot` whose cogs are loaded the way `setup_hook` loads them (no Discord connection).
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from discord import AppCommandOptionType, app_commands
from discord.ext import commands

from bot.app import cog_modules, open_bot
from bot.clock import FakeClock
from bot.config import load_settings
from tests.fakediscord.runner import DEFAULT_START, REPO_ROOT


@dataclass(frozen=True)
class Option:
    name: str  # as Discord sends it (after any rename)
    type: AppCommandOptionType
    required: bool
    choices: tuple[Any, ...]
    min_value: float | None
    max_value: float | None
    autocomplete: bool


@dataclass(frozen=True)
class CommandSpec:
    path: str  # "group sub", as typed
    description: str
    group_description: str
    options: tuple[Option, ...]
    #: The command carries `moderator_only()`, or its cog checks every interaction itself.
    moderator_check: bool

    @property
    def documented_for_moderators(self) -> bool:
        """What members are told (/help shows these descriptions) says moderators only."""
        return self.description.startswith("Moderators:") or (
            "moderators" in self.group_description.lower()
        )

    @property
    def for_owners(self) -> bool:
        """ "Owner: ..." and "Owner or moderator: ..." group commands."""
        return self.description.startswith("Owner")

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)


def _is_moderator_check(check: Any) -> bool:
    return bool(
        getattr(check, "__module__", "") == "bot.ui.checks"
        and getattr(check, "__qualname__", "").startswith("moderator_only.")
    )


def _spec(command: app_commands.Command[Any, ..., Any]) -> CommandSpec:
    binding = command.binding
    cog_checks_itself = isinstance(binding, commands.Cog) and (
        "interaction_check" in vars(type(binding))
    )
    return CommandSpec(
        path=command.qualified_name,
        description=command.description,
        group_description=command.parent.description if command.parent else "",
        options=tuple(
            Option(
                name=p.display_name,
                type=p.type,
                required=p.required,
                choices=tuple(c.value for c in p.choices),
                min_value=p.min_value,
                max_value=p.max_value,
                autocomplete=p.autocomplete,
            )
            for p in command.parameters
        ),
        moderator_check=cog_checks_itself or any(map(_is_moderator_check, command.checks)),
    )


async def _collect() -> tuple[CommandSpec, ...]:
    with TemporaryDirectory() as folder:
        env = {
            "DISCORD_TOKEN": "unused",
            "STUDYBOT_DATABASE__URL": f"sqlite+aiosqlite:///{Path(folder) / 'bot.db'}",
            "STUDYBOT_ROADMAP__PATH": str(REPO_ROOT / "data" / "roadmap.yaml"),
        }
        settings = load_settings(None, env=env, env_file=None)
        async with open_bot(settings, FakeClock(DEFAULT_START)) as bot:
            for name in cog_modules():
                await bot.load_extension(name)
            return tuple(
                _spec(c) for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)
            )


@functools.cache
def all_commands() -> tuple[CommandSpec, ...]:
    """Every leaf command (subcommands of groups included), in tree order."""
    return asyncio.run(_collect())
