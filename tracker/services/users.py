"""Dashboard users: named, with a role, and a salted argon2 hash of their password (never the text).

Roles, each including the one before: `viewer` reads; `analyst` changes states, records outcomes
and acknowledges alerts; `admin` also loads seeds and manages users.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ..domain.errors import DomainError
from ..names import confusable, normalise_name
from ..store import users as store
from ..store.db import retrying, unit_of_work
from ..store.tables import UserRow
from .access import PASSWORDS, audit_detail, audit_owner_action, authenticate, guarded, readable
from .app import App
from .roles import ROLES, UserView

MIN_PASSWORD = 8
__all__ = ["ROLES", "UserView", "add_user", "authenticate", "change_role", "end_sessions",
           "has_users", "list_users", "remove_user", "reset_password", "unlock"]


@guarded("add user", role="admin")
def add_user(app: App, name: str, *, role: str, password: str) -> UserView:
    """Store a new user with a salted hash of `password`; refuse a taken name, one that reads
    like a taken one (removed users' too: the log still names them), or a weak password."""
    name = normalise_name(name)
    if role not in ROLES:
        raise DomainError(f"--role: {role!r} is not a role; use one of {', '.join(ROLES)}")
    check_password(password)
    try:
        with unit_of_work(app.database_url) as session:
            if store.user_by_name(session, name) is not None:
                raise DomainError(f"NAME: a user {name!r} exists already; pick another name")
            twin = confusable(name, [u.name for u in store.users(session)])
            if twin is not None:
                raise DomainError(f"NAME: {name!r} reads like the existing user {twin!r} (they "
                                  "look alike on screen); pick a name that does not")
            session.add(UserRow(name=name, role=role, password_hash=PASSWORDS.hash(password),
                                created_at=app.clock()))
            audit_detail(f"role: {role}")
    except IntegrityError:
        raise DomainError(f"NAME: a user {name!r} exists already; pick another name") from None
    return UserView(name=name, role=role)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"password: at least {MIN_PASSWORD} characters, please")
    if any(unicodedata.category(c) == "Cc" for c in password):
        raise DomainError("password: holds a control character; type it without")


@retrying
def has_users(app: App) -> bool:
    """Return True once a user exists: then the dashboard requires a login."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return store.user_count(session) > 0


@readable("users")
def list_users(app: App) -> list[UserView]:
    """Return every user, removed ones and those without a password marked as such."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return [UserView(name=u.name, role=u.role, state="removed" if u.removed_at
                         else "no password" if not u.password_hash else "active")
                for u in store.users(session)]


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


@guarded("unlock user", role="admin")
def unlock(app: App, name: str) -> UserView:
    """Let `name` sign in again at once from everywhere: failures before now no longer count."""
    with unit_of_work(app.database_url) as session:
        row = _user_or_fail(session, name)
        row.unlocked_at = app.wall_clock()
        session.add(row)
    return UserView(name=row.name, role=row.role)


def reset_password(app: App, name: str, *, password: str) -> UserView:
    """Give `name` a new password, ending their sessions and unlocking them (admins).

    After an import that left passwords out no admin can sign in: then, and only for an admin,
    whoever runs the tracker on the database (its owner, in practice) may set it; audited."""
    check_password(password)
    if _no_admin_can_sign_in(app, name):
        with unit_of_work(app.database_url) as session:
            _set_password(session, app, name, password)
            audit_owner_action(session, app, "reset password", name,
                               "no admin could sign in (an import without passwords)")
        return UserView(name=name, role="admin")
    return _reset_as_admin(app, name, password=password)


@guarded("reset password", role="admin")
def _reset_as_admin(app: App, name: str, *, password: str) -> UserView:
    with unit_of_work(app.database_url) as session:
        row = _set_password(session, app, name, password)
    return UserView(name=row.name, role=row.role)


def _set_password(session: Session, app: App, name: str, password: str) -> UserRow:
    row = _user_or_fail(session, name)
    row.password_hash, row.unlocked_at = PASSWORDS.hash(password), app.wall_clock()
    session.add(row)
    store.end_sessions(session, row.name, at=app.wall_clock())
    return row


def _no_admin_can_sign_in(app: App, name: str) -> bool:
    with unit_of_work(app.database_url, read_only=True) as session:
        people = store.users(session)
    admins = [u for u in people if u.role == "admin" and u.removed_at is None]
    return any(u.name == name for u in admins) and not any(u.password_hash for u in admins)


@guarded("remove user", role="admin")
def remove_user(app: App, name: str) -> UserView:
    """Remove `name`: no sign-in, no session any more; the log keeps the name, and nobody else
    may take it (or one that reads like it)."""
    with unit_of_work(app.database_url) as session:
        row = _user_or_fail(session, name)
        if row.role == "admin" and store.admin_count(session) == 1:
            raise DomainError(f"NAME: {name} is the last admin; make another user admin first, "
                              "or nobody could manage users any more")
        row.removed_at = app.wall_clock()
        session.add(row)
        store.end_sessions(session, row.name, at=app.wall_clock())
    return UserView(name=row.name, role=row.role, state="removed")


def _user_or_fail(session: Session, name: str) -> UserRow:
    row = store.user_by_name(session, name.strip())
    if row is None:
        raise DomainError(f"NAME: no user {name!r}; see `tracker user list`")
    if row.removed_at is not None:
        raise DomainError(f"NAME: {name!r} was removed; a removed user's name stays taken")
    return row
