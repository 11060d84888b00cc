"""The audit log is tamper-evident: hash chains (one per agreement, one for events about none)
that `tracker audit verify`, `doctor`, `import` and `restore` check, naming the row that breaks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tracker import services
from tracker.store.db import engine_for, unit_of_work
from tracker.store.dump import dump
from tracker.store.migrate import current_revision, downgrade, upgrade

from ..conftest import SEEDS, SYRIA, Cli, app_at, signed_in
from .test_access import NOW, PASSWORD, observe

MOSCOW = "moscow-humanitarian-ceasefire-2020"


def exported(app: services.App) -> dict[str, Any]:
    """Return the whole database, secrets and all, as `tracker export --include-secrets`
    writes it (read from the store, so the attack's file is the same whatever the tracker)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        tables = json.loads(json.dumps(dump(session), default=str))
    return {"format": "commitment-tracker-export", "version": 1, "secrets": "included",
            "schema": current_revision(app.database_url), "tables": tables}


def _drop_refusals(tables: dict[str, Any]) -> None:
    tables["audit_event"] = [e for e in tables["audit_event"] if e["outcome"] != "refused"]


def _reattribute(tables: dict[str, Any]) -> None:
    event = next(e for e in tables["audit_event"] if e["actor"] == "vic")
    event["actor"] = "ann"


def _vic_made_admin(tables: dict[str, Any]) -> None:
    next(u for u in tables["app_user"] if u["name"] == "vic")["role"] = "admin"


@pytest.mark.parametrize("edit", [_drop_refusals, _reattribute, _vic_made_admin])
def test_an_edited_export_is_refused_at_the_row_it_breaks(
        team: services.App, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    for _ in range(3):  # a viewer's forged writes, refused and logged
        with pytest.raises(services.AccessDenied):
            observe(signed_in(team, "vic", PASSWORD))
    observe(signed_in(team, "ann", PASSWORD))  # and work after them
    document = exported(team)
    edit(document["tables"])
    (tmp_path / "edited.json").write_text(json.dumps(document))
    fresh = app_at(f"sqlite:///{tmp_path / 'fresh.db'}", NOW)
    upgrade(fresh.database_url)
    with pytest.raises(services.DomainError, match=r"edited.json: (audit log: row #\d+ .* breaks"
                                                   r" the hash chain|user 'vic' is admin, but)"):
        services.import_file(fresh, tmp_path / "edited.json")
    assert services.has_users(fresh) is False  # nothing went in


def test_an_untouched_export_imports_and_its_chains_still_hold(team: services.App,
                                                                tmp_path: Path) -> None:
    (tmp_path / "whole.json").write_text(json.dumps(exported(team)))
    fresh = app_at(f"sqlite:///{tmp_path / 'fresh.db'}", NOW)
    upgrade(fresh.database_url)
    services.import_file(fresh, tmp_path / "whole.json")
    assert services.verify_audit(fresh).broken is None


def test_audit_verify_and_doctor_name_a_row_edited_in_the_database(team: services.App) -> None:
    cli = Cli(team.database_url)
    assert "every chain holds" in cli.ok("audit", "verify")
    victim = services.audit_log(signed_in(team, "ada", PASSWORD))[-1]["id"]
    _edit_past_the_trigger(team.database_url, f"UPDATE audit_event SET actor = 'eve' "
                                              f"WHERE id = {victim}")
    said = cli("audit", "verify")
    assert said.exit_code == 1 and f"row #{victim} " in said.stdout and "edited" in said.stdout
    doctor = cli("doctor")
    assert doctor.exit_code == 1 and "FAIL audit" in doctor.stdout


def _edit_past_the_trigger(url: str, statement: str) -> None:
    """Do what only the database's owner can: lift the append-only trigger, edit, put it back."""
    with engine_for(url).begin() as c:
        if c.dialect.name == "postgresql":
            c.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change"))
            c.execute(text(statement))
            c.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change"))
        else:
            c.execute(text("DROP TRIGGER audit_event_no_update"))
            c.execute(text(statement))


def test_each_agreement_has_its_own_chain(team: services.App) -> None:
    admin = signed_in(team, "ada", PASSWORD)
    services.load(admin, [SEEDS / f"{MOSCOW}.yaml"])
    observe(signed_in(team, "ann", PASSWORD))
    in_2020 = signed_in(app_at(team.database_url, "2020-10-20T00:00:00+00:00"), "ann", PASSWORD)
    services.record_observation(in_2020, f"{MOSCOW}/humanitarian-ceasefire",
                                occurred_at=in_2020.clock(), by="", summary="quiet")
    report = services.verify_audit(team)
    assert report.broken is None
    assert {h.chain: h.rows for h in report.chains if h.chain} == {SYRIA: 1, MOSCOW: 1}


def test_the_migration_seals_the_events_written_before_the_chain(migrated_url: str) -> None:
    downgrade(migrated_url, "0006")
    with engine_for(migrated_url).begin() as c:
        for n in range(3):
            c.execute(text("INSERT INTO audit_event (at, actor, role, origin, action, target, "
                           "outcome, detail) VALUES (:at, :actor, 'local', 'cli', 'load', 'x', "
                           "'done', '')"), {"at": f"2016-09-1{n}T12:00:00.123456+00:00",
                                            "actor": f"a{n}"})
    upgrade(migrated_url)
    with engine_for(migrated_url).connect() as c:
        rows = [dict(r) for r in c.execute(text("SELECT * FROM audit_event ORDER BY seq"))
                .mappings()]
    assert [(r["chain"], r["seq"], r["actor"]) for r in rows] == [("", 1, "a0"), ("", 2, "a1"),
                                                                   ("", 3, "a2")]
    from tracker.domain.audit_chain import verify

    assert verify(rows) is None  # sealed once: each row follows the one before
    app = app_at(migrated_url, NOW)
    services.load(app, [SEEDS / f"{SYRIA}.yaml"])  # new events follow on
    assert services.verify_audit(app).broken is None and services.verify_audit(app).rows == 4


def test_the_origin_is_the_os_account_not_what_logname_claims(
        migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "[bold red]admin\x1b[2J\nforged")
    monkeypatch.setenv("USER", "[bold red]admin\x1b[2J\nforged")
    Cli(migrated_url).ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=NOW)
    event = services.audit_log(app_at(migrated_url, NOW))[0]
    assert "forged" not in event["origin"] and "\x1b" not in event["origin"]
    assert event["origin"].startswith("cli ")
