"""BotRunner: the real StudyBot, wired as `python -m bot run` wires it, against a FakeDiscord.

Opening a second runner on the same `data_dir` is a restart: same database, new process state.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import discord as discord_py
import yarl

from bot.app import StudyBot, open_bot
from bot.clock import Clock, FakeClock
from bot.config import load_settings

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from tests.fakediscord import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL_VARIABLE = "BOTRUNNER_DATABASE_URL"
DEFAULT_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning
READY_TIMEOUT = 15.0


class BotRunner:
    _active = 0  # runners started and not yet stopped, in this process
    _saved: tuple[str, yarl.URL] = (
        discord_py.http.Route.BASE,
        discord_py.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )

    def __init__(
        self,
        discord: FakeDiscord,
        *,
        data_dir: Path,
        clock: Clock | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.discord = discord
        self.data_dir = Path(data_dir)
        self.clock: FakeClock = clock if isinstance(clock, FakeClock) else FakeClock(DEFAULT_START)
        if clock is not None and not isinstance(clock, FakeClock):
            raise TypeError("BotRunner needs a FakeClock so tests can move time")
        self._env = dict(env or {})
        self._bot: StudyBot | None = None
        self._context: AbstractAsyncContextManager[StudyBot] | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def bot(self) -> StudyBot:
        if self._bot is None:
            raise RuntimeError("the runner is not started")
        return self._bot

    @property
    def database_url(self) -> str:
        """The data dir's SQLite file, unless the test run picked another database
        (tests/e2e/conftest.py runs every end-to-end test on PostgreSQL too)."""
        chosen = os.environ.get(DATABASE_URL_VARIABLE)
        return chosen or f"sqlite+aiosqlite:///{self.data_dir / 'bot.db'}"

    def settings_env(self) -> dict[str, str]:
        return {
            "DISCORD_TOKEN": self.discord.token,
            "STUDYBOT_DATABASE__URL": self.database_url,
            "STUDYBOT_DISCORD__API_BASE_URL": self.discord.api_base_url,
            "STUDYBOT_DISCORD__GATEWAY_URL": self.discord.gateway_url,
            "STUDYBOT_DISCORD__GUILD_READY_TIMEOUT": "0.05",
            "STUDYBOT_ROADMAP__PATH": str(REPO_ROOT / "data" / "roadmap.yaml"),
            **self._env,
        }

    async def __aenter__(self) -> BotRunner:
        if BotRunner._active == 0:
            BotRunner._saved = (
                discord_py.http.Route.BASE,
                discord_py.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
            )
        BotRunner._active += 1
        settings = load_settings(None, env=self.settings_env(), env_file=None)
        self._context = open_bot(settings, self.clock)
        self._bot = await self._context.__aenter__()
        self._task = asyncio.create_task(self._bot.start(settings.discord.token))
        ready = asyncio.create_task(self._bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            failure = self._task.exception() if self._task.done() else None
            await self.__aexit__(None, None, None)
            if failure is not None:
                raise failure
            raise AssertionError("the bot did not become ready against the fake Discord")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._context is not None:
                await self._context.__aexit__(exc_type, exc, tb)
            if self._task is not None and not self._task.done():
                self._task.cancel()
            if self._task is not None:
                # Its outcome was reported already (or no longer matters) once we stop.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._task
        finally:
            BotRunner._active -= 1
            if BotRunner._active == 0:
                # discord.py's endpoints are class attributes: restore them only when the last
                # runner in this process stops, not under a second bot still running.
                discord_py.http.Route.BASE, discord_py.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                    self._saved
                )
            self._context = None

    async def run_due(self) -> None:
        """Run the scheduled work due at the clock's time: the same code the timers call."""
        await self.bot.run_due()
