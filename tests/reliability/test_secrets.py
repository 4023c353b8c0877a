"""The bot token stays secret: not in logs, error messages, replies or anything sent to Discord;
files that may hold it are git-ignored; the Docker image does not run as root.

(The crash test also searches the DEBUG output of every killed `python -m bot run` for its token.)
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember
from tests.fakediscord.runner import REPO_ROOT

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GsEcRt.never-shown-to-anyone_0123456789abcdef"


def _environment(**extra: str) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STUDYBOT_") and k != "DISCORD_TOKEN"
    }
    return {**inherited, "PYTHONPATH": str(REPO_ROOT), "DISCORD_TOKEN": TOKEN, **extra}


async def _bot_cli(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")


async def test_the_token_is_in_no_reply_request_or_log_line(
    discord: FakeDiscord,
    guild: FakeGuild,
    alice: FakeMember,
    mod: FakeMember,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unfiltered DEBUG logs of the library and the bot, every request body, every reply."""
    caplog.set_level(logging.DEBUG)
    discord.token = TOKEN
    async with BotRunner(discord, data_dir=tmp_path):
        await discord.slash(alice, guild, "log", topic="docker", minutes=30)
        for member, command in ((alice, "about"), (alice, "help"), (mod, "config show")):
            reply = await discord.slash(member, guild, command)
            assert TOKEN not in json.dumps(reply.embeds) + reply.content
        panel = await discord.slash(alice, guild, "privacy")
        export = next(
            c["custom_id"]
            for row in panel.components
            for c in row["components"]
            if c.get("label", "").startswith("Export")
        )
        exported = await discord.click(alice, guild, panel, export)
        assert exported.files and all(TOKEN.encode() not in f for f in exported.files.values())
        # An unexpected failure: Discord refuses the reply; the bot logs it with its traceback.
        discord.fail_next("POST /interactions/{id}/{token}/callback", status=400)
        await discord.slash(alice, guild, "about", _timeout=1.0, _wait_followup=False)
    for request in discord.requests:
        assert TOKEN not in json.dumps(request.json) + request.path
        assert all(TOKEN.encode() not in data for data in request.files.values())
    failures = [r for r in caplog.records if r.name == "bot.ui.errors" and r.exc_info]
    assert failures, "the failing reply should have been logged with its traceback"
    assert TOKEN not in caplog.text


async def test_a_rejected_token_is_reported_without_being_shown(tmp_path: Path) -> None:
    async with FakeDiscord() as discord:
        discord.fail_next("GET /users/@me", status=401, times=5)
        code, out = await _bot_cli(
            "run",
            cwd=tmp_path,
            env=_environment(
                STUDYBOT_DATABASE__URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                STUDYBOT_DISCORD__API_BASE_URL=discord.api_base_url,
                STUDYBOT_DISCORD__GATEWAY_URL=discord.gateway_url,
                STUDYBOT_LOG_LEVEL="DEBUG",
                STUDYBOT_ROADMAP__PATH=str(REPO_ROOT / "data" / "roadmap.yaml"),
            ),
        )
    assert code == 2, out
    assert "Discord rejected the token" in out
    assert TOKEN not in out


async def test_check_and_settings_errors_do_not_print_the_token(tmp_path: Path) -> None:
    env = _environment(STUDYBOT_ROADMAP__PATH=str(REPO_ROOT / "data" / "roadmap.yaml"))
    code, out = await _bot_cli("check", cwd=tmp_path, env=env)
    assert code == 0, out
    assert "token: set" in out and TOKEN not in out
    (tmp_path / "config.toml").write_text(
        f'[discord]\ntoken = "{TOKEN}"\nguild_ready_timeout = "soon"\n', encoding="utf-8"
    )
    code, out = await _bot_cli("check", cwd=tmp_path, env=env)
    assert code == 2 and "guild_ready_timeout" in out, out
    assert TOKEN not in out


@pytest.fixture
def ignore_rules(tmp_path: Path) -> Path:
    """A scratch git repository holding the project's .gitignore: its rules are judged by git
    itself, whether or not the tests run from a git checkout."""
    shutil.copy(REPO_ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "--quiet"], cwd=tmp_path, check=True)
    return tmp_path


def _ignored(repo: Path, path: str) -> bool:
    result = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", path],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


@pytest.mark.parametrize("path", ["config.toml", ".env", "data/bot.db", "data/backups/x.db"])
def test_files_that_may_hold_secrets_are_git_ignored(ignore_rules: Path, path: str) -> None:
    assert _ignored(ignore_rules, path), path


def test_the_example_settings_are_not_ignored_and_hold_no_token(ignore_rules: Path) -> None:
    assert not _ignored(ignore_rules, "config.example.toml")
    text = (REPO_ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert 'token = ""' in text


def test_the_docker_image_runs_as_a_user_that_is_not_root() -> None:
    users = []
    for raw in (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        words = raw.split()
        if words and words[0].upper() == "USER":
            users.append(words[1].split(":")[0] if len(words) > 1 else "")
    assert users, "the Dockerfile never sets USER, so the image runs as root"
    assert users[-1] not in {"root", "0", ""}, f"the image ends as {users[-1]!r}"
    first_other = next(i for i, user in enumerate(users) if user not in {"root", "0"})
    assert all(user not in {"root", "0"} for user in users[first_other:]), users
    compose = (REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "user: root" not in compose and 'user: "0' not in compose
