"""Which scheduler is active: a PostgreSQL advisory lock held on its own connection, or on
SQLite an exclusive lock on a file beside the database (a second scheduler refuses to start)."""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from .domain.errors import DomainError

log = logging.getLogger("tracker.scheduler")
LOCK_KEY = 0x7472_6163  # "trac": the tracker's advisory locks, beside other applications
# The lock's second key: one scheduler per database and schema (a team may keep several in
# one server). `tracker doctor` looks for the same key in pg_locks.
SCOPE_SQL = "hashtext(current_database() || '.' || current_schema())"


class Leadership(Protocol):
    def acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


def leadership_for(url: str) -> Leadership:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return FileLock(Path(f"{parsed.database}.scheduler.lock"))
    return AdvisoryLock(url)


class FileLock:
    """SQLite: the first scheduler holds the lock; a second one is refused with who holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise DomainError(f"another scheduler (pid {holder}) is running on this database "
                              f"({self.path.with_suffix('')}); stop it first: SQLite allows one") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return True

    def held(self) -> bool:
        return self.handle is not None

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class AdvisoryLock:
    """PostgreSQL: a session advisory lock; it goes with the connection if the process dies."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, pool_pre_ping=True)
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        if self.held():
            return True
        try:
            connection = self.engine.connect()
            got = connection.execute(text(f"SELECT pg_try_advisory_lock(:key, {SCOPE_SQL})"),
                                     {"key": LOCK_KEY}).scalar()
            connection.commit()
        except Exception as error:  # noqa: BLE001 - the server is away: stay standby, retry
            log.warning("cannot reach PostgreSQL for leadership: %s", str(error).splitlines()[0])
            return False
        if not got:
            connection.close()
            return False
        self.connection = connection
        return True

    def held(self) -> bool:
        if self.connection is None:
            return False
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
            return True
        except Exception:  # noqa: BLE001 - a lost connection means a lost lock
            log.warning("lost the connection that held leadership")
            self.connection = None
            return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None
        self.engine.dispose()
