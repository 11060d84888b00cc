"""The dashboard's server render time: the Overview and Agreement pages with 10,000 commitments
and 1,000,000 log records, against the same pages on the 8-commitment Syria seed (the baseline).

A page's render time is one run of the dashboard script on that page in a session that is already
open (what each visit or interaction costs the server): the session's first run, which also pays
Streamlit's one-off start-up work (scanning installed components, compiling the scripts, which a
server does once for all sessions), is left out. Best of three after a warm-up.

The pages read the stored projection, never the log, so the log's size should not show. The
million records are bulk-inserted as observations (no sources) straight into the record table:
loading them through the use cases would take far longer than the run, and observations leave
the stored projection as it is, so the pages see exactly what a real log of that size gives them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from tracker import services
from tracker.services.clock import fixed_clock
from tracker.store.db import engine_for
from tracker.store.migrate import upgrade
from tracker.store.tables import CommitmentRow, RecordRow

from . import workload

COMMITMENTS = 10_000
RECORDS = int(os.environ.get("DASHBOARD_BENCH_RECORDS", "1000000"))
# A file to keep the large database in between runs (building it takes minutes): reused when it
# exists (and was built for the same RECORDS), written when it does not. Unset: built every run.
CACHE = os.environ.get("DASHBOARD_BENCH_CACHE")
TARGET = 1.0
DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
SYRIA = Path(__file__).resolve().parents[1] / "seeds" / "us-russia-syria-2016.yaml"


def run() -> None:
    """Print each page's render time, large and baseline, and whether it is under the target."""
    with tempfile.TemporaryDirectory() as folder:
        small = _small(Path(folder))
        started = time.perf_counter()
        reused = bool(CACHE) and Path(f"{CACHE}.{RECORDS}").exists()
        large = _cached(Path(folder))
        print(f"dashboard: {'copied' if reused else 'built'} {COMMITMENTS:,} commitments and "
              f"{RECORDS:,} log records in {time.perf_counter() - started:.0f} s")
        for name, path in (("Overview", "views/overview.py"), ("Agreement", "views/agreement.py")):
            base = _best(_session(small, path))
            big = _best(_session(large, path))
            verdict = "ok" if big < TARGET else f"OVER the {TARGET:.0f} s target"
            print(f"dashboard {name:9s} page: {big:6.3f} s with {COMMITMENTS:,} commitments / "
                  f"{RECORDS:,} records; baseline {base:6.3f} s (Syria, 8 commitments); {verdict}")


def _small(folder: Path) -> services.App:
    url = f"sqlite:///{folder / 'small.db'}"
    upgrade(url)
    services.load(_at(url, "2016-09-10T12:00:00+03:00"), [SYRIA])
    return _at(url, "2016-09-16T12:00:00+03:00")


def _cached(folder: Path) -> services.App:
    """Return the large database's App: from CACHE when it holds one, else built (and kept there)."""
    if not CACHE:
        return _large(folder)
    cache = Path(f"{CACHE}.{RECORDS}")
    if not cache.exists():
        app = _large(folder)
        engine_for(app.database_url).dispose()
        with closing(sqlite3.connect(folder / "large.db")) as connection:  # all of it in one file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(folder / "large.db", cache)
    shutil.copyfile(cache, folder / "cached.db")
    return services.App(database_url=f"sqlite:///{folder / 'cached.db'}", clock=fixed_clock(_last()))


def _last() -> datetime:
    """Return the large database's clock: 30 s after its last tick (see `_large`)."""
    return workload.occurred_at(max(RECORDS - 1, 0)) + workload.REPORTED_AFTER + timedelta(seconds=30)


def _large(folder: Path) -> services.App:
    url = f"sqlite:///{folder / 'large.db'}"
    upgrade(url)
    seed = workload.write_seed(folder, COMMITMENTS)
    app = services.App(database_url=url, clock=fixed_clock(workload.ANNOUNCED))
    services.load(app, [seed])
    engine = engine_for(url)
    with engine.begin() as connection:
        ids = dict(connection.execute(
            CommitmentRow.__table__.select().with_only_columns(  # type: ignore[attr-defined]
                CommitmentRow.__table__.c.slug, CommitmentRow.__table__.c.id)).all())  # type: ignore[attr-defined]
        agreement_id = connection.execute(
            CommitmentRow.__table__.select().with_only_columns(  # type: ignore[attr-defined]
                CommitmentRow.__table__.c.agreement_id).limit(1)).scalar_one()  # type: ignore[attr-defined]
    slugs = workload.slugs(COMMITMENTS)
    for start in range(0, RECORDS, 50_000):
        rows = [{"agreement_id": agreement_id, "commitment_id": ids[slugs[i % COMMITMENTS]],
                 "kind": "observation", "occurred_at": workload.occurred_at(i),
                 "recorded_at": workload.occurred_at(i) + workload.REPORTED_AFTER,
                 "by": f"analyst-{i % 7}", "reason": "", "summary": f"Monitors report day {i // 288}.",
                 "confidence": 0.8} for i in range(start, min(start + 50_000, RECORDS))]
        with engine.begin() as connection:
            connection.execute(insert(RecordRow.__table__), rows)  # type: ignore[attr-defined]
    # A running scheduler ticks every minute: the pages see a projection at most that old.
    services.tick(services.App(database_url=url, clock=fixed_clock(_last() - timedelta(seconds=30))))
    return services.App(database_url=url, clock=fixed_clock(_last()))


def _at(url: str, now: str) -> services.App:
    return services.bootstrap(database_url=url, now=now)


def _session(app: services.App, path: str) -> Callable[[], None]:
    """Open a dashboard session on the page at `path`; return a render of that page in it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DASHBOARD), default_timeout=300)
    at.session_state["tracker_app"] = app
    at.session_state["user"] = services.UserView(name="bench", role="admin")
    at.run()
    if path != "views/overview.py":
        at.switch_page(path).run()

    def render() -> None:
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)

    return render


def _best(render: Callable[[], None], repeat: int = 3) -> float:
    """Return the best of `repeat` timed renders after one warm-up."""
    render()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return min(times)


if __name__ == "__main__":
    run()
