"""Operations on SQLite and PostgreSQL: backup and restore, doctor, health, JSON logs, and the
error a read-only or full database gives."""

from __future__ import annotations

import gzip
import io
import json
import logging
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from tracker import logs, services
from tracker.leadership import leadership_for
from tracker.scheduler import Scheduler
from tracker.services import backup_file
from tracker.store.db import dispose_all, engine_for
from tracker.store.migrate import current_revision, upgrade

from ..conftest import PG_URL, SEEDS, SYRIA, Cli, _pg_schema_url, app_at, cli_as

SEED = SEEDS / f"{SYRIA}.yaml"
RECORDS = SEEDS / f"{SYRIA}.record.yaml"
LATER = "2016-10-30T00:00:00+00:00"


def filled(url: str, *, user: bool = True) -> Cli:
    """Return a Cli on `url` holding Syria, its record, the clock's alerts and (after all the
    writes: a user turns on team mode, where writes need a sign-in) an admin it acts as, who may
    back the database up."""
    services.load(app_at(url, "2016-09-10T12:00:00+03:00"), [SEED])
    services.load(app_at(url, LATER), [RECORDS])
    services.tick(app_at(url, LATER))
    if user:
        services.add_user(app_at(url, LATER), "mira", role="admin", password="long enough pw 1")
        return cli_as(url, "mira", "long enough pw 1")
    return Cli(url)


@pytest.fixture
def other_url(migrated_url: str, tmp_path: Path) -> Iterator[str]:
    """Return a second empty, migrated database on the same kind of server as migrated_url."""
    if migrated_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'other.db'}"
        upgrade(url)
        yield url
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = _pg_schema_url(schema)
    upgrade(url)
    yield url
    dispose_all()
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


# -- backup and restore ----------------------------------------------------------------------


def test_a_backup_restores_into_an_empty_database_exactly(migrated_url: str, other_url: str,
                                                          tmp_path: Path) -> None:
    source = filled(migrated_url)
    file = tmp_path / "tracker.backup.gz"
    said = source.ok("backup", str(file))
    assert "backed up" in said and file.is_file() and Path(f"{file}.sha256").is_file()
    target = Cli(other_url)
    assert "restored" in target.ok("restore", str(file))
    restored = json.loads(target.export())
    assert restored["tables"]["audit_event"].pop()["action"] == "restore"  # its own event
    assert restored == json.loads(source.export())
    # The id sequences moved past the restored rows: the next insert does not collide.
    with engine_for(other_url).begin() as connection:
        connection.execute(text("INSERT INTO app_user (name, role, password_hash, created_at) "
                                "VALUES ('omar', 'viewer', 'x', CURRENT_TIMESTAMP)"))


def test_the_backup_file_holds_a_header_counts_and_a_trailer(migrated_url: str,
                                                             tmp_path: Path) -> None:
    filled(migrated_url).ok("backup", str(tmp_path / "b.gz"))
    lines = gzip.decompress((tmp_path / "b.gz").read_bytes()).splitlines()
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert header["format"] == backup_file.FORMAT
    assert header["schema"] == current_revision(migrated_url)
    assert header["tables"]["agreement"] == 1 and header["tables"]["alert"] > 0
    assert trailer["rows"] == sum(header["tables"].values()) == sum(x.startswith(b"[") for x in lines)
    assert (tmp_path / "b.gz").stat().st_mode & 0o777 == 0o600  # password hashes inside


def _backup(url: str, folder: Path) -> Path:
    file = folder / "b.gz"
    filled(url).ok("backup", str(file))
    return file


