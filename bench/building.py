"""Put the synthetic agreement into a database: its seed through `tracker load`, records raw
(the baseline's executemany), or more records raw and then re-projected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from tracker import services
from tracker.services.appending import NewRecord
from tracker.services.clock import fixed_clock
from tracker.services.projecting import reproject
from tracker.store import queries
from tracker.store.db import engine_for, unit_of_work
from tracker.store.tables import RecordRow, SourceRow

from . import workload
from .databases import Backend
from .workload import Workload


def seeded(backend: Backend, seed: Path) -> str:
    """Return a fresh database with the agreement loaded (as of its announcement) and no records."""
    url = backend.fresh()
    services.load(services.App(url, fixed_clock(workload.ANNOUNCED)), [seed])
    return url


Rows = list[dict[str, Any]]


def raw_rows(url: str, records: list[NewRecord], first_id: int = 1) -> tuple[Rows, Rows]:
    """Return the record and source rows of `records` for the agreement loaded at `url`."""
    with unit_of_work(url, read_only=True) as session:
        row = queries.agreement_by_slug(session, workload.SLUG)
        assert row is not None and row.id is not None
        ids = {c.slug: c.id or 0 for c in queries.commitments(session, row.id)}
    return workload.raw_rows(records, row.id, ids, first_id)


def insert_raw(url: str, rows: Rows, sources: Rows) -> None:
    """Insert records and sources with two plain executemany calls, in one transaction."""
    with engine_for(url).begin() as connection:
        connection.execute(insert(RecordRow.__table__), rows)
        connection.execute(insert(SourceRow.__table__), sources)
        if make_url(url).get_backend_name() == "postgresql":  # the ids were ours, not the sequence's
            connection.execute(text("SELECT setval(pg_get_serial_sequence('record', 'id'), "
                                    "(SELECT max(id) FROM record))"))


def extended(backend: Backend, url: str, work: Workload) -> str:
    """Return a copy of the database at `url` (holding a prefix of `work`) with the rest of `work`
    appended: inserted raw, then re-projected from the first new record on.

    That is what `append` does after its insert, without the ORM's minute per 100,000 records
    (benchmark 1 times that); the projection is the tracker's own.
    """
    target = backend.copy(url)
    start = record_count(target)
    insert_raw(target, *raw_rows(target, work.records[start:], first_id=start + 1))
    with unit_of_work(target) as session:
        row = queries.agreement_by_slug(session, workload.SLUG, lock=True)
        assert row is not None
        reproject(session, row, since=work.occurred(start), now=work.now, by="loader")
    return target


def record_count(url: str) -> int:
    with engine_for(url).connect() as connection:
        return int(connection.execute(select(func.count()).select_from(RecordRow)).scalar_one())
