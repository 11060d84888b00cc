"""Benchmark 1: loading N log records, against plain executemany inserts of the same rows.

Three fresh databases, each with the agreement's seed already loaded (untimed):
  * the baseline: Core executemany of the record and source rows in one transaction;
  * the store path alone: `append` with prebuilt NewRecords in one unit of work;
  * the whole `tracker load` path: record files -> YAML, validation, fingerprints, append.
One run each: a run is tens of seconds, and each needs a database of its own. The store path's
database is kept: it is the loaded agreement benchmarks 2 and 3 read.
"""

from __future__ import annotations

from pathlib import Path

from tracker import services
from tracker.seeds.reader import MAX_BYTES
from tracker.services.alerting import AlertPolicy
from tracker.services.appending import append
from tracker.services.clock import fixed_clock
from tracker.store import queries
from tracker.store.db import unit_of_work

from . import building, workload
from .databases import Backend
from .report import against, heading, line, timed
from .workload import Workload

TARGET_RATIO = 5


def run(backend: Backend, folder: Path, work: Workload) -> tuple[list[tuple[str, bool]], str]:
    """Print the figures; return the outcome and the store path's database."""
    seed = workload.write_seed(folder, work.commitments)
    files = workload.write_record_files(folder, work.records)
    n = len(work.records)
    heading(f"1. load {n:,} records ({work.commitments:,} commitments, one source each, "
            f"1 in {workload.TRANSITION_EVERY} a transition)")
    raw = _executemany(backend, seed, work)
    store, loaded = _store_path(backend, seed, work)
    full = _full_load(backend, seed, files, work)
    ok = against(f"load {n:,} records, store path (append)", store, "raw executemany baseline",
                 raw, max_ratio=TARGET_RATIO)
    against(f"load {n:,} records, whole `tracker load` ({len(files)} record files)", full,
            "raw executemany baseline", raw)
    line(f"(the records are split into {len(files)} files: the loader refuses a file over "
         f"{MAX_BYTES:,} bytes)")
    outcome = f"{backend.name}: load {n:,} records, store path <= {TARGET_RATIO}x executemany"
    return [(outcome, ok)], loaded


def _executemany(backend: Backend, seed: Path, work: Workload) -> float:
    url = building.seeded(backend, seed)
    rows, sources = building.raw_rows(url, work.records)
    seconds = timed(lambda: building.insert_raw(url, rows, sources))
    _check_and_drop(backend, url, work)
    return seconds


def _store_path(backend: Backend, seed: Path, work: Workload) -> tuple[float, str]:
    url = building.seeded(backend, seed)
    policy = AlertPolicy.of(services.App(url, fixed_clock(work.now)))

    def store() -> None:  # what loading.load_records does once the file is parsed
        with unit_of_work(url) as session:
            row = queries.agreement_by_slug(session, workload.SLUG, lock=True)
            assert row is not None
            append(session, row, work.records, now=work.now, policy=policy)

    seconds = timed(store)
    _check(url, work)
    return seconds, url


def _full_load(backend: Backend, seed: Path, files: list[Path], work: Workload) -> float:
    url = building.seeded(backend, seed)
    app = services.App(url, fixed_clock(work.now))
    seconds = timed(lambda: services.load(app, files))
    _check_and_drop(backend, url, work)
    return seconds


def _check_and_drop(backend: Backend, url: str, work: Workload) -> None:
    _check(url, work)
    backend.drop(url)


def _check(url: str, work: Workload) -> None:
    count = building.record_count(url)
    assert count == len(work.records), f"{count} records stored, {len(work.records)} expected"
