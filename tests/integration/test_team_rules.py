"""Team mode as the security review attacked it: no clock override, `tick` for analysts and the
scheduler's own identity, reads for viewers, export and backup for admins (secrets left out
unless asked for), `alerts test` for admins, and every one of them in the audit log."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tracker import services
from tracker.scheduler import Scheduler
from tracker.store.migrate import upgrade

from ..conftest import SYRIA, Cli, app_at, cli_as, signed_in, snapshot
from ..receivers import http_receiver
from .conftest import NOW, PASSWORD

FAR = "2999-01-01T00:00:00Z"


def events(app: services.App, action: str) -> list[dict[str, object]]:
    """Return the audit log's events of `action` that were done (not refused), newest first."""
    return [e for e in services.audit_log(signed_in(app, "ada", PASSWORD), limit=500)
            if e["action"] == action and e["outcome"] == "done"]


# -- 1. the clock ------------------------------------------------------------------------------


def test_a_tick_with_a_clock_from_the_future_decides_nothing(team: services.App) -> None:
    """The attack: `tracker --now 2999-01-01T00:00:00Z tick` with no token, then with one."""
    before = snapshot(team.database_url)
    stranger = Cli(team.database_url)
    assert "--now: users exist, so the tracker is in team mode" in stranger.refused("tick", now=FAR)
    assert "needs a signed-in user" in stranger.refused("tick")
    ann = cli_as(team.database_url, "ann", PASSWORD)
    assert "every command runs on real time" in ann.refused("tick", now=FAR)
    for name in ("TRACKER_NOW",):  # the environment's override is refused the same way
        said = ann.runner.invoke(_cli_app(), ["tick"], env={"TRACKER_DATABASE_URL": ann.url,
                                                            name: FAR, "TRACKER_TOKEN": ann.token})
        assert said.exit_code == 1 and "TRACKER_NOW: users exist" in said.stderr
    vic = cli_as(team.database_url, "vic", PASSWORD)
    assert "vic is viewer, and tick needs analyst" in vic.refused("tick")
    after = json.loads(snapshot(team.database_url))
    for table in ("timeline_entry", "alert", "delivery", "commitment"):
        assert after["tables"][table] == json.loads(before)["tables"][table], table


def _cli_app():  # type: ignore[no-untyped-def]
    from tracker.cli import app

    return app


def test_an_analysts_tick_runs_on_real_time_and_is_audited_only_when_it_decides(
        team: services.App) -> None:
    ann = cli_as(team.database_url, "ann", PASSWORD)
    said = ann.ok("tick")  # real time: years after the seed's deadlines
    assert "clock decisions" in said and not said.startswith("0 clock decisions")
    ticks = events(team, "tick")
    assert [(e["actor"], e["target"]) for e in ticks] == [("ann", SYRIA)]
    assert str(ticks[0]["detail"]).endswith("new alerts")
    assert ann.ok("tick").startswith("0 clock decisions")
    assert len(events(team, "tick")) == 1  # an empty sweep leaves no event


def test_the_scheduler_acts_as_clock_which_may_only_tick_and_deliver(team: services.App) -> None:
    clock = replace(app_at(team.database_url, "2016-09-20T00:00:00+03:00"), identity="clock")
    scheduler = Scheduler(clock, every_seconds=60)
    assert scheduler.leadership.acquire()
    try:
        report = scheduler.sweep()
    finally:
        scheduler.leadership.release()
    assert report is not None and report.decisions
    assert {e["actor"] for e in events(team, "tick")} == {"clock"}
    with pytest.raises(services.AccessDenied, match="acts as clock, which may only tick and "
                                                    "deliver, not record observation"):
        services.record_observation(clock, f"{SYRIA}/seven-day-calm", occurred_at=clock.clock(),
                                    by="", summary="forged")
    with pytest.raises(services.AccessDenied, match="not read status"):
        services.status(clock, SYRIA)


