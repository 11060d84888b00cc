"""Team mode: roles enforced in the services, sessions that end, sign-ins slowed down, and an
audit log that nobody can rewrite."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tracker import services
from tracker.services.clock import fixed_clock, system_clock
from tracker.store.db import engine_for
from tracker.store.migrate import upgrade

from ..conftest import SEEDS, SYRIA, Cli, app_at, signed_in, snapshot

NOW = "2016-09-16T12:00:00+03:00"
CALM = f"{SYRIA}/seven-day-calm"
PASSWORD = "a long password"


def refusals(app: services.App) -> list[dict[str, object]]:
    admin = signed_in(app, "ada", PASSWORD)
    return services.audit_log(admin, outcome="refused")


def observe(app: services.App, by: str = "") -> services.Recorded:
    return services.record_observation(app, CALM, occurred_at=app.clock(), by=by,
                                       summary="quiet night in Aleppo")


def test_local_mode_allows_everything_and_still_audits(migrated_url: str) -> None:
    app = replace(app_at(migrated_url, NOW), origin="cli ana@desk")
    services.load(app, [SEEDS / f"{SYRIA}.yaml"])
    observe(app, by="ana")
    events = services.audit_log(app)
    assert [(e["action"], e["actor"], e["role"], e["outcome"]) for e in events][:2] == [
        ("record observation", "ana", "local", "done"), ("load", "?", "local", "done")]
    assert events[0]["origin"] == "cli ana@desk" and events[0]["target"] == CALM


def test_a_viewers_forged_write_is_refused_and_logged(team: services.App) -> None:
    viewer = signed_in(team, "vic", PASSWORD)
    before = services.history(viewer, SYRIA)[1]  # a viewer reads
    with pytest.raises(services.AccessDenied, match="role: vic is viewer, and record transition "
                                                    "needs analyst"):
        services.record_transition(viewer, CALM, "breached", occurred_at=team.clock(), by="vic")
    assert services.history(viewer, SYRIA)[1] == before
    refused = refusals(team)[0]
    assert (refused["actor"], refused["action"], refused["target"]) == (
        "vic", "record transition", CALM)
    with pytest.raises(services.AccessDenied, match="only an admin reads the audit log"):
        services.audit_log(signed_in(team, "ann", PASSWORD))


def test_team_mode_needs_a_session_and_records_the_users_own_name(team: services.App) -> None:
    with pytest.raises(services.AccessDenied, match="team mode .* `tracker login NAME`"):
        observe(team, by="ann")
    analyst = signed_in(team, "ann", PASSWORD)
    with pytest.raises(services.AccessDenied, match="--by: in team mode you act as ann"):
        observe(analyst, by="somebody-else")
    done = observe(analyst)  # no --by: the name comes from the session
    items = services.history(analyst, SYRIA)[1]
    assert next(i for i in items if i.id == done.record_id).by == "ann"
    assert [r["action"] for r in refusals(team)] == ["record observation", "record observation"]


def test_sessions_expire_and_sign_out_ends_them(team: services.App) -> None:
    analyst = signed_in(team, "ann", PASSWORD)
    later = replace(analyst, wall_clock=fixed_clock(team.clock() + timedelta(hours=12, seconds=1)))
    assert services.session_user(analyst, analyst.token or "") is not None
    assert services.session_user(later, analyst.token or "") is None
    with pytest.raises(services.AccessDenied, match="expired or was ended"):
        observe(later)
    services.sign_out(analyst, analyst.token or "")
    with pytest.raises(services.AccessDenied, match="expired or was ended"):
        observe(analyst)


def test_repeated_failed_sign_ins_are_slowed_down(team: services.App) -> None:
    """Five failures are free; then each attempt from the same place waits twice as long as the
    one before (1 s, 2 s ...), even with the right password. Other places are not slowed."""
    for _ in range(5):
        with pytest.raises(services.AccessDenied, match="do not match"):
            services.sign_in(team, "ann", "guess")
    with pytest.raises(services.AccessDenied, match="too many failed attempts for 'ann'; try "
                                                    "again after 2016-09-16T09:00:01Z"):
        services.sign_in(team, "ann", PASSWORD)  # even the right password, for a second
    elsewhere = replace(team, origin="dashboard 10.0.0.7")
    assert services.sign_in(elsewhere, "ann", PASSWORD).user.role == "analyst"
    services.sign_in(team, "vic", PASSWORD)  # other users are not slowed down either
    later = replace(team, wall_clock=fixed_clock(team.clock() + timedelta(seconds=1)))
    with pytest.raises(services.AccessDenied, match="do not match"):
        services.sign_in(later, "ann", "guess")  # the sixth failure: now two seconds
    with pytest.raises(services.AccessDenied, match="after 2016-09-16T09:00:03Z"):
        services.sign_in(later, "ann", PASSWORD)
    again = replace(team, wall_clock=fixed_clock(team.clock() + timedelta(seconds=3)))
    assert services.sign_in(again, "ann", PASSWORD).user.role == "analyst"


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'nobody'",
                                       "DELETE FROM audit_event"])
def test_the_audit_log_is_append_only_in_the_database(team: services.App, statement: str) -> None:
    admin = signed_in(team, "ada", PASSWORD)
    before = services.audit_log(admin)
    with pytest.raises(DBAPIError, match="append-only"), engine_for(team.database_url).begin() as c:
        c.execute(text(statement))
    assert services.audit_log(admin) == before
    assert [e["action"] for e in before] == ["sign-in (dashboard)", "add user", "add user",
                                             "sign-in (dashboard)", "add user", "load"]


def test_the_cli_acts_as_the_user_of_its_token(team: services.App) -> None:
    cli = Cli(team.database_url)
    assert "team mode" in cli.refused("observe", CALM, "--occurred-at", NOW, "--summary", "calm")
    ann = Cli(team.database_url, token=cli_token(cli, "ann"))
    ann.ok("observe", CALM, "--occurred-at", NOW, "--summary", "calm")
    assert "needs admin" in ann.refused("user", "add", "eve", "--role", "admin",
                                        "--password-stdin")
    assert "only an admin" in ann.refused("audit")
    ann.ok("logout")
    assert "expired or was ended" in ann.refused("observe", CALM, "--occurred-at", NOW,
                                                 "--summary", "calm")
    wrong = cli("login", "ann", "--password-stdin", input="nope\n")
    assert wrong.exit_code == 1 and "do not match" in wrong.stderr
    admin = Cli(team.database_url, token=cli_token(cli, "ada"))
    log = admin.ok("audit", "--limit", "100")
    assert "sign-in (cli)" in log and "record observation" in log and "refused" in log
    assert "sign-out (cli)" in log


def cli_token(cli: Cli, name: str) -> str:
    """Return the token `tracker login NAME` prints (it lasts 30 days of real time)."""
    said = cli("login", name, "--password-stdin", input=f"{PASSWORD}\n")
    assert said.exit_code == 0, said.stderr
    return str(said.stdout).strip().removeprefix("export TRACKER_TOKEN=")


def test_a_role_change_takes_effect_at_once(team: services.App) -> None:
    """The session holds no role: the services read it on every use case."""
    analyst = signed_in(team, "ann", PASSWORD)
    observe(analyst)
    with engine_for(team.database_url).begin() as c:
        c.execute(text("UPDATE app_user SET role = 'viewer' WHERE name = 'ann'"))
    with pytest.raises(services.AccessDenied, match="ann is viewer"):
        observe(analyst)




def test_signing_in_without_users_is_refused_and_writes_nothing(cli: Cli) -> None:
    message = cli.refused_unchanged("login", "ada", "--password-stdin", now=NOW)
    assert "no users exist, so the tracker is in local mode" in message


GUARDED = {  # every write use case, as a viewer would forge it
    "record transition": lambda a: services.record_transition(
        a, CALM, "breached", occurred_at=a.clock(), by=""),
    "record observation": lambda a: observe(a),
    "retract": lambda a: services.retract(a, 1, by="", reason="wrong"),
    "forecast": lambda a: services.record_forecast(a, f"{SYRIA}/truce-collapses", 0.5, by="",
                                                   rationale="r"),
    "forecast group": lambda a: services.record_group_forecast(a, f"{SYRIA}/g", {"a": 1}, by="",
                                                               rationale="r"),
    "acknowledge alerts": lambda a: services.acknowledge(a, [1], by=""),
    "add scenario": lambda a: services.add_scenario(a, SYRIA, {"slug": "x"}),
    "load": lambda a: services.load(a, [SEEDS / f"{SYRIA}.yaml"]),
    "add user": lambda a: services.add_user(a, "eve", role="admin", password=PASSWORD),
}


@pytest.mark.parametrize("action", sorted(GUARDED))
def test_every_write_refuses_a_viewer_before_looking_at_its_input(team: services.App,
                                                                   action: str) -> None:
    with pytest.raises(services.AccessDenied, match=f"vic is viewer, and {action} needs"):
        GUARDED[action](signed_in(team, "vic", PASSWORD))
    assert refusals(team)[0]["action"] == action


def test_twenty_guesses_at_once_get_five_password_checks(team: services.App) -> None:
    def guess(_: int) -> str:
        try:
            services.sign_in(team, "ann", "guess")
        except services.AccessDenied as error:
            return str(error)
        return "signed in"

    with ThreadPoolExecutor(max_workers=20) as pool:
        said = list(pool.map(guess, range(20)))
    assert sum("do not match" in s for s in said) == 5
    assert sum("too many failed attempts" in s for s in said) == 15


def test_now_replays_history_but_neither_extends_a_token_nor_dates_the_audit(
        team: services.App) -> None:
    real = datetime.now(UTC)
    cli = Cli(team.database_url)
    said = cli("--now", "2099-01-01T00:00:00Z", "login", "ann", "--days", "30",
               "--password-stdin", input=f"{PASSWORD}\n")
    assert said.exit_code == 0, said.stderr
    until = datetime.fromisoformat(said.stderr.split(" until ")[1].split(";")[0])
    assert timedelta(days=29) < until - real < timedelta(days=31)
    event = services.audit_log(signed_in(team, "ada", PASSWORD), actor="ann")[0]
    assert abs(event["at"] - real) < timedelta(minutes=5)


def test_an_export_goes_only_into_a_database_with_no_row_at_all(team: services.App,
                                                                 tmp_path: Path) -> None:
    """Not even users: an import must not be a way to bring in an admin of one's own."""
    dump = tmp_path / "dump.json"
    dump.write_text(services.export_text(signed_in(team, "ada", PASSWORD), include_secrets=True))
    other = app_at(f"sqlite:///{tmp_path / 'other.db'}", NOW)
    upgrade(other.database_url)
    services.add_user(other, "ada", role="admin", password=PASSWORD)
    before = snapshot(other.database_url)
    with pytest.raises(services.DomainError, match="already holds app_user, audit_event rows"):
        services.import_file(other, dump)
    assert snapshot(other.database_url) == before


