"""Backup and restore at the SQL level: every table streamed in primary-key order from one
snapshot, and rows put back in batches inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from ..domain.timefmt import utc_z
from .dump import TABLES
from .tables import UTCDateTime

BATCH = 5000


def snapshot(session: Session) -> Connection:
    """Return the session's connection, reading every table from one snapshot.

    PostgreSQL's default (READ COMMITTED) gives each statement its own snapshot, so a backup
    taken while the scheduler writes could hold alerts without their deliveries; REPEATABLE READ
    fixes one for the whole transaction. SQLite's read transaction is one snapshot already.
    """
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session.connection()


def counts(connection: Connection) -> dict[str, int]:
    """Return how many rows each table holds, in restore order."""
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
            for t in TABLES}


def table(name: str) -> Table | None:
    return next((t for t in TABLES if t.name == name), None)


def rows_of(connection: Connection, source: Table) -> Iterator[list[Any]]:
    """Yield the rows of `source` in primary-key order as JSON-ready lists, a batch at a time."""
    instants = [i for i, c in enumerate(source.columns) if isinstance(c.type, UTCDateTime)]
    result = connection.execution_options(yield_per=BATCH).execute(
        select(source).order_by(*source.primary_key.columns))
    for row in result:
        values = list(row)
        for i in instants:
            if values[i] is not None:
                values[i] = utc_z(values[i])
        yield values


def non_empty(session: Session) -> list[str]:
    """Return the tables that hold at least one row."""
    connection = session.connection()
    return [t.name for t in TABLES
            if connection.execute(select(text("1")).select_from(t).limit(1)).first()]


def insert_batch(session: Session, target: Table, columns: list[str],
                 rows: list[list[Any]]) -> None:
    """Insert rows given as lists in `columns` order; instants arrive as ISO 8601 strings."""
    instants = {c.name for c in target.columns if isinstance(c.type, UTCDateTime)}
    parse = [name in instants for name in columns]
    dicts = [{name: (datetime.fromisoformat(v) if p and v is not None else v)
              for name, p, v in zip(columns, parse, row, strict=True)} for row in rows]
    session.connection().execute(insert(target), dicts)


def reset_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the restored ids (SQLite needs nothing)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for t in TABLES:
        if "id" in t.c:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"))
