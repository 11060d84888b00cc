"""Queries on sessions, sign-in attempts and the audit log. The unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, text, update
from sqlmodel import Session, col, select

from .tables import AuditEventRow, LoginAttemptRow, LoginSessionRow

AUDIT = AuditEventRow.__table__  # type: ignore[attr-defined]


def session_by_hash(session: Session, token_hash: str) -> LoginSessionRow | None:
    return session.exec(select(LoginSessionRow).where(
        LoginSessionRow.token_hash == token_hash)).first()


def failures_since(session: Session, name: str, since: datetime,
                   until: datetime) -> list[datetime]:
    """Return the instants of failed sign-ins for `name` in (since, until], oldest first."""
    query = (select(LoginAttemptRow.at)
             .where(LoginAttemptRow.user_name == name, col(LoginAttemptRow.at) > since,
                    col(LoginAttemptRow.at) <= until,
                    LoginAttemptRow.ok == False)  # noqa: E712 - SQL, not Python
             .order_by(col(LoginAttemptRow.at)))
    return list(session.exec(query).all())


def queue_behind_attempts_on(session: Session, name: str) -> None:
    """Make this transaction wait for any other one counting sign-ins on `name`.

    PostgreSQL: a transaction-scoped advisory lock on the name. SQLite needs nothing: a write
    transaction there already begins with the database's one write lock (BEGIN IMMEDIATE).
    """
    if session.connection().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                                     {"key": f"sign-in:{name}"})


def mark_attempt_ok(session: Session, attempt_id: int) -> None:
    session.connection().execute(update(LoginAttemptRow).where(
        col(LoginAttemptRow.id) == attempt_id).values(ok=True))


def add_audit(session: Session, values: dict[str, object]) -> None:
    """Append one audit event (Core insert: it also runs inside the commit hook)."""
    session.connection().execute(insert(AUDIT), [values])


def audit_events(session: Session, *, limit: int, actor: str | None = None,
                 outcome: str | None = None) -> Sequence[AuditEventRow]:
    query = select(AuditEventRow)
    if actor:
        query = query.where(AuditEventRow.actor == actor)
    if outcome:
        query = query.where(AuditEventRow.outcome == outcome)
    return session.exec(query.order_by(col(AuditEventRow.id).desc()).limit(limit)).all()


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEventRow)).one()