def test_a_corrupted_backup_is_refused_and_the_database_unchanged(
        migrated_url: str, other_url: str, tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    message = Cli(other_url).refused_unchanged("restore", str(file))
    assert "damaged" in message and "nothing was restored" in message


def test_a_truncated_backup_is_refused_and_the_database_unchanged(
        migrated_url: str, other_url: str, tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    Path(f"{file}.sha256").unlink()  # the gzip stream itself must tell
    assert "truncated" in Cli(other_url).refused_unchanged("restore", str(file))


def test_an_edited_backup_fails_its_inner_checksum(migrated_url: str, other_url: str,
                                                   tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    content = gzip.decompress(file.read_bytes()).replace(b'"mira"', b'"eve!"')
    file.write_bytes(gzip.compress(content))  # a sound gzip stream around altered rows
    Path(f"{file}.sha256").unlink()
    assert "SHA-256 does not match" in Cli(other_url).refused_unchanged("restore", str(file))


def test_a_backup_cut_at_a_line_is_refused_as_truncated(migrated_url: str, other_url: str,
                                                        tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    lines = gzip.decompress(file.read_bytes()).splitlines(keepends=True)
    file.write_bytes(gzip.compress(b"".join(lines[:-3])))
    Path(f"{file}.sha256").unlink()
    assert "truncated" in Cli(other_url).refused_unchanged("restore", str(file))


def test_a_backup_swapped_for_another_fails_its_sidecar(migrated_url: str, other_url: str,
                                                        tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    Path(f"{file}.sha256").write_text("0" * 64 + "  b.gz\n")
    assert "b.gz.sha256" in Cli(other_url).refused_unchanged("restore", str(file))


def test_restore_into_a_database_holding_data_is_refused(migrated_url: str,
                                                         tmp_path: Path) -> None:
    file = _backup(migrated_url, tmp_path)
    message = Cli(migrated_url).refused_unchanged("restore", str(file))
    assert "already holds data" in message and "empty database" in message


def test_restore_refuses_a_backup_from_another_schema_revision(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "old.gz"
    with file.open("wb") as raw:
        writer = backup_file.Writer(raw)
        writer.line({"format": backup_file.FORMAT, "version": 1, "schema": "0001",
                     "created_at": LATER, "tables": {}})
        writer.finish()
    assert "written at schema '0001'" in cli.refused_unchanged("restore", str(file))


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: None, "does not exist"),
    (lambda p: p.mkdir(), "is not a file"),
    (lambda p: p.write_text('{"format": "commitment-tracker-export"}'), "tracker import"),
    (lambda p: p.write_bytes(gzip.compress(b'{"hello": 1}\n')), "not a tracker backup"),
    (lambda p: p.write_bytes(gzip.compress(b"not json\n")), "not JSON"),
    (lambda p: p.write_bytes(b""), "not a tracker backup"),
])
def test_restore_refuses_what_is_not_a_backup(cli: Cli, tmp_path: Path, make: Any,
                                              expected: str) -> None:
    path = tmp_path / "input"
    make(path)
    assert expected in cli.refused_unchanged("restore", str(path))


def test_backup_to_an_unwritable_place_is_refused_and_leaves_no_file(cli: Cli,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "folder").mkdir(parents=True)
    assert "cannot write" in cli.refused("backup", str(out / "missing" / "b.gz"))
    assert "cannot write" in cli.refused("backup", str(out / "folder"))
    assert [p.name for p in out.iterdir()] == ["folder"]


# -- doctor and health -----------------------------------------------------------------------


def _checks(output: str) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in json.loads(output)["checks"]}


def test_doctor_passes_a_healthy_database_and_names_no_scheduler_as_a_warning(cli: Cli) -> None:
    checks = _checks(cli.ok("doctor", "--json"))
    assert [checks[n]["status"] for n in ("database", "schema", "scheduler", "alerts")] == [
        "ok", "ok", "warn", "ok"]
    assert "tracker scheduler" in checks["scheduler"]["fix"]
    assert "inbox only" in checks["alerts"]["detail"]
    assert "healthy" in cli.ok("doctor")


def test_doctor_and_health_see_the_active_scheduler_without_taking_its_place(cli: Cli) -> None:
    leader = leadership_for(cli.url)
    assert leader.acquire()
    try:
        checks = _checks(cli.ok("doctor", "--json"))
        assert checks["scheduler"]["status"] == "ok" and "pid" in checks["scheduler"]["detail"]
        cli.ok("health", "--require-scheduler")
        assert leader.held()
    finally:
        leader.release()
    assert cli("health", "--require-scheduler").exit_code == 1
    assert _checks(cli.ok("health", "--json"))["scheduler"]["status"] == "warn"


def _empty_database(url: str) -> None:
    """Make the database exist without any schema (an empty SQLite file; the schema is there)."""
    if url.startswith("sqlite"):
        sqlite3.connect(str(make_url(url).database)).close()


def test_doctor_and_health_fail_on_an_unmigrated_database(database_url: str) -> None:
    _empty_database(database_url)
    cli = Cli(database_url)
    result = cli("doctor")
    assert result.exit_code == 1
    assert "FAIL schema: not initialised" in result.stdout and "run `tracker init`" in result.stdout
    health = cli("health", "--json")
    assert health.exit_code == 1 and json.loads(health.stdout)["healthy"] is False
    cli.ok("init")
    cli.ok("health")


def test_doctor_fails_on_an_unreachable_database_without_showing_its_password() -> None:
    cli = Cli("postgresql+psycopg://tracker:s3cret@127.0.0.1:1/none")
    result = cli("doctor")
    assert result.exit_code == 1 and "s3cret" not in result.stdout + result.stderr
    assert "FAIL database" in result.stdout and "start the PostgreSQL server" in result.stdout
    assert cli("health").exit_code == 1


def test_doctor_does_not_create_a_missing_sqlite_file(tmp_path: Path) -> None:
    result = Cli(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")("doctor", "--json")
    assert result.exit_code == 1 and not (tmp_path / "nowhere").exists()
    assert "no database file" in _checks(result.stdout)["database"]["detail"]


def test_doctor_shows_alert_channels_redacted_and_sends_nothing(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ALERT_URLS", "json://hook:t0ken@127.0.0.1:9/x")
    result = cli("doctor", "--json")
    assert result.exit_code == 0 and "t0ken" not in result.stdout
    assert "json://hook:****@127.0.0.1:9/x#" in _checks(result.stdout)["alerts"]["detail"]
    sent = cli("doctor", "--send-test")  # nothing listens on port 9: the test notice fails
    assert sent.exit_code == 1 and "FAIL alerts" in sent.stdout and "t0ken" not in sent.stdout


def test_doctor_fails_on_an_alert_url_apprise_does_not_know(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ALERT_URLS", "nosuch://user:pw@host/x")
    result = cli("doctor")
    assert result.exit_code == 1 and "FAIL alerts" in result.stdout and ":pw@" not in result.stdout


# -- logs ------------------------------------------------------------------------------------


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logs.configure("json", level="INFO", stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_json_logs_are_one_object_per_line_with_the_extras(log_lines: io.StringIO) -> None:
    logging.getLogger("tracker.test").info("swept %d", 3, extra={"agreement": SYRIA})
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("tracker.test").exception("failed")
    first, second = (json.loads(line) for line in log_lines.getvalue().splitlines())
    assert first["message"] == "swept 3" and first["agreement"] == SYRIA
    assert first["level"] == "info" and first["logger"] == "tracker.test"
    assert first["ts"].endswith("Z") and "T" in first["ts"]
    assert second["level"] == "error" and "ValueError: boom" in second["exc"]


def test_the_scheduler_logs_its_sweep_as_json(migrated_url: str, log_lines: io.StringIO) -> None:
    services.load(app_at(migrated_url, "2016-09-10T12:00:00+03:00"), [SEED])

    class Held:
        def acquire(self) -> bool:
            return True

        def held(self) -> bool:
            return True

        def release(self) -> None:
            pass

    Scheduler(app_at(migrated_url, LATER), every_seconds=60, leadership=Held()).sweep()
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    assert lines and all(line["logger"] == "tracker.scheduler" for line in lines)
    assert any("-> active" in line["message"] for line in lines)


def test_an_unknown_log_format_is_refused_clearly() -> None:
    with pytest.raises(services.DomainError, match="human or json"):
        logs.configure("xml")


def test_the_log_format_option_reaches_the_settings(cli: Cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_LOG_FORMAT", "human")  # restored after the test
    cli.ok("--log-format", "json", "health")
    from tracker.config import Settings

    assert Settings().log_format == "json"


# -- a database that cannot be written -------------------------------------------------------


def _read_only(url: str) -> str:
    """Return `url` opened read-only: SQLite's mode=ro URI, PostgreSQL's read-only sessions.

    File permissions would not do: the tests run as root, who ignores them."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    options = f"{parsed.query['options']} -cdefault_transaction_read_only=on"
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def test_a_read_only_database_gives_one_clear_line_and_changes_nothing(migrated_url: str) -> None:
    writable = filled(migrated_url, user=False)
    before = writable.export()
    read_only = Cli(_read_only(migrated_url))
    message = read_only.refused("load", str(SEEDS / "moscow-humanitarian-ceasefire-2020.yaml"))
    assert message.startswith("error: database: ") and "is read-only" in message
    assert len(message.strip().splitlines()) == 1
    observed = read_only.refused("observe", f"{SYRIA}/seven-day-calm", "--occurred-at", LATER,
                                 "--by", "mira", "--summary", "calm", now="2016-11-01T00:00:00Z")
    assert "is read-only" in observed
    assert writable.export() == before
    read_only.ok("status", SYRIA, now=LATER)  # reading still works


def test_a_full_disk_gives_one_clear_line_and_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    upgrade(url)
    cli = Cli(url)
    before = cli.export()
    dispose_all()
    engine = engine_for(url)

    @event.listens_for(engine, "connect")
    def _no_room(dbapi_connection: Any, _record: Any) -> None:
        # SQLite's own "disk full": no page beyond those the file has now.
        dbapi_connection.execute("PRAGMA max_page_count = "
                                 f"{dbapi_connection.execute('PRAGMA page_count').fetchone()[0]}")

    message = cli.refused("load", str(SEED))
    assert "the disk holding" in message and "is full" in message
    dispose_all()
    assert cli.export() == before


def test_init_on_a_schema_that_does_not_exist_says_to_create_it() -> None:
    cli = Cli(_pg_schema_url(f"missing_{uuid.uuid4().hex[:8]}"))
    try:
        message = cli.refused("init")
    finally:
        dispose_all()
    assert "does not exist" in message and "CREATE SCHEMA" in message
