"""Engines and units of work. SQLite gets WAL, a busy timeout and `BEGIN IMMEDIATE` for writes.

`retrying` re-runs a whole use case when the database refused or lost its transaction before
the commit (a deadlock, a serialization failure, a restarted server, a locked SQLite file): the
transaction was rolled back, so running it again is the same as running it once. A connection
lost during the commit itself is not retried: the change may be stored, so the user is told so.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from ..domain.errors import DomainError

log = logging.getLogger("tracker.store")
_engines: dict[str, Engine] = {}
_open_units: ContextVar[int] = ContextVar("open_units", default=0)
P = ParamSpec("P")
R = TypeVar("R")
RETRY_SECONDS = 60.0  # long enough for a PostgreSQL restart; then the user hears why
# deadlock, serialization failure; the server shutting down, restarting or not yet up
_RETRY_STATES = {"40P01", "40001", "57P01", "57P02", "57P03"}


class DatabaseUnavailable(DomainError):
    """The database refused or dropped the transaction until we gave up; nothing was stored."""


class CommitUncertain(DomainError):
    """The connection was lost while committing: the change may or may not be stored."""


def engine_for(url: str) -> Engine:
    """Return the (cached) engine for `url`, creating a SQLite file's folder if needed."""
    if url not in _engines:
        _engines[url] = _create(url)
    return _engines[url]


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    # A `file:` URI (uri=true, e.g. mode=ro) names no folder to create: it opens an existing file.
    if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
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
def unit_of_work(url: str, *, read_only: bool = False, dry_run: bool = False) -> Iterator[Session]:
    """Yield a session in one transaction: committed if the block ends normally, else rolled back
    (always rolled back with `dry_run`: a write tried to see whether it would be refused)."""
    engine = engine_for(url)
    if read_only:
        engine = engine.execution_options(read_only=True)
    depth = _open_units.set(_open_units.get() + 1)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            if dry_run:
                _rollback(session)
            elif not read_only:
                _commit(session)
            # A read ends when the session closes: its rows stay readable, detached.
        except BaseException:
            _rollback(session)
            raise
        finally:
            _open_units.reset(depth)


def _commit(session: Session) -> None:
    try:
        session.commit()
    except DBAPIError as error:
        if not _connection_lost(error):
            raise  # e.g. a serialization failure at commit: rolled back, so retryable
        raise CommitUncertain(
            "database: the connection was lost while committing, so this change may or may not "
            "be stored; look at `tracker history` (or the dashboard) before making it again"
        ) from error


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except DBAPIError:
        pass  # the connection is gone, and the transaction with it: nothing to undo


def retrying(fn: Callable[P, R]) -> Callable[P, R]:
    """Return `fn` (a whole use case: one unit of work) re-run when its transaction was refused
    or lost before the commit, for up to RETRY_SECONDS, then a DatabaseUnavailable."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if _open_units.get():  # inside another unit of work: only the outermost may re-run
            return fn(*args, **kwargs)
        deadline, pause = time.monotonic() + RETRY_SECONDS, 0.02
        while True:
            try:
                return fn(*args, **kwargs)
            except DBAPIError as error:
                if not retryable(error):
                    raise
                if time.monotonic() + pause > deadline:
                    raise DatabaseUnavailable(
                        f"database: {_first_line(error)}; nothing was stored, try again when "
                        "the database is back") from error
                log.warning("%s: retrying after %s", fn.__name__, _first_line(error))
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    return run


def retryable(error: DBAPIError) -> bool:
    """Return True if the transaction failed as a whole and may simply be run again."""
    state = getattr(error.orig, "sqlstate", None)
    if state in _RETRY_STATES or _connection_lost(error):
        return True
    return "database is locked" in str(error.orig)  # SQLite: busy for longer than its timeout


def _connection_lost(error: DBAPIError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or ""
    if error.connection_invalidated or state.startswith("08") or state in ("57P01", "57P02"):
        return True
    # psycopg: the server closed the connection or could not be reached (no SQLSTATE then)
    return type(error.orig).__name__ == "OperationalError" and not state and \
        "sqlite" not in type(error.orig).__module__


def _first_line(error: DBAPIError) -> str:
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]


def dispose_all() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
