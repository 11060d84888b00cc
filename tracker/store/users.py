"""Queries on dashboard users. They read and stage writes; the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from .tables import LoginSessionRow, UserRow


def user_by_name(session: Session, name: str) -> UserRow | None:
    return session.exec(select(UserRow).where(UserRow.name == name)).first()


def users(session: Session) -> Sequence[UserRow]:
    return session.exec(select(UserRow).order_by(col(UserRow.name))).all()


def user_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(UserRow)).one()


def admin_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(UserRow)
                        .where(UserRow.role == "admin", col(UserRow.removed_at).is_(None))).one()


def end_sessions(session: Session, name: str, *, at: datetime) -> int:
    """Mark every open session of `name` ended at `at`; return how many were open."""
    result = session.connection().execute(
        update(LoginSessionRow)
        .where(col(LoginSessionRow.user_name) == name, col(LoginSessionRow.ended_at).is_(None))
        .values(ended_at=at))
    return int(result.rowcount or 0)
