"""Queries on sessions, sign-in attempts and the audit log. The unit of work commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, text, update
from sqlmodel import Session, col, select

from ..domain.audit_chain import GLOBAL, seal
from .tables import AuditEventRow, LoginAttemptRow, LoginSessionRow

AUDIT = AuditEventRow.__table__  # type: ignore[attr-defined]


def session_by_hash(session: Session, token_hash: str) -> LoginSessionRow | None:
    return session.exec(select(LoginSessionRow).where(
        LoginSessionRow.token_hash == token_hash)).first()


def failures_since(session: Session, name: str, since: datetime, until: datetime, *,
                   origin: str) -> list[datetime]:
    """Return the instants of failed sign-ins for `name` from `origin` in (since, until] and
    after its last success from there, oldest first."""
    mine = (LoginAttemptRow.user_name == name, LoginAttemptRow.origin == origin)
    last_ok = session.exec(select(func.max(LoginAttemptRow.at)).where(
        *mine, LoginAttemptRow.ok == True)).one()  # noqa: E712 - SQL, not Python
    start = max(since, last_ok) if last_ok is not None else since
    query = (select(LoginAttemptRow.at)
             .where(*mine, col(LoginAttemptRow.at) > start, col(LoginAttemptRow.at) <= until,
                    LoginAttemptRow.ok == False)  # noqa: E712 - SQL, not Python
             .order_by(col(LoginAttemptRow.at)))
    return list(session.exec(query).all())


def queue_behind_attempts_on(session: Session, name: str) -> None:
    """Make this transaction wait for any other one counting sign-ins on `name` (a name and
    where the attempt comes from).

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
    """Append one audit event to the end of its chain (`values["chain"]`, default the one of
    events about no agreement), sealed with its hash. Core statements: it also runs inside the
    commit hook.

    Writers to one chain queue here (PostgreSQL: a transaction-scoped advisory lock on the
    chain; SQLite's write transactions queue already), so no two rows follow the same one; the
    unique (chain, seq) would refuse a fork anyway."""
    connection = session.connection()
    chain = str(values.get("chain") or GLOBAL)
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                           {"key": f"audit-chain:{chain}"})
    last = connection.execute(select(AUDIT.c.seq, AUDIT.c.hash).where(AUDIT.c.chain == chain)
                              .order_by(AUDIT.c.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last is not None else (1, "")
    connection.execute(insert(AUDIT), [seal({**values, "chain": chain, "seq": seq}, prev=prev)])


def audit_chain_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Yield every audit event as a dict, chain by chain in order: what verification reads."""
    # The option on the statement: on the connection it would stay for the writes after it.
    result = session.connection().execute(
        select(AUDIT).order_by(AUDIT.c.chain, AUDIT.c.seq).execution_options(yield_per=5000))
    for row in result.mappings():
        yield dict(row)


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
