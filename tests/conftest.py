"""Fixtures: a migrated database on SQLite and on PostgreSQL, an App with a fixed clock, the CLI.

PostgreSQL comes from TRACKER_TEST_PG_URL (default: the project's local server). Each test gets
its own schema. Under CI=true an unreachable server fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tracker.services import App
from tracker.services.clock import fixed_clock
from tracker.store.db import dispose_all
from tracker.store.migrate import upgrade

PG_URL = os.environ.get("TRACKER_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SYRIA = "us-russia-syria-2016"


def _pg_schema_url(schema: str) -> str:
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Put back `__main__` after each test: Streamlit's AppTest leaves the dashboard script
    there, and multiprocessing (the stress tests' workers) re-imports `__main__` in every child,
    which would run the dashboard in them."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return an empty database's URL: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        dispose_all()
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server means the same
        admin.dispose()
        message = f"PostgreSQL at {PG_URL} is unreachable: {error}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield _pg_schema_url(schema)
    dispose_all()
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def migrated_url(database_url: str) -> str:
    upgrade(database_url)
    return database_url


def app_at(url: str, now: str | datetime) -> App:
    instant = datetime.fromisoformat(now) if isinstance(now, str) else now
    return App(database_url=url, clock=fixed_clock(instant), wall_clock=fixed_clock(instant))


def signed_in(app: App, name: str, password: str) -> App:
    """Return `app` acting as user `name` (team mode), through a real sign-in."""
    from dataclasses import replace

    from tracker.services import sign_in

    return replace(app, token=sign_in(app, name, password).token, origin="tests")


def cli_as(url: str, name: str, password: str) -> Cli:
    """Return a Cli acting as user `name` (team mode), signed in on real time as `tracker
    login` is, so its token is alive when the CLI checks it."""
    from tracker.services import bootstrap, sign_in

    token = sign_in(bootstrap(database_url=url), name, password, kind="cli").token
    return Cli(url, token=token)


def snapshot(url: str) -> str:
    """Return every row of every table as JSON, read from the store (writes nothing)."""
    import json

    from tracker.store.db import unit_of_work
    from tracker.store.dump import dump

    with unit_of_work(url, read_only=True) as session:
        return json.dumps({"tables": dump(session)}, sort_keys=True, indent=1) + "\n"


class Cli:
    """Run `tracker` in-process against one database; returns click's Result."""

    def __init__(self, url: str, token: str = "") -> None:
        self.url = url
        self.token = token  # TRACKER_TOKEN: who the CLI acts as in team mode
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None,  # type: ignore[no-untyped-def]
                 input: str | None = None):
        from tracker.cli import app

        argv = (["--now", now] if now else []) + list(args)
        return self.runner.invoke(app, argv, input=input, env={"TRACKER_DATABASE_URL": self.url,
                                                         "TRACKER_NOW": "",
                                                         "TRACKER_TOKEN": self.token})

    def ok(self, *args: str, now: str | None = None) -> str:
        result = self(*args, now=now)
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return str(result.stdout)

    def export(self) -> str:
        """Return everything in the database, secrets and all, as JSON: a look at the store to
        tell whether a command changed it (not `tracker export`, which team mode keeps for
        admins and audits)."""
        return snapshot(self.url)

    def refused_unchanged(self, *args: str, now: str | None = None) -> str:
        """Return the one-line refusal of `args`, having checked the database did not change."""
        before = self.export()
        message = self.refused(*args, now=now)
        assert len(message.strip().splitlines()) == 1
        assert self.export() == before
        return message

    def refused(self, *args: str, now: str | None = None) -> str:
        result = self(*args, now=now)
        assert result.exit_code == 1, (args, result.exit_code, result.stdout, result.stderr)
        assert result.stderr.startswith("error: ")
        assert "Traceback" not in result.stderr + result.stdout
        return str(result.stderr)


@pytest.fixture
def cli(migrated_url: str) -> Cli:
    return Cli(migrated_url)
