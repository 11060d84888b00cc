"""`make bench`: python -m bench [--pg] [--records N] [--repeats R].

Runs the three benchmarks on SQLite files in a temp dir and, with --pg or TRACKER_BENCH_PG_URL,
on fresh PostgreSQL schemas too. Prints each figure with its baseline from the same run, the
ratio and the target; exits 0 even when a target is MISSED (it says so), 1 if PostgreSQL was
asked for and cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy

from . import (
    alerts_bench,
    backup_bench,
    building,
    dashboard_bench,
    late,
    loading,
    status,
    stress_bench,
    workload,
)
from .databases import Backend, Postgres, SQLite, reachable
from .report import heading, secs, timed_call

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COMMITMENTS = 1_000

Outcome = list[tuple[str, bool]]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    pg_url = os.environ.get("TRACKER_BENCH_PG_URL") or (DEFAULT_PG_URL if args.pg else None)
    print(f"python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, {_load()}")
    unreachable = reachable(pg_url) if pg_url else None
    if unreachable is not None:
        print(f"PostgreSQL at {pg_url} is unreachable, so only SQLite runs: {unreachable}")
    started = time.perf_counter()
    works = _workloads(args.records)
    outcomes: Outcome = []
    if args.only in ("all", "core"):
        with tempfile.TemporaryDirectory(prefix="tracker-bench-") as scratch:
            outcomes += _run_all(SQLite(Path(scratch)), Path(scratch), works, args.repeats)
            if pg_url and unreachable is None:
                outcomes += _run_all(Postgres(pg_url), Path(scratch), works, args.repeats)
    if args.only in ("all", "alerts"):
        alerts_bench.run()
    if args.only in ("all", "dashboard"):
        dashboard_bench.run()
    if args.only in ("all", "backup"):
        backup_bench.run()
    if args.only == "stress" or (args.only == "all" and pg_url and unreachable is None):
        stress_bench.run(pg_url or DEFAULT_PG_URL, args.stress_changes)  # PostgreSQL only
    _summary(outcomes, time.perf_counter() - started)
    return 1 if unreachable is not None else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true",
                        help=f"also run on PostgreSQL (TRACKER_BENCH_PG_URL, or {DEFAULT_PG_URL})")
    parser.add_argument("--records", type=int, default=100_000, help="log size (default 100,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of a cheap measurement")
    parser.add_argument("--only", default="all",
                        choices=["all", "core", "alerts", "dashboard", "backup", "stress"],
                        help="core: loading, status, late records; alerts: sweep and delivery "
                        "delay; dashboard: page render times (builds 1,000,000 records); "
                        "backup: backup and restore of 1,000,000 records; "
                        "stress: 1 vs 8 writer processes on one agreement (PostgreSQL)")
    parser.add_argument("--stress-changes", type=int, default=stress_bench.CHANGES,
                        help="changes per writer in the stress benchmark (default 500)")
    return parser


def _workloads(records: int) -> tuple[workload.Workload, workload.Workload]:
    """The log every benchmark reads, and one twice as long that starts with it."""
    longer = workload.build(COMMITMENTS, 2 * records)
    return workload.Workload(COMMITMENTS, longer.records[:records]), longer


def _run_all(backend: Backend, scratch: Path, works: tuple[workload.Workload, workload.Workload],
             repeats: int) -> Outcome:
    heading(f"=== {backend.name} ===")
    folder = scratch / backend.name.lower()
    folder.mkdir()
    work, longer = works
    started = time.perf_counter()
    try:
        outcomes, loaded = loading.run(backend, folder, work)
        outcomes += status.run(backend, loaded, work, repeats)
        seconds, long = timed_call(lambda: building.extended(backend, loaded, longer))
        heading(f"(setup for 3: {len(longer.records) - len(work.records):,} more records "
                f"appended raw and re-projected in {secs(seconds)})")
        outcomes += late.run(backend, loaded, work, long, longer, repeats)
    finally:
        backend.close()
    heading(f"({backend.name} done in {secs(time.perf_counter() - started)}; {_load()})")
    return outcomes


def _load() -> str:
    """Other work on the machine skews every figure: say how busy it was."""
    return "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _summary(outcomes: Outcome, seconds: float) -> None:
    missed = [name for name, ok in outcomes if not ok]
    heading(f"=== {len(outcomes) - len(missed)} of {len(outcomes)} targets met "
            f"in {secs(seconds)}; {_load()} ===")
    for name in missed:
        print(f"MISSED: {name}")


if __name__ == "__main__":
    sys.exit(main())
