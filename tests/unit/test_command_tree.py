"""Walk every command of every cog and hold it to Discord's registration limits.

Discord rejects a whole sync when one command breaks a rule, so these are checked here, on the
payload discord.py would send, rather than discovered when a moderator runs sync-commands.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import StudyBot, cog_modules, open_bot
from bot.clock import FakeClock
from bot.config import load_settings
from tests.fakediscord.runner import DEFAULT_START, REPO_ROOT

NAME = re.compile(r"^[-_'\w]{1,32}$")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[StudyBot]:
    env = {
        "STUDYBOT_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "STUDYBOT_ROADMAP__PATH": str(REPO_ROOT / "data" / "roadmap.yaml"),
    }
    settings = load_settings(None, env=env, env_file=None)
    async with open_bot(settings, FakeClock(DEFAULT_START)) as study_bot:
        await study_bot.load_cogs()
        yield study_bot


def payloads(bot: StudyBot) -> list[dict[str, Any]]:
    return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]


def walk(options: list[dict[str, Any]], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for option in options:
        here = f"{path} {option['name']}"
        yield here, option
        yield from walk(option.get("options", []), here)


def characters(payload: dict[str, Any]) -> int:
    """Discord counts names, descriptions and choice names/values of a command and its options."""
    total = len(payload["name"]) + len(payload.get("description", ""))
    for option in payload.get("options", []):
        total += characters(option)
    for choice in payload.get("choices", []):
        total += len(choice["name"]) + len(str(choice["value"]))
    return total


async def test_every_cog_loads(bot: StudyBot) -> None:
    loaded = {cog.__module__ for cog in bot.cogs.values()}
    assert loaded == set(cog_modules())


async def test_commands_respect_discords_limits(bot: StudyBot) -> None:
    commands = payloads(bot)
    assert 0 < len(commands) <= 100
    for command in commands:
        where = f"/{command['name']}"
        assert NAME.match(command["name"]) and command["name"] == command["name"].lower(), where
        assert 1 <= len(command["description"]) <= 100, where
        assert len(command.get("options", [])) <= 25, where
        assert characters(command) <= 8000, where
        for path, option in walk(command.get("options", []), where):
            assert NAME.match(option["name"]) and option["name"] == option["name"].lower(), path
            assert 1 <= len(option["description"]) <= 100, path
            assert len(option.get("options", [])) <= 25, path
            choices = option.get("choices", [])
            assert len(choices) <= 25, path
            for choice in choices:
                assert 1 <= len(choice["name"]) <= 100, path
                assert len(str(choice["value"])) <= 100, path
            if option.get("autocomplete"):
                assert not choices, f"{path}: autocomplete and choices exclude each other"


async def test_no_two_commands_collide(bot: StudyBot) -> None:
    names = [c["name"] for c in payloads(bot)]
    assert len(names) == len(set(names))
    for command in payloads(bot):
        for _, option in walk(command.get("options", []), command["name"]):
            children = [o["name"] for o in option.get("options", [])]
            assert len(children) == len(set(children))


async def test_every_command_is_in_help(bot: StudyBot) -> None:
    from bot.ui import help as help_ui

    usages = {entry.usage for entry in help_ui.entries(bot.tree)}
    for command in payloads(bot):
        subcommands = [o for o in command.get("options", []) if o["type"] in (1, 2)]
        if not subcommands:
            assert f"/{command['name']}" in usages
        for path, option in walk(subcommands, "/" + command["name"]):
            if option["type"] == 1:
                assert path in usages
