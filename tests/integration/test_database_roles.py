"""`tracker db create-roles`: the running parts get a PostgreSQL role that appends to the log
but can neither change a record nor the audit log, nor lift a trigger, nor alter the schema.

Roles are cluster-wide and the server is shared: each test makes its own uniquely named role
and drops it after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tracker import services
from tracker.store.db import dispose_all, engine_for

from ..conftest import PG_URL, SEEDS, SYRIA, Cli, app_at, signed_in
from .conftest import NOW, PASSWORD


@pytest.fixture
def app_role(migrated_url: str) -> Iterator[tuple[str, str]]:
    """Return (role, its URL) after the owner ran `tracker db create-roles` on this schema."""
    if not migrated_url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's; SQLite's boundary is the file")
    role = f"tracker_app_{uuid.uuid4().hex[:10]}"
    try:
        said = Cli(migrated_url).ok("db", "create-roles", "--role", role)
        assert f"role {role} created" in said and "may not create, alter or drop" in said
        yield role, make_url(migrated_url).set(username=role).render_as_string(
            hide_password=False)
    finally:
        dispose_all()
        owner = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with owner.connect() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        owner.dispose()


def test_the_running_parts_work_as_the_app_role(migrated_url: str,
                                                app_role: tuple[str, str]) -> None:
    _, url = app_role
    app = app_at(url, NOW)
    services.load(app, [SEEDS / f"{SYRIA}.yaml"])
    services.record_observation(app, f"{SYRIA}/seven-day-calm", occurred_at=app.clock(),
                                by="ana", summary="quiet night")
    services.add_user(app, "ada", role="admin", password=PASSWORD)
    admin = signed_in(app, "ada", PASSWORD)
    services.record_transition(admin, f"{SYRIA}/seven-day-calm", "breached",
                               occurred_at=datetime.fromisoformat(NOW), by="")
    services.tick(replace_identity(app_at(url, "2016-09-30T00:00:00+03:00")))
    assert services.verify_audit(app).broken is None
    assert services.status(admin, SYRIA).commitments


def replace_identity(app: services.App) -> services.App:
    from dataclasses import replace

    return replace(app, identity="clock")


@pytest.mark.parametrize("statement", [
    "UPDATE record SET reason = 'rewritten'",
    "DELETE FROM record",
    "UPDATE source SET url = 'https://forged.example/'",
    "UPDATE forecast SET probability = 0.99",
    "UPDATE audit_event SET actor = 'nobody'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "ALTER TABLE record ADD COLUMN x int",
    "CREATE TABLE shadow (id int)",
    "DROP TABLE alert",
])
def test_the_app_role_cannot_rewrite_the_log_or_the_schema(
        migrated_url: str, app_role: tuple[str, str], statement: str) -> None:
    _, url = app_role
    app = app_at(url, NOW)
    services.load(app, [SEEDS / f"{SYRIA}.yaml"])
    services.record_observation(app, f"{SYRIA}/seven-day-calm", occurred_at=app.clock(),
                                by="ana", summary="quiet night")
    services.record_forecast(app, f"{SYRIA}/truce-collapses", 0.4, by="ana", rationale="r")
    with pytest.raises(DBAPIError, match="permission denied|must be owner"):
        with engine_for(url).begin() as connection:
            connection.execute(text(statement))
    with engine_for(migrated_url).connect() as connection:  # the owner sees it all unchanged
        reasons = connection.execute(text("SELECT summary FROM record")).scalars().all()
    assert reasons == ["quiet night"]


def test_create_roles_refuses_sqlite_and_a_bad_role_name(cli: Cli) -> None:
    if cli.url.startswith("sqlite"):
        assert "SQLite has no roles" in cli.refused("db", "create-roles")
    else:
        assert "is not a role name" in cli.refused("db", "create-roles", "--role", 'x"; DROP')