def test_the_scheduler_will_not_start_on_a_clock_override_in_team_mode(team: services.App) -> None:
    """A process, with a deadline: a scheduler that did start would run until stopped."""
    env = {**os.environ, "TRACKER_DATABASE_URL": team.database_url, "TRACKER_NOW": FAR}
    done = subprocess.run([sys.executable, "-m", "tracker.cli", "scheduler"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "TRACKER_NOW: users exist, so the tracker is in team mode" in done.stderr


# -- 2. reads, exports and backups -------------------------------------------------------------

READS = [["status", SYRIA], ["history", SYRIA], ["alerts"], ["user", "list"],
         ["report", SYRIA], ["scores"], ["calendar", SYRIA], ["scenario", "list", SYRIA],
         ["diff", SYRIA, "--known-at", NOW, "--known-at", "2016-09-17T12:00:00+03:00"],
         ["rules", SYRIA]]


@pytest.mark.parametrize("command", READS, ids=lambda c: " ".join(c[:2]))
def test_reading_agreement_data_needs_a_viewer(team: services.App, command: list[str]) -> None:
    assert "needs a signed-in user" in Cli(team.database_url).refused(*command)
    cli_as(team.database_url, "vic", PASSWORD).ok(*command)


def test_info_without_a_token_hides_the_agreements(team: services.App) -> None:
    said = Cli(team.database_url).ok("info")
    assert SYRIA not in said and "need a viewer's sign-in" in said
    assert SYRIA in cli_as(team.database_url, "vic", PASSWORD).ok("info")


@pytest.mark.parametrize("who", ["", "vic", "ann"])
def test_export_and_backup_are_an_admins(team: services.App, tmp_path: Path, who: str) -> None:
    cli = cli_as(team.database_url, who, PASSWORD) if who else Cli(team.database_url)
    out = tmp_path / "out"
    out.mkdir()
    for command in (["export", str(out / "x.json")], ["backup", str(out / "x.gz")]):
        message = cli.refused(*command)
        assert "needs admin" in message if who else "needs a signed-in user" in message
    assert list(out.iterdir()) == []
    refused = {e["action"] for e in services.audit_log(signed_in(team, "ada", PASSWORD),
                                                       outcome="refused")}
    assert {"export", "backup"} <= refused


def test_a_plain_export_leaves_secrets_out_and_imports_users_without_passwords(
        team: services.App, tmp_path: Path) -> None:
    ada = cli_as(team.database_url, "ada", PASSWORD)
    ada.ok("export", str(tmp_path / "plain.json"))
    plain = json.loads((tmp_path / "plain.json").read_text())
    assert plain["secrets"] == "left out" and plain["tables"]["login_session"] == []
    assert {u["password_hash"] for u in plain["tables"]["app_user"]} == {""}
    assert plain["tables"]["audit_event"][-1]["action"] == "export"  # it holds its own event
    ada.ok("export", str(tmp_path / "full.json"), "--include-secrets")
    full = json.loads((tmp_path / "full.json").read_text())
    assert full["secrets"] == "included"
    assert all(u["password_hash"].startswith("$argon2") for u in full["tables"]["app_user"])
    assert [e["detail"] for e in events(team, "export")] == ["secrets included",
                                                             "secrets left out"]
    fresh = app_at(f"sqlite:///{tmp_path / 'fresh.db'}", NOW)
    upgrade(fresh.database_url)
    services.import_file(fresh, tmp_path / "plain.json")
    assert services.has_users(fresh)  # team mode still: never local mode
    with pytest.raises(services.AccessDenied, match="do not match"):
        services.sign_in(fresh, "ada", PASSWORD)


def test_a_backup_keeps_every_secret_and_is_audited(team: services.App, tmp_path: Path) -> None:
    cli_as(team.database_url, "ada", PASSWORD).ok("backup", str(tmp_path / "b.gz"))
    content = gzip.decompress((tmp_path / "b.gz").read_bytes()).decode()
    assert "$argon2" in content and '"backup"' in content
    assert [e["target"] for e in events(team, "backup")] == ["b.gz"]


# -- 12. test notices are an admin's -----------------------------------------------------------


def test_only_an_admin_sends_test_notices_and_each_is_audited(
        team: services.App, monkeypatch: pytest.MonkeyPatch) -> None:
    with http_receiver() as (url, inbox):
        monkeypatch.setenv("TRACKER_ALERT_URLS", url)
        assert "needs a signed-in user" in Cli(team.database_url).refused("alerts", "test")
        assert "needs admin" in cli_as(team.database_url, "ann", PASSWORD).refused("alerts", "test")
        assert "needs a signed-in user" in Cli(team.database_url).refused("doctor", "--send-test")
        assert inbox.texts == []
        cli_as(team.database_url, "ada", PASSWORD).ok("alerts", "test")
        assert inbox.wait_for(lambda i: len(i.texts) == 1)
    [sent] = events(team, "test alert channels")
    assert (sent["actor"], sent["detail"]) == ("ada", "1 reached, 0 failed")
