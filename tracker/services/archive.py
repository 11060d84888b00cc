"""Use cases `backup` and `restore`: the whole database streamed to a checksummed file and back.

Memory stays flat however large the log: rows go from the cursor to the gzip stream one at a
time, and come back in batches (see backup_file for the format)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pydantic import BaseModel
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError, StatementError

from .. import files
from ..domain.errors import DomainError
from ..domain.timefmt import utc_z
from ..store import backup as store
from ..store.db import unit_of_work
from ..store.dump import TABLES
from . import backup_file as fmt
from .access import audit_now, audit_owner_action, guarded, in_team_mode, unaudited
from .app import App
from .audit_trail import refuse_broken_chain, refuse_users_unlike_log


class BackupReport(BaseModel):
    path: str
    tables: dict[str, int]
    rows: int
    bytes: int
    sha256: str  # of the compressed file, as `sha256sum FILE` prints it


@guarded("backup", role="admin")
def backup(app: App, path: str | Path, *, force: bool = False) -> BackupReport:
    """Write every table to `path` (and its digest to `path`.sha256); return what went in.

    1. Check the database is migrated and neither file exists (unless `force`).
    2. Stream every table from one snapshot into a new private file beside `path`.
    3. Move it into place, so a failed backup never leaves a half file under the real name.
    """
    target, sidecar = Path(path), Path(f"{path}.sha256")
    schema = _schema(app)
    for name in (target, sidecar):
        files.refuse_existing(name, force=force)
    unaudited()
    if in_team_mode(app):  # before the snapshot, so the backup holds its own event
        audit_now(app, action="backup", target=target.name)
    with files.private_file(target, force=force) as raw:
        tables, rows, digest = _write(app, raw, schema)
    files.write_private(sidecar, f"{digest}  {target.name}\n".encode(), force=True)
    return BackupReport(path=str(target), tables=tables, rows=rows,
                        bytes=target.stat().st_size, sha256=digest)


def _write(app: App, raw: IO[bytes], schema: str) -> tuple[dict[str, int], int, str]:
    """Stream every table from one snapshot into `raw`; return counts, rows, file digest."""
    with unit_of_work(app.database_url, read_only=True) as session:
        connection = store.snapshot(session)
        tables = store.counts(connection)
        writer = fmt.Writer(raw)
        writer.line({"format": fmt.FORMAT, "version": fmt.VERSION, "schema": schema,
                     "created_at": utc_z(app.clock()), "tables": tables})
        for table in TABLES:
            writer.line({"table": table.name, "columns": [c.name for c in table.columns],
                         "rows": tables[table.name]})
            for row in store.rows_of(connection, table):
                writer.line(row, row=True)
        _, digest = writer.finish()
    return tables, writer.rows, digest


def restore(app: App, path: str | Path) -> int:
    """Load a backup into an empty, migrated database in one transaction; return the row count.

    The whole file is read and its checksums checked before the database is touched."""
    source = _readable(Path(path))
    verified = fmt.verify(source)
    _check_sidecar(source, verified.file_sha256)
    _check_schema(app, source, verified.header.get("schema"))
    with unit_of_work(app.database_url) as session:
        filled = store.non_empty(session)
        if filled:
            raise DomainError(f"{source}: the database already holds data (in {', '.join(filled)})"
                              "; restore goes into an empty database: point "
                              "TRACKER_DATABASE_URL at a new one and run `tracker init`")
        try:
            for name, columns, rows in fmt.batches(source, store.BATCH):
                store.insert_batch(session, _table(source, name, columns), columns, rows)
            store.reset_sequences(session)
        except (IntegrityError, StatementError) as error:
            raise DomainError(f"{source}: rows do not fit together ({error.orig or error}); "
                              "restore only files written by `tracker backup`") from None
        refuse_broken_chain(session, source)
        refuse_users_unlike_log(session, source)
        audit_owner_action(session, app, "restore", source.name,
                           f"{sum(verified.found.values())} rows, sha256 {verified.file_sha256}")
    return sum(verified.found.values())


def _schema(app: App) -> str:
    from ..store.migrate import current_revision  # Alembic is slow to import

    schema = current_revision(app.database_url)
    if schema is None:
        raise DomainError("the database is not initialised; run `tracker init` first")
    return schema


def _readable(path: Path) -> Path:
    if not path.exists():
        raise DomainError(f"FILE: {path} does not exist; give a file written by `tracker backup`")
    if not path.is_file():
        raise DomainError(f"FILE: {path} is not a file; give a file written by `tracker backup`")
    with path.open("rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raise DomainError(f"{path}: not a tracker backup (not gzip-compressed); "
                              f"{fmt.EXPORT_HINT} (a `tracker export` file goes back with "
                              "`tracker import`)")
    return path


def _check_sidecar(path: Path, digest: str) -> None:
    """The digest beside the file, if it is there, must be the file's: it catches a swapped file."""
    sidecar = Path(f"{path}.sha256")
    if not sidecar.is_file():
        return
    expected = sidecar.read_text(encoding="utf-8", errors="replace").split(maxsplit=1)[:1]
    if expected != [digest]:
        raise fmt.damaged(path, f"its SHA-256 differs from the one in {sidecar.name}")


def _check_schema(app: App, path: Path, schema: object) -> None:
    current = _schema(app)
    if schema != current:
        raise DomainError(f"{path}: written at schema {schema!r}, this database is at "
                          f"{current!r}; restore into a database at the same revision")


def _table(path: Path, name: str, columns: list[str]) -> Table:
    table = store.table(name)
    if table is None:
        raise DomainError(f"{path}: unknown table {name!r}; restore with the tracker that wrote it")
    unknown = set(columns) - {c.name for c in table.columns}
    if unknown:
        raise DomainError(f"{path}: table {name} has unknown columns {', '.join(sorted(unknown))}")
    return table
