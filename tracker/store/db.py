"""Engines and units of work. SQLite gets WAL, a busy timeout and `BEGIN IMMEDIATE` for writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """Return the (cached) engine for `url`, creating a SQLite file's folder if needed."""
    if url not in _engines:
        _engines[url] = _create(url)
    return _engines[url]


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (below), so pysqlite must not.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A write takes the lock up front, so two writers queue instead of deadlocking on upgrade.
    mode = "DEFERRED" if connection.get_execution_options().get("read_only") else "IMMEDIATE"
    connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def unit_of_work(url: str, *, read_only: bool = False) -> Iterator[Session]:
    """Yield a session in one transaction: committed if the block ends normally, else rolled back."""
    engine = engine_for(url)
    if read_only:
        engine = engine.execution_options(read_only=True)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            if not read_only:
                session.commit()
            # A read ends when the session closes: its rows stay readable, detached.
        except BaseException:
            session.rollback()
            raise


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
