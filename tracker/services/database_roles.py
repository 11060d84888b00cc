"""Use case `db create-roles`: the database's owner gives the running parts a role of their own
that can append to the log but never rewrite it (see store.grants and docs/security.md)."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from ..domain.errors import DomainError
from ..store import grants
from ..store.db import unit_of_work
from .access import audit_owner_action
from .app import App

DEFAULT_ROLE = "tracker_app"


def create_roles(app: App, *, role: str = DEFAULT_ROLE, password: str | None = None) -> list[str]:
    """Create or update `role` on the database `app` points at (as its owner); return what was
    done and the URL the dashboards and schedulers should use from now on."""
    url = make_url(app.database_url)
    if url.get_backend_name() != "postgresql":
        raise DomainError("db create-roles: SQLite has no roles; the database file's permissions "
                          "are its boundary (see docs/security.md)")
    try:
        with unit_of_work(app.database_url) as session:
            done = grants.create_app_role(session.connection(), role, password)
            audit_owner_action(session, app, "create roles", role, "; ".join(done))
    except ProgrammingError as error:  # not the owner, or no CREATEROLE
        raise DomainError(f"db create-roles: the database refused ({str(error.orig).strip()}); "
                          "run it as the database's owner") from None
    app_url = url.set(username=role, password="***" if password else None)
    return [*done, "point the scheduler and the dashboards at: "
            + app_url.render_as_string(hide_password=False)]
