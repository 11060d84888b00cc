"""Benchmark 3: a late record re-projects from its instant, so its cost should grow with the
records after that instant, not with the whole log.

Each measurement gets its own copy of the database (the record it adds would change the next
one) and the clock where loading left it, after every recorded_at. The late record is a
transition of the spare commitment, which no other record names: it overrides nothing, so what
is timed is `record_transition` with its re-projection, not a cascade of refusals.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from tracker import services
from tracker.services.clock import fixed_clock
from tracker.store.db import engine_for

from . import workload
from .databases import Backend
from .report import against, heading, line, secs, timed
from .workload import Workload

GROWTH_TARGET = 1.5  # a log twice as long, the same records after: at most this much slower


def run(backend: Backend, url: str, work: Workload, long_url: str, long_work: Workload,
        repeats: int) -> list[tuple[str, bool]]:
    n = len(work.records)
    heading(f"3. a late record's re-projection (log of {n:,} records, {work.commitments:,} "
            "commitments; a fresh copy of the database per run)")
    small, medium, large = n // 100, n // 10, n // 2
    runs = [(url, work, 0), (url, work, small), (url, work, medium), (long_url, long_work, medium)]
    on_time, *sampled, longer = _interleaved(backend, runs, repeats)
    times = dict(zip((small, medium), sampled, strict=True))
    times[large] = _once(backend, url, work, large)
    line(f"on time, 0 records after: {secs(on_time)}")
    for after, seconds in times.items():
        against(f"{after:,} records after", seconds, "on-time baseline", on_time)
    ok = against(f"{medium:,} records after, log of {len(long_work.records):,}", longer,
                 f"same in a log of {n:,}", times[medium], max_ratio=GROWTH_TARGET)
    line(f"(median of {repeats}; one run for {large:,} after)")
    _verdict(on_time, times, longer / times[medium])
    return [(f"{backend.name}: late record, log twice as long <= {GROWTH_TARGET}x", ok)]


def _interleaved(backend: Backend, runs: list[tuple[str, Workload, int]],
                 repeats: int) -> list[float]:
    """Return the median time of each run (database, workload, records after); the runs take
    turns, so a change in the machine's load hits each of them alike."""
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for times, (url, work, after) in zip(samples, runs, strict=True):
            times.append(_once(backend, url, work, after))
    return [statistics.median(times) for times in samples]


def _once(backend: Backend, url: str, work: Workload, after: int) -> float:
    """Time one late transition on a fresh copy of the database at `url`."""
    instant = _instant_with(work, after)
    copy = backend.copy(url)
    with engine_for(copy).connect():
        pass  # connect before the clock starts: a running process has its pool
    app = services.App(copy, fixed_clock(work.now))
    seconds = timed(lambda: services.record_transition(
        app, f"{workload.SLUG}/{workload.SPARE}", "suspended", occurred_at=instant,
        by="late-analyst", reason="reported late"))
    backend.drop(copy)
    return seconds


def _instant_with(work: Workload, after: int) -> datetime:
    """Return an instant with exactly `after` records at or after it (0: the clock's now)."""
    n = len(work.records)
    instant = work.now if after == 0 else work.occurred(n - after) - workload.STEP / 2
    assert sum(r.occurred_at >= instant for r in work.records) == after
    return instant


def _verdict(on_time: float, times: dict[int, float], log_growth: float) -> None:
    """Say whether the cost follows the records after the instant: above the on-time record's
    cost, 5x the records after should cost about 5x, and a longer log about nothing."""
    small, medium, large = sorted(times)
    extra = {after: max(times[after] - on_time, 1e-6) for after in (medium, large)}
    line(f"time({large:,} after) / time({small:,} after) = {times[large] / times[small]:.1f}x "
         f"for {large // small}x the records after (the on-time cost is in both)")
    per_record = ", ".join(f"{secs(e / after)} ({after:,} after)" for after, e in extra.items())
    line(f"cost above the on-time record, per record after: {per_record}")
    proportional = 0.5 <= (extra[large] / extra[medium]) / (large / medium) <= 2
    follows = "follows" if proportional else "does NOT follow"
    grows = "does not grow" if log_growth <= GROWTH_TARGET else "GROWS"
    line(f"verdict: cost {follows} the records after the instant ({large // medium}x the records "
         f"after: {extra[large] / extra[medium]:.1f}x the cost above on-time) and {grows} with "
         f"the whole log ({log_growth:.2f}x for twice the log)")
