"""Crash rounds: `python -m bot run` as its own process, killed with SIGKILL at random moments.

Each round adds a server whose weekly challenge is due this very minute (real clock: the process
runs on SystemClock), starts the bot, lets members of every server `/log` through the fake
Discord, and kills the process at a random moment: during start-up (migrations, cache, catch-up)
or while it answers and posts. After every kill the database must pass `PRAGMA integrity_check`,
hold every `/log` the bot answered (and nothing twice), keep its running totals equal to the raw
sessions, and no server may have more than one challenge post. A last start without a kill must
then deliver exactly one post per server.

`make soak` runs 100 rounds: `python -m tests.reliability.crash --rounds 100`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from bot.storage import migrate
from bot.storage.engine import create_engine
from tests.e2e.scheduling_helpers import challenge_due_now
from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMember, Response
from tests.fakediscord.process import BotProcess
from tests.reliability.helpers import integrity, until

#: A token the crash logs are searched for: it must never be printed.
TOKEN = "crash-test-token.MTIzNDU2Nzg5.secret-part-never-logged"
MEMBERS = 3
#: When a round's kill comes: during start-up, at a random moment once connected, or just after
#: the round's challenge post was claimed (between the claim, Discord's answer and the record).
PHASES = ("start-up", "running", "posting")


@dataclass
class Server:
    guild: FakeGuild
    channel: FakeChannel
    members: list[FakeMember]
    week: str  # the ISO week of its due challenge


@dataclass
class Round:
    number: int
    phase: str  # one of PHASES: when the kill came
    delay_s: float
    dispatched: int = 0
    answered: int = 0
    #: Where the kill found this round's post: none, claimed, claimed+on-discord, sent.
    post_state: str = ""
    #: In the "posting" phase: how long after connecting the bot claimed the post.
    claim_s: float | None = None

    def line(self) -> str:
        return (
            f"round {self.number:3d}: killed {self.delay_s:.2f} s into {self.phase:8s} "
            f"logs answered {self.answered:3d}/{self.dispatched:<3d} post: {self.post_state}"
            + (f" (claimed {self.claim_s:.2f} s after connecting)" if self.claim_s else "")
        )


@dataclass
class Log:
    note: str
    minutes: int
    response: Response


@dataclass
class CrashHarness:
    fake: FakeDiscord
    data_dir: Path
    seed: int = 1
    servers: list[Server] = field(default_factory=list)
    logs: list[Log] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # when to kill
        self.minutes = random.Random(self.seed + 1)  # what members log
        self.database = self.data_dir / "bot.db"
        self.bot = BotProcess(
            self.fake,
            data_dir=self.data_dir,
            database_url=f"sqlite+aiosqlite:///{self.database}",
            token=TOKEN,
        )
        self.output = self.bot.output

    # -- the process ------------------------------------------------------------------------

    async def stop(self, sig: signal.Signals) -> int:
        code = await self.bot.stop(sig)
        # A kill during start-up can land while a websocket is still being opened: wait until
        # the fake saw every session end, so no command is sent into a session nobody reads.
        gateway = self.fake.gateway
        await until(lambda: not gateway.sessions, "the gateway session of the stopped bot to end")
        return code

    def tail(self, lines: int = 40) -> str:
        return self.bot.tail(lines)

    # -- the world --------------------------------------------------------------------------

    async def prepare(self) -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{self.database}")
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    async def add_server(self, number: int) -> Server:
        """A server (created while the bot is down) whose challenge is due this minute."""
        guild = self.fake.create_guild(f"crash round {number}")
        channel = guild.add_text_channel("challenges")
        members = [guild.add_member(f"m{number}-{i}") for i in range(MEMBERS)]
        week = await challenge_due_now(self.bot.database_url, guild, channel)
        server = Server(guild, channel, members, week)
        self.servers.append(server)
        return server

    async def _keep_logging(self, server: Server, member: FakeMember, tag: str) -> None:
        n = 0
        while True:
            n += 1
            note = f"{tag}-{member.name}-{n}"
            minutes = self.minutes.randint(1, 90)
            response = await self.fake.dispatch_slash(
                member, server.guild, "log", topic="git-basics", minutes=minutes, note=note
            )
            self.logs.append(Log(note, minutes, response))
            await response.done.wait()

    # -- a round ----------------------------------------------------------------------------

    async def round(self, number: int) -> Round:
        server = await self.add_server(number)
        phase = self.rng.choices(PHASES, weights=(25, 40, 35))[0]
        delay = self.rng.uniform(0, {"start-up": 1.5, "running": 0.6, "posting": 0.05}[phase])
        record = Round(number, phase, delay)
        before = len(self.logs)
        await self.bot.start()
        # Members of this server and of an earlier one keep logging while the bot lives.
        earlier = self.servers[:-1]
        busy = [server, *([self.rng.choice(earlier)] if earlier else [])]
        loggers = [
            asyncio.create_task(self._keep_logging(s, m, f"r{number}"))
            for s in busy
            for m in s.members[:2]
        ]
        try:
            if phase != "start-up":
                await self.bot.connected()
            if phase == "posting":  # right after the post is claimed, around its send
                connected_at = time.monotonic()
                await until(lambda: self._post_state(server) != "none", "the post's claim")
                record.claim_s = time.monotonic() - connected_at
            await asyncio.sleep(delay)
            await self.stop(signal.SIGKILL)
        finally:
            for task in loggers:
                task.cancel()
            for task in loggers:
                with contextlib.suppress(asyncio.CancelledError, AssertionError):
                    await task
        mine = self.logs[before:]
        record.dispatched = len(mine)
        record.answered = sum(1 for log in mine if log.response.callback_type is not None)
        record.post_state = self._post_state(server)
        self.rounds.append(record)
        self.verify(final=False)
        return record

    async def finish(self) -> None:
        """A last start without a kill: every server gets its one post, then a clean stop."""
        await self.bot.start()
        await self.bot.connected()
        await until(
            lambda: all(self._post_state(s) == "sent" for s in self.servers),
            "every server's challenge post",
            wait_s=60,
        )
        server = self.servers[0]
        reply = await self.fake.slash(
            server.members[0], server.guild, "log", topic="git-basics", minutes=5, note="final"
        )
        self.logs.append(Log("final", 5, reply))
        code = await self.stop(signal.SIGINT)
        assert code == 0, f"a clean stop exits 0, not {code}:\n{self.tail()}"
        self.verify(final=True)

    # -- checks -----------------------------------------------------------------------------

    def _query(self, sql: str) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(self.database)
        try:
            return list(connection.execute(sql))
        finally:
            connection.close()

    def _post_state(self, server: Server) -> str:
        rows = self._query(
            f"SELECT status FROM posts WHERE kind = 'challenges' AND guild_id = {server.guild.id}"
        )
        on_discord = len(self.fake.messages_in(server.channel.id))
        if not rows:
            return "none" if not on_discord else "on-discord-unclaimed"
        status = str(rows[0][0])
        return f"{status}+on-discord" if status == "claimed" and on_discord else status

    def verify(self, *, final: bool) -> None:
        assert integrity(self.database) == "ok"
        answered = [log for log in self.logs if log.response.callback_type is not None]
        for log in answered:
            # A killed process answers nothing; an answer that is not a success is a bug.
            assert "Logged" in log.response.content, (log.note, log.response.content)
        stored = Counter(
            (str(note), int(str(minutes)))
            for note, minutes in self._query("SELECT note, minutes FROM study_sessions")
        )
        doubled = [key for key, count in stored.items() if count > 1]
        assert not doubled, f"sessions stored twice: {doubled}"
        lost = [log.note for log in answered if (log.note, log.minutes) not in stored]
        assert not lost, f"answered /log lost by a crash: {lost}"
        self._verify_totals()
        for server in self.servers:
            on_discord = len(self.fake.messages_in(server.channel.id))
            sent = self._query(
                "SELECT period, message_id FROM posts WHERE kind = 'challenges' "
                f"AND status = 'sent' AND guild_id = {server.guild.id}"
            )
            assert on_discord <= 1 and len(sent) <= 1, (server.guild.name, on_discord, sent)
            if final:
                assert on_discord == 1 and len(sent) == 1, (server.guild.name, on_discord, sent)
                message = self.fake.messages_in(server.channel.id)[0]
                assert sent[0] == (server.week, message.id), (sent, server.week, message.id)

    def _verify_totals(self) -> None:
        """Running totals change in the session's transaction: a crash never splits them."""
        raw = {
            (g, u): (m, n)
            for g, u, m, n in self._query(
                "SELECT guild_id, user_id, SUM(minutes), COUNT(*) FROM study_sessions "
                "GROUP BY guild_id, user_id"
            )
        }
        totals = {
            (g, u): (m, n)
            for g, u, m, n in self._query(
                "SELECT guild_id, user_id, minutes, sessions FROM member_totals"
            )
        }
        daily = {
            key: minutes
            for key, minutes in self._query(
                "SELECT guild_id || ':' || user_id, SUM(minutes) FROM daily_totals "
                "GROUP BY guild_id, user_id"
            )
        }
        assert totals == raw
        assert daily == {f"{g}:{u}": m for (g, u), (m, _) in raw.items()}

    def report(self, seconds: float, *, rounds: bool) -> str:
        lines = [r.line() for r in self.rounds] + [""] if rounds else []
        phases = Counter(r.phase for r in self.rounds)
        states = Counter(r.post_state for r in self.rounds)
        answered = sum(r.answered for r in self.rounds)
        dispatched = sum(r.dispatched for r in self.rounds)
        lines += [
            f"{len(self.rounds)} rounds in {seconds:.0f} s (seed {self.seed}): killed during "
            f"start-up {phases['start-up']}, while running {phases['running']}, "
            f"just after a post's claim {phases['posting']}",
            f"/log: {dispatched} sent, {answered} answered, every answered one stored once",
            "where the kill found the round's post: "
            + ", ".join(f"{state} {n}" for state, n in sorted(states.items())),
            f"after the last start: {len(self.servers)} servers, one challenge post each; "
            "integrity_check ok after every kill",
        ]
        return "\n".join(lines)


async def run_rounds(rounds: int, data_dir: Path, *, seed: int, verbose: bool = False) -> str:
    started = time.monotonic()
    async with FakeDiscord() as fake:
        harness = CrashHarness(fake, data_dir, seed=seed)
        await harness.prepare()
        try:
            for number in range(1, rounds + 1):
                record = await harness.round(number)
                if verbose:
                    print(record.line(), flush=True)
            await harness.finish()
        except BaseException:
            print(harness.tail(), file=sys.stderr)
            raise
        finally:
            await harness.bot.kill()
        secret_seen = TOKEN in harness.output.read_text(errors="replace")
        assert not secret_seen, "the token appeared in the bot's output"
        assert fake.violations == [], fake.violations
        return harness.report(time.monotonic() - started, rounds=not verbose)


def main() -> int:
    parser = argparse.ArgumentParser(description="Kill the bot at random moments; check data.")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    with TemporaryDirectory(prefix="studybot-soak-") as folder:
        print(f"soak: {args.rounds} crash rounds, seed {args.seed}", flush=True)
        report = asyncio.run(run_rounds(args.rounds, Path(folder), seed=args.seed, verbose=True))
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