def test_an_admin_demotes_a_user_and_ends_their_sessions(team: services.App) -> None:
    admin, analyst = signed_in(team, "ada", PASSWORD), signed_in(team, "ann", PASSWORD)
    observe(analyst)
    services.change_role(admin, "ann", role="viewer")
    with pytest.raises(services.AccessDenied, match="ann is viewer"):
        observe(analyst)
    assert services.end_sessions(admin, "ann") == 1
    assert services.session_user(analyst, analyst.token or "") is None
    with pytest.raises(services.DomainError, match="ada is the last admin"):
        services.change_role(admin, "ada", role="analyst")
    with pytest.raises(services.DomainError, match="no user 'nobody'"):
        services.end_sessions(admin, "nobody")
    with pytest.raises(services.AccessDenied, match="needs admin"):
        services.change_role(signed_in(team, "vic", PASSWORD), "vic", role="admin")
    newest = [(e["actor"], e["action"], e["outcome"]) for e in services.audit_log(admin)][:5]
    assert newest == [("vic", "change role", "refused"), ("vic", "sign-in (dashboard)", "done"),
                      ("ada", "end sessions", "done"), ("ann", "record observation", "refused"),
                      ("ada", "change role", "done")]


def test_in_team_mode_a_write_is_recorded_on_real_time_whatever_now_says(
        team: services.App) -> None:
    """Else one analyst's `--now 2031` would put every later record "before the latest". The
    CLI refuses --now in team mode; a clock injected in-process is overruled for writes."""
    ann = Cli(team.database_url, token=cli_token(Cli(team.database_url), "ann"))
    said = ann.refused("observe", CALM, "--occurred-at", NOW, "--summary", "calm",
                       now="2031-01-01T00:00:00Z")
    assert "--now: users exist, so the tracker is in team mode" in said
    in_2031 = signed_in(replace(team, wall_clock=system_clock,
                                clock=fixed_clock(datetime(2031, 1, 1, tzinfo=UTC))), "ann", PASSWORD)
    services.record_observation(in_2031, CALM, occurred_at=datetime.fromisoformat(NOW), by="",
                                summary="calm")
    ann.ok("observe", CALM, "--occurred-at", NOW, "--summary", "calm again")  # not locked out
    reader = signed_in(team, "ada", PASSWORD)
    recorded = [i.recorded_at for i in services.history(reader, SYRIA)[1] if i.by == "ann"]
    assert len(recorded) == 2
    assert all(abs(r - datetime.now(UTC)) < timedelta(minutes=5) for r in recorded)
    events = services.audit_log(signed_in(team, "ada", PASSWORD), actor="ann")
    assert events[0]["action"] == "record observation" and events[0]["target"] == CALM
