"""BotProcess: `python -m bot run` as its own OS process, against a FakeDiscord over real TCP.

Where BotRunner runs StudyBot inside the test's event loop, this starts the real command line:
its own interpreter, the system clock, signal handling, its own database connections. Several
can run at once against one fake (shards split across processes, one scheduler among them).

The fake records the client end (host, port) of every gateway websocket and REST request; a
process `owns` such a peer when it is the client end of one of its open TCP connections to the
fake, so a test can say which process held a shard and which one answered an interaction.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    from .gateway import GatewaySession
    from .responses import Peer
    from .server import FakeDiscord

REPO_ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 20.0
STOP_WAIT_S = 20.0
CONNECT_WAIT_S = 60.0


async def until(
    condition: Callable[[], object], what: str, *, wait_s: float = WAIT_S, poll_s: float = 0.01
) -> None:
    """Poll until `condition()` is true. The wait is generous: it bounds a hang, it is not a
    timing assertion (a healthy bot gets there in milliseconds, or ~5 s for a re-IDENTIFY)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up after {wait_s} s waiting for {what}")
        await asyncio.sleep(poll_s)


class BotProcess:
    """One `python -m bot run` process. Its stdout and stderr go to `output` in `data_dir`,
    which is also its working directory (so no developer's config.toml or .env is read)."""

    def __init__(
        self,
        fake: FakeDiscord,
        *,
        data_dir: Path,
        database_url: str | None = None,
        env: Mapping[str, str] | None = None,
        token: str | None = None,
        name: str = "bot",
    ) -> None:
        self.fake = fake
        self.data_dir = Path(data_dir)
        self.database_url = database_url or f"sqlite+aiosqlite:///{self.data_dir / 'bot.db'}"
        self.token = token or fake.token
        self.name = name
        self.output = self.data_dir / f"{name}-output.log"
        self._env = dict(env or {})
        self._proc: asyncio.subprocess.Process | None = None

    def __repr__(self) -> str:
        return f"<BotProcess {self.name} pid={self.pid} returncode={self.returncode}>"

    # -- the process ------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("STUDYBOT_") and k != "DISCORD_TOKEN"
        }
        return {
            **inherited,
            "PYTHONPATH": str(REPO_ROOT),
            "DISCORD_TOKEN": self.token,
            "STUDYBOT_DATABASE__URL": self.database_url,
            "STUDYBOT_DISCORD__API_BASE_URL": self.fake.api_base_url,
            "STUDYBOT_DISCORD__GATEWAY_URL": self.fake.gateway_url,
            "STUDYBOT_DISCORD__GUILD_READY_TIMEOUT": "0.05",
            "STUDYBOT_ROADMAP__PATH": str(REPO_ROOT / "data" / "roadmap.yaml"),
            "STUDYBOT_LOG_LEVEL": "DEBUG",
            **self._env,
        }

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self._proc.returncode if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def start(self) -> None:
        if self.running:
            raise RuntimeError(f"{self} is already running")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.output.open("ab") as out:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.data_dir,
                env=self.environment(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )

    async def stop(
        self, sig: signal.Signals = signal.SIGINT, *, wait_s: float = STOP_WAIT_S
    ) -> int:
        """Send `sig`, wait for the exit, and until the fake saw the end of the gateway sessions
        the process held (so nothing is sent into a session nobody reads). Returns the exit
        code (negative: the signal that ended it)."""
        proc = self._proc
        assert proc is not None, "the process was never started"
        held = self.sessions() if proc.returncode is None else []
        if proc.returncode is None:
            proc.send_signal(sig)
        code = await asyncio.wait_for(proc.wait(), wait_s)
        gateway = self.fake.gateway
        await until(
            lambda: not any(s in gateway.sessions for s in held),
            f"the gateway sessions of {self.name} to end",
        )
        return code

    async def kill(self) -> None:
        """SIGKILL it if it still runs (for a test's clean-up)."""
        if self.running:
            assert self._proc is not None
            self._proc.kill()
            await self._proc.wait()

    async def __aenter__(self) -> BotProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.kill()

    def _check_alive(self, doing: str) -> None:
        if self._proc is not None and self._proc.returncode is not None:
            raise AssertionError(
                f"{self.name} exited with {self._proc.returncode} while {doing}:\n{self.tail()}"
            )

    # -- what it holds ----------------------------------------------------------------------

    def peers(self) -> set[Peer]:
        """The client ends (host, port) of the process's open TCP connections to the fake.

        Only connections whose far end is the fake count: Linux may give two sockets the same
        local port when they lead to different places (the database, say)."""
        if not self.running or self.pid is None:
            return set()
        try:
            connections = psutil.Process(self.pid).net_connections(kind="tcp")
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return set()
        return {
            (str(c.laddr.ip), int(c.laddr.port))
            for c in connections
            if c.laddr and c.raddr and c.raddr.port == self.fake.port
        }

    def owns(self, peer: Peer | None) -> bool:
        """Whether a connection the fake saw (its client end) is one of this process's."""
        return peer is not None and peer in self.peers()

    def sessions(self) -> list[GatewaySession]:
        """The fake's open gateway sessions that this process holds."""
        peers = self.peers()
        return [s for s in self.fake.gateway.sessions if s.peer in peers]

    def shards(self) -> set[int]:
        """The shards of the READY gateway sessions this process holds."""
        return {s.shard_id for s in self.sessions() if s.ready}

    async def connected(self, shards: int = 1, *, wait_s: float = CONNECT_WAIT_S) -> None:
        """Wait until the process holds `shards` READY gateway sessions (fails if it exits)."""

        def ready() -> bool:
            self._check_alive("connecting")
            return len(self.shards()) >= shards

        await until(ready, f"{self.name} to connect {shards} shard(s)", wait_s=wait_s)

    # -- its output -------------------------------------------------------------------------

    def text(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    async def logged(self, line: str, *, count: int = 1, wait_s: float = WAIT_S) -> None:
        """Wait until the process printed `line` (a part of a log line) `count` times."""

        def seen() -> bool:
            if self.text().count(line) >= count:
                return True
            self._check_alive(f"waiting for {line!r}")
            return False

        await until(seen, f"{self.name} to log {line!r}", wait_s=wait_s, poll_s=0.05)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:])
