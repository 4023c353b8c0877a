"""What the first full run measured before the fixes, beside what this run measures.

The "before" figures are one full-size run (2026-11-24, same machine) of the code as it was when
the benchmarks were written; the clock for the latency run was then a Monday morning, so that
run's "this week" leaderboard had no data yet (it now runs on a Thursday: three days of history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.stats import Spread

if TYPE_CHECKING:
    from bench.report import Results


@dataclass(frozen=True, slots=True)
class Change:
    figure: str
    before: str
    fix: str
    now: Callable[[Results], Spread]
    fmt: str


def _p(label: str, q: str) -> Callable[[Results], Spread]:
    return lambda r: Spread.of([getattr(run.figures[label], q) for run in r.latency])


ONE_CALL = (
    "; the log is one call: a synchronous unit of work on a SQLite writer thread "
    "(bot/storage/engine.py run_write), its upsert statements built once"
)

CHANGES = (
    Change(
        "/log p99",
        "39.1 ms",
        "WAL copied into the database by a background checkpoint every second, not by the "
        "commit that fills the log (bot/storage/checkpoints.py); settings cached" + ONE_CALL,
        _p("/log", "p99"),
        "{:.1f} ms",
    ),
    Change(
        "/log p50",
        "14.3 ms",
        "server and member settings from memory (3 of 18 statements were the same settings "
        "read), group member counts by a correlated count (not a GROUP BY of every group)"
        + ONE_CALL,
        _p("/log", "p50"),
        "{:.1f} ms",
    ),
    Change(
        "/progress p50",
        "13.9 ms",
        "its independent reads run side by side; settings from memory",
        _p("/progress", "p50"),
        "{:.1f} ms",
    ),
    Change(
        "/leaderboard period:all p50",
        "10.3 ms",
        "ranked by the database (top places, the caller's rank and the count in one "
        "statement) instead of every member sorted in Python; covering indexes (migration 0006)",
        _p("/leaderboard period:all", "p50"),
        "{:.1f} ms",
    ),
    Change(
        "/group info p50",
        "12.9 ms",
        "independent reads side by side, one week read instead of two, correlated member count",
        _p("/group info", "p50"),
        "{:.1f} ms",
    ),
    Change(
        "autocomplete p99",
        "5.0 ms",
        "a topic search's answer is remembered (the roadmap never changes; a ranking costs "
        "~1 ms of Python); the member's track read with the settings cache; the benchmark "
        "now types as members do, one member's keystrokes in a row (it changed member on "
        "every keystroke, so every call missed the cache)",
        _p("autocomplete: /log topic", "p99"),
        "{:.1f} ms",
    ),
    Change(
        "/log throughput (50 members)",
        "52/s, p99 4.2 s",
        "SQLite writes take turns in the event loop (bot/storage/engine.py) instead of "
        "sleeping in SQLite's busy handler; shorter transactions (above)"
        + ONE_CALL
        + "; the check after every command for an undeliverable reminder answered from memory",
        lambda r: Spread.of([run.per_second for run in r.throughput]),
        "{:.0f}/s",
    ),
    Change(
        "fan-out, unthrottled",
        "48.6 s (41 posts/s)",
        "a pass reads settings, ledger, queues, pools, counts and recaps for all servers in "
        "bulk; claims in one transaction; posts prepared 16 ahead and sent one at a time; "
        "'sent' recorded by group commit; channel found through its server",
        lambda r: Spread.of([run.seconds for run in r.fanout_free]),
        "{:.2f} s",
    ),
    Change(
        "fan-out at 50 requests/s",
        "67.9 s (1.70× the floor)",
        "the same: the posts now go out as fast as the limit allows",
        lambda r: Spread.of([run.seconds for run in r.fanout_throttled]),
        "{:.2f} s",
    ),
    Change(
        "a scheduler pass with nothing due (2,000 schedules)",
        "3.16 s",
        "settings and ledger rows read in bulk (4 queries, not 2 per schedule); this pass "
        "runs every two minutes",
        lambda r: Spread.of([run.idle_pass_s for run in r.fanout_free]),
        "{:.3f} s",
    ),
    Change(
        "ready with 10,000 servers' schedules",
        "21.5 s",
        "timers built in the background after ready, from one settings read, with shared "
        "triggers for equal timings",
        lambda r: Spread.of([run.ready_s for run in r.startup_own]),
        "{:.2f} s",
    ),
    Change(
        "RSS after start (every server on the gateway)",
        "226 MB",
        "shared triggers: 20,000 timers use a few hundred CronTrigger objects",
        lambda r: Spread.of([run.rss_settled_mb for run in r.startup_public]),
        "{:.0f} MB",
    ),
)


def rows(results: Results) -> list[tuple[str, str, str, str]]:
    out = []
    for change in CHANGES:
        now = change.now(results)
        if now.runs:
            out.append((change.figure, change.before, now.text(change.fmt), change.fix))
    return out
