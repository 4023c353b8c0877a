"""How big each benchmark is: the issue's sizes (FULL) and a tiny SMOKE run for `make test`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    # seeded database
    servers: int
    members: int
    sessions: int
    groups: int
    history_days: int
    # latency: sequential calls of each command per run, and runs (each ~2 min at full size)
    latency_calls: int
    latency_runs: int
    # throughput: concurrent members logging for a while
    throughput_members: int
    throughput_seconds: float
    # fan-out: servers whose challenge is due in the same minute
    fanout_servers: int
    rate_limit: int  # requests per second the throttled fake allows
    # start-up: servers with schedules when the bot starts; memory measured again after settling
    startup_schedules: int
    startup_settle_s: float
    # reminders: members whose streak nudge is due in the same minute (a long run: fewer runs)
    reminder_members: int
    reminder_runs: int
    # repeated runs behind every median and spread
    runs: int
    # the same benchmarks on PostgreSQL (latency, throughput, unthrottled fan-out, start-up with
    # the bot's own servers): fewer runs, to keep its part of `make bench` within minutes
    pg_latency_runs: int
    pg_runs: int

    def with_runs(self, runs: int) -> Scale:
        return replace(
            self,
            runs=runs,
            latency_runs=runs,
            reminder_runs=runs,
            pg_latency_runs=runs,
            pg_runs=runs,
        )


FULL = Scale(
    name="full",
    servers=50,
    members=100_000,
    sessions=2_000_000,
    groups=2_000,
    history_days=365,
    latency_calls=2_000,
    latency_runs=2,
    throughput_members=50,
    throughput_seconds=30.0,
    fanout_servers=2_000,
    rate_limit=50,
    startup_schedules=10_000,
    startup_settle_s=3.0,
    reminder_members=10_000,
    reminder_runs=1,
    runs=3,
    pg_latency_runs=2,
    pg_runs=2,
)

SMOKE = Scale(
    name="smoke",
    servers=3,
    members=90,
    sessions=1_500,
    groups=6,
    history_days=60,
    latency_calls=4,
    latency_runs=1,
    throughput_members=4,
    throughput_seconds=1.0,
    fanout_servers=12,
    rate_limit=5,
    startup_schedules=40,
    startup_settle_s=0.3,
    reminder_members=20,
    reminder_runs=1,
    runs=1,
    pg_latency_runs=1,
    pg_runs=1,
)

SCALES = {s.name: s for s in (FULL, SMOKE)}

#: The bench's "now" for the seeded database: a Thursday morning, so the seeded history ends
#: yesterday, today is open, and this week's leaderboard already has three days in it.
NOW = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
TODAY: date = NOW.date()
