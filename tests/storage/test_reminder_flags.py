"""Members whose reminders could not be delivered: asked after every command, mostly from memory."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import reminders_repo
from bot.storage.reminders_repo import RemindersRepository

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def count_queries(engine: AsyncEngine) -> list[str]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_unflagged_members_cost_no_query_and_flags_reach_other_processes(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender, other = RemindersRepository(engine), RemindersRepository(engine)  # two processes
    for user in (1, 2):
        await sender.save(7, user, "streak", next_due_at=NOW, now=NOW, hours_before=4)
    assert not await other.has_undeliverable(7, 1)  # reads the (empty) flag list once

    queries = count_queries(engine)
    for user in range(1, 50):
        assert not await other.has_undeliverable(7, user)
    assert queries == []

    await sender.set_undeliverable(7, 1, True)
    assert await sender.has_undeliverable(7, 1)  # the flagging process knows at once
    assert not await other.has_undeliverable(7, 1)  # the other still trusts its list...
    monkeypatch.setattr(reminders_repo, "FLAGS_SECONDS", 0.0)
    assert await other.has_undeliverable(7, 1)  # ...until it is stale
    assert not await other.has_undeliverable(7, 2)

    await sender.remove(7, 1)  # a flagged member's reminder is gone: no notice for it
    assert not await other.has_undeliverable(7, 1)
    await other.set_undeliverable(7, 2, True)
    await other.set_undeliverable(7, 2, False)
    monkeypatch.setattr(reminders_repo, "FLAGS_SECONDS", 30.0)
    assert not await other.has_undeliverable(7, 2)
