"""Where the benchmarks' databases live: SQLite files in a temp dir, or fresh PostgreSQL schemas.

Each backend hands out migrated, empty databases (`fresh`) and copies of one (`copy`, so a
measurement never sees another's writes), and removes them (`drop`, `close`; SQLite's files go
with the run's temp dir).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from tracker.store.db import dispose_all, engine_for
from tracker.store.migrate import upgrade


class SQLite:
    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def _new_url(self) -> str:
        self.count += 1
        return f"sqlite:///{self.folder / f'db-{self.count}.sqlite'}"

    def fresh(self) -> str:
        url = self._new_url()
        upgrade(url)
        return url

    def copy(self, url: str) -> str:
        """Copy with SQLite's backup API: a consistent snapshot, WAL included."""
        target = self._new_url()
        dispose_all()  # no connection of ours may be writing while we copy
        source, copy = sqlite3.connect(_path(url)), sqlite3.connect(_path(target))
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return target

    def drop(self, url: str) -> None:
        dispose_all()
        for suffix in ("", "-wal", "-shm"):
            Path(_path(url) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        dispose_all()


def _path(url: str) -> str:
    database = make_url(url).database
    assert database is not None
    return database


class Postgres:
    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.schemas: dict[str, str] = {}  # url -> schema

    def fresh(self) -> str:
        """Return a migrated, empty schema's URL (the way tests/conftest.py builds one)."""
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = make_url(self.url).update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        self.schemas[rendered] = schema
        upgrade(rendered)
        return rendered

    def copy(self, url: str) -> str:
        """Copy every table into a freshly migrated schema, move its id sequences on, and gather
        the planner's statistics, as a database in use has them."""
        source, target = self.schemas[url], self.fresh()
        schema = self.schemas[target]
        with engine_for(target).begin() as connection:
            present = set(inspect(connection).get_table_names(schema=source))
            for table in SQLModel.metadata.sorted_tables:  # parents before children
                if table.name not in present:
                    continue
                connection.execute(text(
                    f"INSERT INTO {schema}.{table.name} SELECT * FROM {source}.{table.name}"))
                if "id" in table.c:
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{schema}.{table.name}', 'id'), "
                        f"max(id)) FROM {schema}.{table.name} HAVING max(id) IS NOT NULL"))
                connection.execute(text(f"ANALYZE {schema}.{table.name}"))
        return target

    def drop(self, url: str) -> None:
        dispose_all()
        schema = self.schemas.pop(url)
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))

    def close(self) -> None:
        for url in list(self.schemas):
            self.drop(url)
        self.admin.dispose()


Backend = SQLite | Postgres


def reachable(url: str) -> str | None:
    """Return None if PostgreSQL at `url` answers, else why not."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means the same here
        return str(error).splitlines()[0]
    finally:
        engine.dispose()
    return None
