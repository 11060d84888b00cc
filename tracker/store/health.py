"""Cheap probes for `tracker doctor` and `tracker health`: is the database there, who leads the
schedulers, how many deliveries gave up. None of them writes or holds a lock."""

from __future__ import annotations

import fcntl
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from ..leadership import LOCK_KEY, SCOPE_SQL, FileLock, leadership_for
from .tables import DeliveryRow

CONNECT_SECONDS = 5  # a probe that hangs for a TCP timeout is no use to a supervisor


def sqlite_file(url: str) -> Path | None:
    """Return the SQLite file behind `url` (plain or `file:...?uri=true`), None for a server."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:"):
        return None
    return Path(database.removeprefix("file:").split("?", 1)[0])


def unreachable(url: str) -> str | None:
    """Return None if the database answers `SELECT 1`, else the first line of why not.

    A missing SQLite file is reported, not created (connecting would create it)."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        return f"no database file at {path}"
    args = {} if path is not None else {"connect_timeout": CONNECT_SECONDS}
    engine = create_engine(url, poolclass=NullPool, connect_args=args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - every failure to connect means the same here
        orig = getattr(error, "orig", None) or error
        return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    finally:
        engine.dispose()
    return None


def scheduler_holder(url: str) -> str | None:
    """Return who holds the scheduler's leadership ("pid N"), or None when nobody does."""
    if make_url(url).get_backend_name() != "sqlite":
        return _advisory_holder(url)
    lock = leadership_for(url)
    assert isinstance(lock, FileLock)
    return _file_holder(lock.path)


def _file_holder(path: Path) -> str | None:
    if not path.is_file():
        return None
    with path.open("r") as handle:
        try:
            # A shared lock is refused while a scheduler holds its exclusive one; if granted,
            # it is dropped at once, so a scheduler starting now is at worst told to retry.
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return f"pid {handle.read().strip() or 'unknown'}"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def _advisory_holder(url: str) -> str | None:
    """Look the lock up in pg_locks rather than try it: a probe must not steal leadership."""
    engine = create_engine(url, poolclass=NullPool,
                           connect_args={"connect_timeout": CONNECT_SECONDS})
    try:
        with engine.connect() as connection:
            pid = connection.execute(text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND objsubid = 2 AND classid::text::bigint = :key "
                f"AND objid::text::bigint = ({SCOPE_SQL}::bigint & 4294967295)"),
                {"key": LOCK_KEY}).scalar()
    finally:
        engine.dispose()
    return None if pid is None else f"pid {pid} on the server"


def failed_deliveries(session: Session) -> int:
    """Return how many deliveries gave up after their retries."""
    query = select(func.count()).select_from(DeliveryRow).where(
        DeliveryRow.status == "failed")  # type: ignore[arg-type]  # SQLModel's column typing
    return int(session.connection().execute(query).scalar_one())
