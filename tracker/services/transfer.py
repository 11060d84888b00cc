"""Use cases `export` and `import`: everything, losslessly, as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, StatementError

from ..domain.errors import DomainError
from ..store.backup import non_empty
from ..store.db import unit_of_work
from ..store.dump import TABLES, columns, dump, restore
from .app import App

FORMAT = "commitment-tracker-export"


def export_text(app: App) -> str:
    """Return the whole database as deterministic JSON (same data, same bytes)."""
    from ..store.migrate import current_revision  # Alembic is slow to import

    with unit_of_work(app.database_url, read_only=True) as session:
        tables = dump(session)
    document = {"format": FORMAT, "version": 1, "schema": current_revision(app.database_url),
                "tables": tables}
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def import_file(app: App, path: str | Path) -> int:
    """Load an export into an empty database; return how many rows went in.

    Not role-checked and not audited: only a database with no row at all (so no users to
    protect) takes an import, and the export's own audit log comes in unchanged.
    """
    from ..store.migrate import current_revision

    tables = _read(Path(path), current_revision(app.database_url))
    with unit_of_work(app.database_url) as session:
        filled = non_empty(session)
        if filled:
            raise DomainError(f"{path}: the database already holds {', '.join(filled)} rows; "
                              "import goes into an empty database (point TRACKER_DATABASE_URL "
                              "at a new one and run `tracker init`)")
        try:
            return restore(session, tables)
        except (IntegrityError, StatementError) as error:
            raise DomainError(f"{path}: rows do not fit together ({error.orig or error}); "
                              "import only files written by `tracker export`") from None


def _read(path: Path, schema: str | None) -> dict[str, list[dict[str, Any]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(f"{path}: not a readable export ({error}); give a file written by "
                          "`tracker export`") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DomainError(f"{path}: not a tracker export (no \"format\": \"{FORMAT}\")")
    if document.get("schema") != schema:
        raise DomainError(f"{path}: written at schema {document.get('schema')!r}, this "
                          f"database is at {schema!r}; import into a database at the same "
                          "revision")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise DomainError(f"{path}: \"tables\" is missing")
    for table in TABLES:
        rows = tables.get(table.name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise DomainError(f"{path}: tables.{table.name} must be a list of rows")
        unknown = {k for r in rows for k in r} - columns(table.name)
        if unknown:
            raise DomainError(f"{path}: tables.{table.name} has unknown columns "
                              f"{', '.join(sorted(unknown))}")
    return tables
