"""Queries on dashboard users. They read and stage writes; the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from .tables import UserRow


def user_by_name(session: Session, name: str) -> UserRow | None:
    return session.exec(select(UserRow).where(UserRow.name == name)).first()


def users(session: Session) -> Sequence[UserRow]:
    return session.exec(select(UserRow).order_by(col(UserRow.name))).all()


def user_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(UserRow)).one()
