"""The PostgreSQL role the running parts use (`tracker db create-roles`): only what they need.

The log (records, their sources, forecasts, the audit log) can be appended to and read, never
changed; the tables the projection and the inbox rewrite can be written in full; nothing can be
created, altered or dropped, and no trigger lifted: that stays with the owner, who migrates and
restores. Run again after each `tracker init` that adds tables.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ..domain.errors import DomainError

# Appended to and read; an UPDATE, DELETE or TRUNCATE is refused by the database.
LOG_TABLES = ("record", "source", "forecast", "audit_event")
# Rewritten as the projection, the inbox and the sessions move on.
DERIVED_TABLES = ("agreement", "commitment", "scenario", "timeline_entry", "record_override",
                  "alert", "delivery", "app_user", "login_session", "login_attempt")
READ_TABLES = ("alembic_version",)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def create_app_role(connection: Connection, role: str, password: str | None) -> list[str]:
    """Create (or bring up to date) `role` with the grants above on the current schema; return
    what was done, a line each. The connection must be the database owner's."""
    if not ROLE_NAME.match(role):
        raise DomainError(f"--role: {role!r} is not a role name; use lower-case letters, digits "
                          "and _, e.g. tracker_app")
    schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
    done = [_ensure_role(connection, role, password)]
    done += _grant(connection, role, schema)
    return done


def _ensure_role(connection: Connection, role: str, password: str | None) -> str:
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                {"r": role}).first()
    verb = "ALTER" if exists else "CREATE"
    # NOINHERIT and no CREATEDB/CREATEROLE: the role holds its grants and nothing more.
    statement = f'{verb} ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT'
    if password:
        # A literal, as DDL takes no parameters; quote_literal escapes it on the server side.
        quoted = connection.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        statement += f" PASSWORD {quoted}"
    connection.execute(text(statement))
    return f"role {role} {'updated' if exists else 'created'} (login, no other privilege)"


def _grant(connection: Connection, role: str, schema: str) -> list[str]:
    present = set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalars())
    missing = [t for t in (*LOG_TABLES, *DERIVED_TABLES) if t not in present]
    if missing:
        raise DomainError(f"database: tables {', '.join(missing)} are missing in schema {schema}; "
                          "run `tracker init` first, as the owner")
    q = f'"{schema}"'
    statements = [f'REVOKE ALL ON ALL TABLES IN SCHEMA {q} FROM "{role}"',
                  f'REVOKE CREATE ON SCHEMA {q} FROM "{role}"',
                  f'GRANT USAGE ON SCHEMA {q} TO "{role}"',
                  *(f'GRANT SELECT, INSERT ON {q}."{t}" TO "{role}"' for t in LOG_TABLES),
                  *(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {q}."{t}" TO "{role}"'
                    for t in DERIVED_TABLES),
                  *(f'GRANT SELECT ON {q}."{t}" TO "{role}"' for t in READ_TABLES if t in present),
                  f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q} TO "{role}"']
    for statement in statements:
        connection.execute(text(statement))
    return [f"schema {schema}: {role} may read and append to {', '.join(LOG_TABLES)}",
            f"schema {schema}: {role} may read and write {', '.join(DERIVED_TABLES)}",
            f"schema {schema}: {role} may not create, alter or drop anything, nor lift a trigger"]


def drop_app_role(connection: Connection, role: str) -> None:
    """Remove `role` and its grants in this database (tests; an owner retiring a deployment)."""
    if not ROLE_NAME.match(role):
        raise DomainError(f"--role: {role!r} is not a role name")
    connection.execute(text(f'DROP OWNED BY "{role}"'))
    connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
