"""Dashboard users: named, with a role, and a salted argon2 hash of their password (never the text).

Roles, each including the one before: `viewer` reads; `analyst` changes states, records outcomes
and acknowledges alerts; `admin` also loads seeds and manages users.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ..domain.errors import DomainError
from ..store import users as store
from ..store.db import retrying, unit_of_work
from ..store.tables import UserRow
from .access import PASSWORDS, audit_detail, authenticate, guarded, readable
from .app import App
from .roles import ROLES, UserView

MIN_PASSWORD = 8
__all__ = ["ROLES", "UserView", "add_user", "authenticate", "change_role", "end_sessions",
           "has_users", "list_users"]


@guarded("add user", role="admin")
def add_user(app: App, name: str, *, role: str, password: str) -> UserView:
    """Store a new user with a salted hash of `password`; refuse a taken name or a weak password."""
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise DomainError(f"NAME: {name!r} is not a user name; give 1-100 characters, no spaces")
    if role not in ROLES:
        raise DomainError(f"--role: {role!r} is not a role; use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"password: at least {MIN_PASSWORD} characters, please")
    try:
        with unit_of_work(app.database_url) as session:
            if store.user_by_name(session, name) is not None:
                raise DomainError(f"NAME: a user {name!r} exists already; pick another name")
            session.add(UserRow(name=name, role=role, password_hash=PASSWORDS.hash(password),
                                created_at=app.clock()))
            audit_detail(f"role: {role}")
    except IntegrityError:
        raise DomainError(f"NAME: a user {name!r} exists already; pick another name") from None
    return UserView(name=name, role=role)


@retrying
def has_users(app: App) -> bool:
    """Return True once a user exists: then the dashboard requires a login."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return store.user_count(session) > 0


@readable("users")
def list_users(app: App) -> list[UserView]:
    with unit_of_work(app.database_url, read_only=True) as session:
        return [UserView(name=u.name, role=u.role) for u in store.users(session)]


@guarded("change role", role="admin")
def change_role(app: App, name: str, *, role: str) -> UserView:
    """Give user `name` another role; it applies from their next click (sessions read it)."""
    if role not in ROLES:
        raise DomainError(f"--role: {role!r} is not a role; use one of {', '.join(ROLES)}")
    with unit_of_work(app.database_url) as session:
        row = _user_or_fail(session, name)
        if row.role == "admin" and role != "admin" and store.admin_count(session) == 1:
            raise DomainError(f"NAME: {name} is the last admin; make another user admin first, "
                              "or nobody could manage users any more")
        row.role = role
        session.add(row)
        audit_detail(f"role: {role}")
    return UserView(name=row.name, role=role)


@guarded("end sessions", role="admin")
def end_sessions(app: App, name: str) -> int:
    """End every open session and CLI token of user `name` at once; return how many."""
    with unit_of_work(app.database_url) as session:
        _user_or_fail(session, name)
        return store.end_sessions(session, name, at=app.wall_clock())


def _user_or_fail(session: Session, name: str) -> UserRow:
    row = store.user_by_name(session, name.strip())
    if row is None:
        raise DomainError(f"NAME: no user {name!r}; see `tracker user list`")
    return row
