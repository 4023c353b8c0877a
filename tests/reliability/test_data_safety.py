"""Data safety: a backup taken while members write holds every answered write and is sound, and
a database from any earlier schema upgrades to the latest without losing a row.

(`/privacy` delete leaving nothing of the member is proven in tests/e2e/test_privacy_config.py:
every member table is counted before and after, through the real bot.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from bot.clock import FakeClock
from bot.storage import migrate
from bot.storage.engine import create_engine
from tests.e2e.scheduling_helpers import SUNDAY_NOON, add_channel, schedule_challenges
from tests.fakediscord import BotRunner, FakeDiscord, FakeGuild, FakeMember, Response
from tests.fakediscord.runner import REPO_ROOT
from tests.reliability.helpers import integrity

MONDAY_NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# -- backup while the bot writes ------------------------------------------------------------


async def test_a_backup_taken_during_writes_holds_every_earlier_answer(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, alice: FakeMember, tmp_path: Path
) -> None:
    members = [alice, *(guild.add_member(f"m{i}") for i in range(3))]
    answered: list[tuple[str, Response]] = []
    stop, warmed_up = asyncio.Event(), asyncio.Event()

    async def keep_logging(member: FakeMember) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            note = f"{member.name}-{n}"
            reply = await discord.slash(member, guild, "log", topic="docker", minutes=5, note=note)
            answered.append((note, reply))
            if len(answered) >= 40:
                warmed_up.set()

    writers = [asyncio.create_task(keep_logging(m)) for m in members]
    await warmed_up.wait()
    before_backup = [note for note, reply in answered if "Logged" in reply.content]
    target = tmp_path / "backups" / "copy.db"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")},
        **runner.settings_env(),
    }
    backup = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        str(target),
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(REPO_ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await backup.communicate()  # the bot keeps answering meanwhile
    written_during = len(answered) - len(before_backup)
    stop.set()
    for task in writers:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert backup.returncode == 0, err.decode()
    assert "backup written" in out.decode()
    assert written_during > 0, "no write ran while the backup was taken"

    assert integrity(target) == "ok"
    copy = sqlite3.connect(target)
    try:
        notes = {note for (note,) in copy.execute("SELECT note FROM study_sessions")}
        (version,) = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copy.close()
    missing = [note for note in before_backup if note not in notes]
    assert not missing, f"answered before the backup began, missing from it: {missing}"
    assert version == migrate.head_revision()
    assert not target.with_name("copy.db.partial").exists()


# -- every earlier schema upgrades without loss ----------------------------------------------


def _modal_values(shown: Response, by_label: dict[str, str]) -> dict[str, str]:
    assert shown.modal is not None
    values = {}
    for row in shown.modal["components"]:
        for item in [row, *row.get("components", []), row.get("component") or {}]:
            label = str(item.get("label", ""))
            inner = item.get("component") if item.get("type") == 18 else item
            if not isinstance(inner, dict) or inner.get("type") != 4:
                continue
            label = label or str(inner.get("label", ""))
            for start, value in by_label.items():
                if label.startswith(start):
                    values[inner["custom_id"]] = value
    return values


async def populate(discord: FakeDiscord, runner: BotRunner, guild: FakeGuild) -> None:
    """A month of a small server, through the real bot: every table gets rows."""
    alice, bob, carol = (guild.add_member(n) for n in ("alice", "bob", "carol"))
    mod = guild.add_member("mod", permissions={"manage_guild"})
    role = guild.add_role("learners", mentionable=True)
    discord.permitted_pings.add(role.id)
    channel = await add_channel(runner, guild, "challenges")
    runner.clock.set(SUNDAY_NOON)

    async def ok(member: FakeMember, command: str, /, **options: Any) -> Response:
        reply = await discord.slash(member, guild, command, **options)
        assert "went wrong" not in reply.content, (command, reply.content)
        return reply

    await ok(mod, "config timezone", zone="Europe/Berlin")
    await ok(mod, "config streak-minimum", minutes=20)
    await ok(carol, "remind streak", hours_before=3)
    await ok(bob, "remind study", time="13:15", days="daily")
    await runner.clock.advance(minutes=15)
    await runner.run_due()  # 13:15 in Berlin: bob's reminder goes out (and is recorded)
    assert discord.dms_to(bob), "the study reminder was not sent"
    await ok(mod, "config ping-role", role=role)
    await ok(alice, "timezone", zone="Asia/Tokyo")
    await ok(bob, "track", language="python")
    await ok(alice, "group create", name="Night Owls", topic="docker", description="evenings")
    await ok(bob, "group join", name="Night Owls")
    await ok(carol, "group create", name="Closed Circle", is_open=False)
    await ok(carol, "group invite", member=alice)
    await ok(alice, "group settings", group="Night Owls", quorum=1)
    for member in (alice, bob, carol):
        await ok(member, "log", topic="git-basics", minutes=25, note="basics", day="yesterday")
        await ok(member, "log", topic="docker", minutes=30, note=f"{member.name} on docker")
    await ok(alice, "done", topic="git-basics")
    await ok(bob, "streak pause", days=2)
    await ok(mod, "streak adjust", member=carol, days=4, reason="lost a day to an outage")
    shown = await ok(mod, "challenge add")
    values = _modal_values(
        shown,
        {
            "Title": "Build a tiny queue",
            "Brief": "A queue with retries",
            "Deliverable": "A repository",
            "Difficulty": "beginner",
            "Topic ids": "docker",
        },
    )
    assert shown.modal is not None
    added = await discord.submit_modal(mod, guild, shown, shown.modal["custom_id"], values)
    assert "Added **Build a tiny queue**" in added.content, added.content
    await schedule_challenges(discord, mod, guild, channel)
    await ok(mod, "schedule tips", channel=channel, days="mon,wed", time="10:00")
    runner.clock.set(MONDAY_NINE.replace(hour=10))
    await runner.run_due()
    pool = await discord.autocomplete(mod, guild, "challenge queue", "challenge", "")
    await ok(mod, "challenge queue", challenge=pool[-1][1], week="2026-W12")
    await ok(alice, "challenge submit", link="https://github.com/alice/queue", minutes=40)
    await ok(alice, "privacy")  # creates nothing by itself; the toggle below does
    await runner.bot.services.guild_settings.update_member(
        guild.id, bob.id, runner.clock.now(), hide_from_leaderboards=True
    )


def _tables(connection: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        n
        for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
        )
    ]
    return {n: [c[1] for c in connection.execute(f'PRAGMA table_info("{n}")')] for n in names}


def _rows(
    connection: sqlite3.Connection, table: str, columns: list[str]
) -> Counter[tuple[Any, ...]]:
    listed = ", ".join(f'"{c}"' for c in columns)
    return Counter(tuple(r) for r in connection.execute(f'SELECT {listed} FROM "{table}"'))


@pytest.fixture(scope="module")
def today_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at the latest schema, full of what the bot writes in normal use."""
    folder = tmp_path_factory.mktemp("today")

    async def build() -> None:
        async with FakeDiscord() as discord:
            guild = discord.create_guild("Backend Learners")
            async with BotRunner(discord, data_dir=folder, clock=FakeClock(SUNDAY_NOON)) as runner:
                await populate(discord, runner, guild)
            assert discord.violations == []

    asyncio.run(build())
    return folder / "bot.db"


