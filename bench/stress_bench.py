"""Benchmark: writers at once on one agreement on PostgreSQL, 1 writer against 8.

Every writer is its own process making changes through the services (transitions and
observations with --expect-version, forecasts, blind transitions, retractions), each read
first, as an analyst reloads before a change. Writes to one agreement queue on its row lock, so
8 writers cannot make more changes per second than 1; what the figures show is how much the
queue costs each change (latency) and what the collisions cost (stale refusals).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from . import stress_worker
from .databases import Postgres
from .report import heading, line, secs

CHANGES = 500


def run(pg_url: str, changes: int = CHANGES) -> None:
    heading(f"stress: 1 writer, then 8 writers, {changes} changes each, one agreement, "
            "PostgreSQL")
    backend = Postgres(pg_url)
    try:
        with tempfile.TemporaryDirectory(prefix="tracker-stress-") as scratch:
            one = _measure(backend, Path(scratch), 1, changes)
            eight = _measure(backend, Path(scratch), 8, changes)
    finally:
        backend.close()
    _print("1 writer", one, None)
    _print("8 writers", eight, one)


def _measure(backend: Postgres, folder: Path, writers: int,
             changes: int) -> stress_worker.Run:
    url = backend.fresh()
    try:
        sub = folder / f"w{writers}"
        sub.mkdir()
        done = stress_worker.run_writers(url, sub, writers=writers, changes=changes)
    finally:
        backend.drop(url)
    unexpected = done.of("error")
    if unexpected:
        raise RuntimeError(f"{len(unexpected)} errors reached writers: {unexpected[0].message}")
    return done


def _print(name: str, done: stress_worker.Run, base: stress_worker.Run | None) -> None:
    latencies = sorted(o.seconds for o in done.outcomes)
    p50, p99 = statistics.median(latencies), latencies[int(0.99 * (len(latencies) - 1))]
    rate = len(done.outcomes) / done.seconds
    accepted = len(done.of("accepted"))
    figures = (f"{name}: {len(done.outcomes):,} changes in {secs(done.seconds)}: "
               f"{rate:,.1f} changes/s ({accepted / done.seconds:,.1f} accepted/s), "
               f"latency p50 {secs(p50)}, p99 {secs(p99)}")
    line(figures)
    line(f"  accepted {accepted:,}, stale {len(done.of('stale')):,}, refused by the state "
         f"machine {len(done.of('refused')):,}, other refusals {len(done.of('domain')):,}")
    if base is not None:
        base_latencies = sorted(o.seconds for o in base.outcomes)
        base_p50 = statistics.median(base_latencies)
        base_p99 = base_latencies[int(0.99 * (len(base_latencies) - 1))]
        base_rate = len(base.outcomes) / base.seconds
        line(f"  against 1 writer: throughput x{rate / base_rate:.2f}, "
             f"p50 latency x{p50 / base_p50:.2f}, p99 latency x{p99 / base_p99:.2f}")
