"""Faults under load: a writer killed in the middle of its transaction, and a PostgreSQL server
restarted while eight writers and the scheduler work on it.

The restart runs on a private server this test starts in a temp dir (the shared one serves
other tests): under CI=true a server that cannot be started fails the test, else it is skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, text
from sqlmodel import select

from bench import stress_worker as stress
from bench.stress_worker import SLUG
from tracker import services
from tracker.store.db import dispose_all, unit_of_work
from tracker.store.migrate import upgrade
from tracker.store.tables import AlertRow, RecordRow

from ..conftest import IN_CI, app_at
from ..receivers import free_port
from .test_stress import STALE, assert_projection_is_a_replay, stored_log

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_until(condition: Callable[[], bool], timeout: float = 300) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)  # a poll interval, not a wait for something to happen by then
    return condition()


def test_a_writer_killed_mid_transaction_leaves_nothing_and_frees_the_lock(
        migrated_url: str, tmp_path: Path) -> None:
    context = stress.fresh_processes()
    clock = stress.SharedClock(context.Value("q", 0))
    stress.load(migrated_url, tmp_path, clock)
    before = services.status(app_at(migrated_url, stress.BASE), SLUG)
    ours, theirs = context.Pipe()
    doomed = context.Process(target=stress.hang_in_transaction, args=(migrated_url, theirs))
    doomed.start()
    try:
        assert ours.poll(300), "the writer never reached the middle of its transaction"
        appended = ours.recv()
        assert stored_log(migrated_url)[0] == {}  # not committed: nobody sees it
    finally:
        os.kill(doomed.pid or 0, signal.SIGKILL)
        doomed.join(timeout=60)
    assert doomed.exitcode == -signal.SIGKILL
    assert appended and stored_log(migrated_url)[0] == {}  # and nothing of it was kept
    # The next writer gets the lock and the version the dead one never changed.
    blind = next(c for c in before.commitments if c.slug == stress.BLIND)
    later = app_at(migrated_url, stress.BASE + timedelta(days=31))
    done = services.record_transition(later, f"{SLUG}/blind", "suspended",
                                      occurred_at=stress.BASE, by="next",
                                      expect_version=blind.version)
    assert stored_log(migrated_url)[0] == {done.record_id: ("transition", "blind", "next",
                                                           "suspended")}
    assert_projection_is_a_replay(migrated_url)


class PrivatePostgres:
    """A PostgreSQL 15 server of our own, in a temp dir, on a free port: ours to restart."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.data, self.sockets = folder, folder / "data", folder / "sockets"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True,
                       capture_output=True, text=True, timeout=300)

    def start(self) -> None:
        self.sockets.mkdir(parents=True)
        shutil.chown(self.folder, "postgres")
        shutil.chown(self.sockets, "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                          "-U", "postgres", "--no-sync")
        self._as_postgres(*self._ctl("start"))

    def restart(self) -> None:
        self._as_postgres(*self._ctl("restart", "-m", "fast"))

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(["runuser", "-u", "postgres", "--", *self._ctl("stop", "-m", "immediate")],
                           capture_output=True, timeout=120, check=False)

    def _ctl(self, action: str, *more: str) -> list[str]:
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=60")
        return [str(PG_BIN / "pg_ctl"), action, *more, "-D", str(self.data), "-w", "-t", "300",
                "-l", str(self.folder / "server.log"), "-o", options]

    def schema_url(self, schema: str) -> str:
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        return f"{self.url}?options=-csearch_path%3D{schema}"


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    # Not under pytest's temp dir: that is root's alone, and the server runs as `postgres`.
    folder = Path(tempfile.mkdtemp(prefix="tracker-private-pg-"))
    server = PrivatePostgres(folder)
    try:
        server.start()
    except (OSError, subprocess.SubprocessError) as error:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        detail = getattr(error, "stderr", "") or error
        message = f"cannot start a private PostgreSQL with {PG_BIN} (runuser, initdb): {detail}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server
    finally:
        dispose_all()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def records_in(url: str) -> int:
    try:
        with unit_of_work(url, read_only=True) as session:
            return session.exec(select(func.count()).select_from(RecordRow)).one()
    except Exception:  # noqa: BLE001 - the server is restarting: ask again
        return -1


def test_writers_and_the_scheduler_ride_out_a_postgresql_restart(private_pg: PrivatePostgres,
                                                               tmp_path: Path) -> None:
    writers_url, scheduler_url = private_pg.schema_url("writers"), private_pg.schema_url("sched")
    upgrade(writers_url)
    upgrade(scheduler_url)
    with scheduler(scheduler_url, tmp_path / "scheduler.log") as sweeping:
        writers = stress.start_writers(writers_url, tmp_path, writers=8, changes=100_000)
        try:
            assert wait_until(lambda: records_in(writers_url) >= 20)
            private_pg.restart()  # every connection the writers and the scheduler held dies
            restarted_with = records_in(writers_url)
            assert wait_until(lambda: records_in(writers_url) >= restarted_with + 40)
            due = load_due_now(scheduler_url, tmp_path)  # only a sweep after the restart sees it
            assert wait_until(lambda: overdue_alerted(scheduler_url, due)), \
                (tmp_path / "scheduler.log").read_text()[-3000:]
        finally:
            writers.stop()
            done = writers.wait()
        assert sweeping.poll() is None  # the scheduler rode it out too
    uncertain = [o for o in done.of("domain") if o.message.startswith("database: the connection")]
    assert [o for o in done.of("error", "domain") if o not in uncertain] == []
    assert all(STALE.match(o.message) for o in done.of("stale"))
    records, _ = stored_log(writers_url)
    accepted = {o.ids[0] for o in done.of("accepted") if o.op in stress.OPS
                and o.op not in ("forecast", "group")}
    assert accepted <= set(records)  # nothing accepted is lost
    assert len(set(records) - accepted) <= len(uncertain)  # and only a told-uncertain one added
    assert_projection_is_a_replay(writers_url)


def scheduler_env(url: str) -> dict[str, str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_ALERT_URLS": "",
           "TRACKER_SWEEP_SECONDS": "2"}
    env.pop("TRACKER_NOW", None)
    return env


class scheduler:  # noqa: N801 - used as a context manager, like open()
    """Run `tracker scheduler` against `url`; SIGTERM it at the end if it still runs."""

    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log

    def __enter__(self) -> subprocess.Popen[str]:
        self.sink = open(self.log, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen([sys.executable, "-m", "tracker.cli", "scheduler"],
                                        env=scheduler_env(self.url), text=True,
                                        stdout=self.sink, stderr=self.sink)
        return self.process

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.sink.close()


def load_due_now(url: str, folder: Path) -> str:
    """Load an agreement, as of an hour ago, whose one commitment fell due a minute ago."""
    now = datetime.now(UTC)
    doc = {"agreement": {"slug": "after-restart", "title": "After the restart",
                         "timezone": "UTC", "parties": ["a"],
                         "announced_at": (now - timedelta(hours=2)).isoformat()},
           "commitments": [{"slug": "report", "title": "Report", "owed_by": ["a"],
                            "due": (now - timedelta(minutes=1)).isoformat()}]}
    path = folder / "after-restart.yaml"
    path.write_text(yaml.safe_dump(doc))
    services.load(app_at(url, now - timedelta(hours=1)), [path])
    return "after-restart"


def overdue_alerted(url: str, slug: str) -> bool:
    with unit_of_work(url, read_only=True) as session:
        kinds = session.exec(select(AlertRow.kind)).all()
    return "overdue" in kinds


def test_a_dashboard_page_works_again_right_after_a_postgresql_restart(
        private_pg: PrivatePostgres) -> None:
    """The dashboard keeps its engine across runs: after a restart its pooled connections are
    dead, and the next page must reconnect by itself instead of showing an error."""
    from ..dashboard.helpers import loaded, page, texts

    url = private_pg.schema_url("dashboard")
    upgrade(url)
    app = loaded(url)
    at = page(app)
    assert "8" in [m.value for m in at.metric]
    private_pg.restart()  # every pooled connection dies
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "8" in [m.value for m in at.metric] and "US–Russia" in texts(at)
    at.switch_page("views/agreement.py").run()
    assert not at.exception and not at.error
