"""Use cases `export` and `import`: everything, losslessly, as one JSON document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, StatementError

from ..domain.audit_chain import GLOBAL
from ..domain.errors import DomainError
from ..store.backup import non_empty
from ..store.db import unit_of_work
from ..store.dump import TABLES, columns, dump, restore
from .access import audit_here, audit_owner_action, guarded, in_team_mode, unaudited
from .app import App
from .audit_trail import refuse_broken_chain, refuse_users_unlike_log

FORMAT = "commitment-tracker-export"


@guarded("export", role="admin")
def export_text(app: App, *, include_secrets: bool = False) -> str:
    """Return the whole database as deterministic JSON (same data, same bytes).

    Secrets (password hashes, session and token hashes) are left out unless asked for, and
    the document says which; an import of it gives users without passwords. In team mode the
    export is an admin's, and its audit event is the last row of the log it holds."""
    from ..store.migrate import current_revision  # Alembic is slow to import

    unaudited()
    secrets = "included" if include_secrets else "left out"
    team = in_team_mode(app)
    with unit_of_work(app.database_url, read_only=not team) as session:
        if team:
            audit_here(session, action="export", target="", chain=GLOBAL,
                       detail=f"secrets {secrets}")
        tables = dump(session)
    if not include_secrets:
        tables = without_secrets(tables)
    document = {"format": FORMAT, "version": 1, "schema": current_revision(app.database_url),
                "secrets": secrets, "tables": tables}
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def without_secrets(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Return the tables without what would let someone sign in: no password hash (an admin
    sets new passwords after an import) and no session or CLI token at all."""
    users = [{**u, "password_hash": ""} for u in tables.get("app_user", [])]
    return {**tables, "app_user": users, "login_session": []}


def import_file(app: App, path: str | Path) -> int:
    """Load an export into an empty database; return how many rows went in.

    Not role-checked: only a database with no row at all (so no users to protect) takes an
    import. The export's audit log comes in unchanged, and is refused, naming the row, if its
    hash chain does not hold; the import itself is the next event.
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
            count = restore(session, tables)
        except (IntegrityError, StatementError) as error:
            raise DomainError(f"{path}: rows do not fit together ({error.orig or error}); "
                              "import only files written by `tracker export`") from None
        refuse_broken_chain(session, path)
        refuse_users_unlike_log(session, path)
        audit_owner_action(session, app, "import", Path(path).name, f"{count} rows")
        return count


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
