"""Every table as JSON-ready rows, and back: the lossless export the CLI writes and reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlmodel import Session, SQLModel

from .tables import (
    AgreementRow,
    AlertRow,
    AuditEventRow,
    CommitmentRow,
    DeliveryRow,
    ForecastRow,
    LoginAttemptRow,
    LoginSessionRow,
    OverrideRow,
    RecordRow,
    ScenarioRow,
    SourceRow,
    TimelineEntryRow,
    UndoneDecisionRow,
    UserRow,
    UTCDateTime,
)

# Parents before children, so foreign keys hold while rows go in.
TABLES: list[Table] = [
    SQLModel.metadata.tables[str(model.__tablename__)]
    for model in (AgreementRow, CommitmentRow, ScenarioRow, RecordRow, SourceRow,
                  TimelineEntryRow, OverrideRow, UndoneDecisionRow, ForecastRow, AlertRow,
                  DeliveryRow, UserRow,
                  LoginSessionRow, LoginAttemptRow, AuditEventRow)
]


def dump(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Return every row of every table, ordered by primary key, instants as ISO 8601 UTC."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        order = list(table.primary_key.columns)
        rows = session.connection().execute(select(table).order_by(*order)).mappings()
        out[table.name] = [_to_json(table, dict(r)) for r in rows]
    return out


def restore(session: Session, tables: dict[str, list[dict[str, Any]]]) -> int:
    """Insert dumped rows into empty tables; return how many rows went in."""
    connection = session.connection()
    count = 0
    for table in TABLES:
        rows = [_from_json(table, r) for r in tables.get(table.name, [])]
        for start in range(0, len(rows), 5000):
            connection.execute(insert(table), rows[start:start + 5000])
        count += len(rows)
    if connection.dialect.name == "postgresql":
        for table in TABLES:
            if "id" in table.c:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return count


def columns(table_name: str) -> set[str]:
    return {c.name for t in TABLES if t.name == table_name for c in t.columns}


def _to_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    for column in table.columns:
        value = row.get(column.name)
        if isinstance(column.type, UTCDateTime) and value is not None:
            row[column.name] = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return row


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if isinstance(column.type, UTCDateTime) and isinstance(value, str):
            out[column.name] = datetime.fromisoformat(value)
    return out
