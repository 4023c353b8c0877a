"""Discord failing under a scheduled post: every fault ends as designed, and commands still work.

The matrix covers each way a `POST /channels/{id}/messages` can fail. A transient fault (5xx, a
dropped connection, rate limits) ends in exactly one post, every attempt carrying the same nonce;
a permanent one (403, 404) marks the schedule broken with a reason `/schedule show` gives, and
no run after that sends again until a moderator resumes it. In every case the last attempt is
held open by the fake while a member runs `/log`: the bot answers while the post is in flight.
(The 500-twice, 503-twice and 404-then-resume stories of tests/e2e/test_scheduling.py moved here.)
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.scheduling_helpers import add_channel, posts, schedule_challenges
from tests.fakediscord import BotRunner, FakeChannel, FakeDiscord, FakeGuild, FakeMember
from tests.fakediscord.holds import Hold
from tests.fakediscord.world import delete_channel, deny_bot

ROUTE = "POST /channels/{id}/messages"
MONDAY_NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEEK = "2026-W10"


@dataclass(frozen=True)
class Case:
    status: int = 500
    times: int = 1
    network: bool = False
    retry_after: float = 0.05
    code: int | None = None
    #: run_due calls that end without the post (a transient fault retried by the next run).
    failing_runs: int = 0
    #: POST requests in all, the successful one included.
    attempts: int = 1
    #: For a permanent fault: words of the reason the schedule is marked broken with.
    broken: str | None = None


CASES = {
    # discord.py retries 500/502/504 itself after 1 s: one run, one post.
    "500 retried by discord.py": Case(status=500, attempts=2),
    "502 retried by discord.py": Case(status=502, attempts=2),
    # 503 is not retried by discord.py: the run gives up and the next one retries.
    "503 twice": Case(status=503, times=2, failing_runs=2, attempts=3),
    "network error twice": Case(network=True, times=2, failing_runs=2, attempts=3),
    # 429: discord.py sleeps retry_after and tries again, up to 5 tries in one request.
    "429 twice, retry_after honoured": Case(status=429, times=2, retry_after=0.3, attempts=3),
    "429 five times: discord.py gives up": Case(
        status=429, times=5, retry_after=0.05, failing_runs=1, attempts=6
    ),
    "403 missing permissions": Case(status=403, code=50013, broken="missing permission"),
    "404 unknown channel": Case(status=404, code=10003, broken="no longer exists"),
}


async def _run_with_a_command_meanwhile(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, member: FakeMember, held: Hold
) -> None:
    """One run_due; if it reaches the held request, a member's /log is answered before the
    request is released, so the answer provably came while the post was in flight."""
    run = asyncio.create_task(runner.run_due())
    reached = asyncio.create_task(held.reached.wait())
    await asyncio.wait({run, reached}, return_when=asyncio.FIRST_COMPLETED)
    reached.cancel()
    if held.reached.is_set() and not held.released:
        reply = await discord.slash(member, guild, "log", topic="git-basics", minutes=20)
        assert "Logged **20 min**" in reply.content
        assert not run.done(), "the post should still be waiting on the held request"
        held.release()
    await run


async def _schedule(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> FakeChannel:
    channel = await add_channel(runner, guild, "challenges")
    await schedule_challenges(discord, mod, guild, channel)
    runner.clock.set(MONDAY_NINE)
    return channel


async def _no_more_attempts(runner: BotRunner, discord: FakeDiscord) -> None:
    """Later runs (the retry job every 2 minutes, the next day) send nothing more."""
    before = len(discord.requests_to(ROUTE))
    for step in (timedelta(minutes=2), timedelta(hours=1), timedelta(days=1)):
        await runner.clock.advance(seconds=step.total_seconds())
        await runner.run_due()
    assert len(discord.requests_to(ROUTE)) == before


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_a_fault_on_a_scheduled_post_ends_as_designed(
    case: Case,
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
    alice: FakeMember,
) -> None:
    channel = await _schedule(runner, discord, guild, mod)
    discord.fail_next(
        ROUTE,
        status=case.status,
        times=case.times,
        network=case.network,
        retry_after=case.retry_after,
        code=case.code,
    )
    held = discord.hold_next(ROUTE, skip=case.attempts - 1)
    for _ in range(case.failing_runs + 1):  # the failing runs, then the one that settles it
        await _run_with_a_command_meanwhile(runner, discord, guild, alice, held)
        await runner.clock.advance(minutes=2)  # the retry job's interval
    assert held.released, "the last attempt never reached the fake"

    attempts = discord.requests_to(ROUTE)
    assert len(attempts) == case.attempts
    assert len({r.json["nonce"] for r in attempts}) == 1, "a retry must reuse the nonce"
    if case.status == 429:
        for first, retry in itertools.pairwise(attempts):
            assert retry.at - first.at >= case.retry_after - 0.001, "retry_after not honoured"

    schedules = runner.bot.services.posting.schedules
    row = await schedules.get(guild.id, "challenges")
    post = await schedules.post(guild.id, "challenges", WEEK)
    assert row is not None and post is not None
    if case.broken is None:
        sent = posts(discord, channel)
        assert len(sent) == 1
        assert (row.status, row.reason) == ("active", None)
        assert (post.status, post.message_id) == ("sent", sent[0].id)
        await _no_more_attempts(runner, discord)
        assert len(posts(discord, channel)) == 1
        return

    assert posts(discord, channel) == []
    assert row.status == "broken" and row.reason and case.broken in row.reason
    assert post.status == "failed"
    await _no_more_attempts(runner, discord)
    shown = await discord.slash(mod, guild, "schedule show")
    text = shown.embeds[0]["fields"][0]["value"]
    assert "broken" in text and case.broken in text
    # A moderator fixes it and resumes: the next week posts, once.
    await discord.slash(mod, guild, "schedule resume", kind="challenges")
    runner.clock.set(MONDAY_NINE + timedelta(days=7))
    await runner.run_due()
    await runner.run_due()
    assert len(posts(discord, channel)) == 1


WORLD_CHANGES = {
    "send permission taken away": ("missing permission", "send"),
    "channel deleted": ("no longer exists", "delete"),
}


@pytest.mark.parametrize(("reason", "change"), WORLD_CHANGES.values(), ids=WORLD_CHANGES.keys())
async def test_a_server_change_breaks_the_schedule_with_its_reason(
    reason: str,
    change: str,
    runner: BotRunner,
    discord: FakeDiscord,
    guild: FakeGuild,
    mod: FakeMember,
) -> None:
    """The real 403/404 the fake answers after the server changed, not an injected fault."""
    channel = await _schedule(runner, discord, guild, mod)
    if change == "send":
        deny_bot(guild, channel, {"send_messages"})
    else:
        delete_channel(guild, channel)
    await runner.run_due()
    row = await runner.bot.services.posting.schedules.get(guild.id, "challenges")
    assert row is not None and row.status == "broken"
    assert row.reason and reason in row.reason
    await _no_more_attempts(runner, discord)
    assert posts(discord, channel) == []


async def test_a_post_failing_past_the_grace_window_is_recorded_missed_not_sent_late(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    channel = await _schedule(runner, discord, guild, mod)
    discord.fail_next(ROUTE, status=503, times=2)
    await runner.run_due()  # 09:00: fails
    runner.clock.set(MONDAY_NINE + timedelta(hours=11, minutes=59))
    await runner.run_due()  # still within the 12 h grace: fails again
    runner.clock.set(MONDAY_NINE + timedelta(hours=12, minutes=1))
    await runner.run_due()  # Discord is back, but the post is too late now
    assert posts(discord, channel) == []
    assert len(discord.requests_to(ROUTE)) == 2
    schedules = runner.bot.services.posting.schedules
    post = await schedules.post(guild.id, "challenges", WEEK)
    row = await schedules.get(guild.id, "challenges")
    assert post is not None and post.status == "missed"
    assert row is not None and row.status == "active", "a transient fault never breaks it"
    runner.clock.set(MONDAY_NINE + timedelta(days=7))
    await runner.run_due()
    assert len(posts(discord, channel)) == 1


async def test_a_failed_post_now_is_retried_by_the_next_run(
    runner: BotRunner, discord: FakeDiscord, guild: FakeGuild, mod: FakeMember
) -> None:
    """/schedule post-now says "I'll retry" when Discord fails: the retry job must keep that
    promise even when no scheduled time of this period is due yet (saved on a Wednesday)."""
    channel = await add_channel(runner, guild, "challenges")
    runner.clock.set(MONDAY_NINE + timedelta(days=2))
    await schedule_challenges(discord, mod, guild, channel)
    discord.fail_next(ROUTE, status=503)
    reply = await discord.slash(mod, guild, "schedule post-now", kind="challenges")
    assert "did not go out" in reply.content and "retry" in reply.content
    assert posts(discord, channel) == []
    await runner.clock.advance(minutes=2)
    await runner.run_due()
    await runner.run_due()
    assert len(posts(discord, channel)) == 1
    attempts = discord.requests_to(ROUTE)
    assert len(attempts) == 2 and len({r.json["nonce"] for r in attempts}) == 1
    # Next Monday's scheduled post is the next week's, not a second one for this week.
    runner.clock.set(MONDAY_NINE + timedelta(days=7))
    await runner.run_due()
    assert len(posts(discord, channel)) == 2
