"""Alembic environment: the URL comes from the tracker's settings (or the caller's config)."""

from __future__ import annotations

from sqlmodel import SQLModel

from alembic import context
from tracker.config import get_settings
from tracker.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from tracker.store.db import engine_for

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("url") or get_settings().database_url
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with engine_for(url).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # batch mode copies tables: foreign keys must wait (outside a transaction)
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            _run(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `tracker init`")
run_migrations_online()