REVISIONS = [
    r.revision
    for r in reversed(list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()))
]


@pytest.mark.parametrize("revision", REVISIONS[:-1])
async def test_a_database_from_an_earlier_schema_upgrades_without_loss(
    revision: str, today_db: Path, tmp_path: Path
) -> None:
    """Today's rows, written into a database at `revision` (each table and column that existed
    then), must come through the upgrade to the latest schema unchanged."""
    old_path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{old_path}"
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine, revision)
    finally:
        await engine.dispose()

    today = sqlite3.connect(today_db)
    old = sqlite3.connect(old_path)
    copied: dict[str, tuple[list[str], Counter[tuple[Any, ...]]]] = {}
    try:
        now_tables = _tables(today)
        for table, columns in _tables(old).items():
            assert table in now_tables, f"{table} (revision {revision}) was dropped since"
            lost = set(columns) - set(now_tables[table])
            assert not lost, f"{table}.{sorted(lost)} (revision {revision}) were dropped since"
            rows = _rows(today, table, columns)
            assert rows, f"the scenario wrote no {table} row: extend populate()"
            listed = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            old.executemany(
                f'INSERT INTO "{table}" ({listed}) VALUES ({marks})', list(rows.elements())
            )
            copied[table] = (columns, rows)
        old.commit()
    finally:
        today.close()
        old.close()

    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()
    assert integrity(old_path) == "ok"
    upgraded = sqlite3.connect(old_path)
    try:
        for table, (columns, rows) in copied.items():
            assert _rows(upgraded, table, columns) == rows, f"{table} changed in the upgrade"
    finally:
        upgraded.close()
