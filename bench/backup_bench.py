"""Backup and restore of a large SQLite database: 1,000 commitments and 1,000,000 log records,
each with one graded source (2,000,000 rows in the two big tables).

Prints the time of `backup` and of `restore` (checksum verification included), the file's size,
rows per second, the peak memory of the process, and whether a backup of the restored database
has the same SHA-256 as the original's (same data, same bytes: the clock is fixed and gzip's
header carries no time). The records go in raw, as observations with a source, in batches:
loading them through the use cases would take far longer than what is measured.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from tracker import services
from tracker.services.clock import fixed_clock
from tracker.store.db import dispose_all, engine_for
from tracker.store.migrate import upgrade
from tracker.store.tables import CommitmentRow, RecordRow, SourceRow, table_of

from . import workload

COMMITMENTS = 1_000
RECORDS = int(os.environ.get("BACKUP_BENCH_RECORDS", "1000000"))
BATCH = 50_000


def run(records: int = RECORDS) -> None:
    """Build the database, then time backup and restore and print the figures."""
    with tempfile.TemporaryDirectory(prefix="tracker-backup-bench-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        source = _build(folder, records)
        print(f"backup: built {records:,} records (+ as many sources) in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        file, copy = folder / "tracker.backup.gz", folder / "copy.backup.gz"
        took, made = _timed(lambda: services.backup(source, file))
        print(f"backup:  {took:7.1f} s  {made.rows:,} rows, {made.rows / took:,.0f} rows/s, "
              f"{made.bytes / 1e6:,.1f} MB ({made.bytes / made.rows:.0f} B/row)", flush=True)
        target = _app(f"sqlite:///{folder / 'restored.db'}")
        upgrade(target.database_url)
        took, count = _timed(lambda: services.restore(target, file))
        print(f"restore: {took:7.1f} s  {count:,} rows, {count / took:,.0f} rows/s "
              "(checksums verified first)", flush=True)
        again = services.backup(target, copy)
        print(f"backup:  checksum of a backup of the restored database "
              f"{'MATCHES' if again.sha256 == made.sha256 else 'DIFFERS FROM'} the original's "
              f"({made.sha256[:16]}...); peak memory {_peak_mb():,.0f} MB")
        dispose_all()


def _app(url: str) -> services.App:
    return services.App(database_url=url, clock=fixed_clock(workload.ANNOUNCED + timedelta(days=400)))


def _build(folder: Path, records: int) -> services.App:
    url = f"sqlite:///{folder / 'large.db'}"
    upgrade(url)
    seed = workload.write_seed(folder, COMMITMENTS)
    services.load(services.App(database_url=url, clock=fixed_clock(workload.ANNOUNCED)), [seed])
    engine = engine_for(url)
    with engine.begin() as connection:
        commitments = table_of(CommitmentRow)
        found = connection.execute(commitments.select().with_only_columns(
            commitments.c.id, commitments.c.agreement_id)).all()
    ids, agreement_id = [row[0] for row in found], found[0][1]
    for start in range(0, records, BATCH):
        rows, sources = _rows(range(start, min(start + BATCH, records)), ids, agreement_id)
        with engine.begin() as connection:
            connection.execute(insert(table_of(RecordRow)), rows)
            connection.execute(insert(table_of(SourceRow)), sources)
    return _app(url)


def _rows(indexes: range, ids: list[int], agreement_id: int) -> tuple[list[dict[str, Any]],
                                                                       list[dict[str, Any]]]:
    rows, sources = [], []
    for i in indexes:
        occurred = workload.occurred_at(i)
        rows.append({"id": i + 1, "agreement_id": agreement_id, "commitment_id": ids[i % len(ids)],
                     "kind": "observation", "occurred_at": occurred,
                     "recorded_at": occurred + workload.REPORTED_AFTER, "by": f"analyst-{i % 7}",
                     "reason": "", "summary": f"Monitors report day {i // 288}.",
                     "confidence": 0.8})
        sources.append({"record_id": i + 1, "position": 0, "url": f"https://example.org/r/{i}",
                        "title": f"Monitoring report {i}", "reliability": "B", "credibility": 2})
    return rows, sources


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    run()
