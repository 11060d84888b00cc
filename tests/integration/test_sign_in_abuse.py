"""Signing in under attack: a stranger's guesses cannot lock an admin out, a hostile name gets a
clear refusal (counted and audited), look-alike names are refused, and admins unlock, reset
passwords and remove users."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tracker import services
from tracker.services.clock import fixed_clock
from tracker.store.migrate import upgrade

from ..conftest import SYRIA, Cli, app_at, cli_as, signed_in
from .conftest import NOW, PASSWORD

STRANGER = "dashboard 203.0.113.9"


def at(app: services.App, seconds: float, origin: str = STRANGER) -> services.App:
    return replace(app, origin=origin,
                   wall_clock=fixed_clock(app.clock() + timedelta(seconds=seconds)))


def hammer(app: services.App, name: str, failures: int) -> float:
    """Fail `failures` sign-ins as `name` from STRANGER, each as soon as the throttle lets it
    (waiting until the instant it names); return the seconds that took."""
    t = 0.0
    for _ in range(failures):
        try:
            services.sign_in(at(app, t), name, "wrong guess")
        except services.AccessDenied as error:
            if "do not match" not in str(error):
                retry = datetime.fromisoformat(str(error).rsplit("after ", 1)[1])
                t = (retry - app.clock()).total_seconds()
                with pytest.raises(services.AccessDenied, match="do not match"):
                    services.sign_in(at(app, t), name, "wrong guess")
    return t


def test_a_strangers_guesses_never_lock_the_admin_out(team: services.App) -> None:
    t = hammer(team, "ada", 50)
    with pytest.raises(services.AccessDenied, match="locked from here .* `tracker user unlock "
                                                    "ada`"):
        services.sign_in(at(team, t + 900), "ada", PASSWORD)  # the stranger is, even if right
    ada = services.sign_in(at(team, t, origin="cli ada@desk"), "ada", PASSWORD)
    assert ada.user.role == "admin"  # from her own place, at once
    refused = services.audit_log(signed_in(team, "ada", PASSWORD), outcome="refused", limit=500)
    assert any(e["detail"] == "locked: too many failed attempts" for e in refused)


def test_an_admin_unlocks_a_locked_name(team: services.App) -> None:
    t = hammer(team, "ann", 50)
    cli_as(team.database_url, "ada", PASSWORD).ok("user", "unlock", "ann")
    # the unlock is on real time, after every failure of this test's clock
    assert services.sign_in(at(team, t), "ann", PASSWORD).user.name == "ann"


@pytest.mark.parametrize("name", ["a\x00b", "ann\x1b[2J", "ann\u200b"])
def test_a_name_with_a_hidden_character_is_refused_cleanly_counted_and_audited(
        team: services.App, name: str) -> None:
    with pytest.raises(services.AccessDenied, match="sign-in: name: .* holds an? "):
        services.sign_in(team, name, PASSWORD)
    said = Cli(team.database_url)("login", name, "--password-stdin", input=f"{PASSWORD}\n")
    assert said.exit_code == 1 and "Traceback" not in said.output
    assert said.stderr.startswith("error: sign-in: name:") and said.stderr.count("\n") == 1
    event = services.audit_log(signed_in(team, "ada", PASSWORD), outcome="refused")[0]
    assert event["actor"] == ascii(name) and "\x00" not in str(event)


def test_a_password_with_a_control_character_is_refused_before_any_check(
        team: services.App) -> None:
    with pytest.raises(services.AccessDenied, match="password: holds a control character"):
        services.sign_in(team, "ann", "a long\x00password")


@pytest.mark.parametrize(("name", "why"), [
    ("ann\u200b", "invisible character .U\\+200B ZERO WIDTH SPACE"),
    ("\u0430nn", "reads like the existing user 'ann'"),  # a Cyrillic а
    ("ad\u202ea", "text-direction control.*U\\+202E"),
    ("ANN", "reads like the existing user 'ann'"),
    ("\uff41\uff4e\uff4e", "a user 'ann' exists already"),  # full-width letters: NFKC makes ann
    ("v\u0456c", "reads like the existing user 'vic'"),  # a Ukrainian і
])
def test_look_alike_and_disguised_names_are_refused(team: services.App, name: str,
                                                    why: str) -> None:
    admin = signed_in(team, "ada", PASSWORD)
    with pytest.raises(services.DomainError, match=f"NAME: .*{why}"):
        services.add_user(admin, name, role="admin", password=PASSWORD)
    assert [u.name for u in services.list_users(admin)] == ["ada", "ann", "vic"]


def test_an_admin_resets_a_password_and_the_old_one_and_its_sessions_end(
        team: services.App) -> None:
    ann = signed_in(team, "ann", PASSWORD)
    admin = signed_in(team, "ada", PASSWORD)
    services.reset_password(admin, "ann", password="a new long password")
    assert services.session_user(ann, ann.token or "") is None
    with pytest.raises(services.AccessDenied, match="do not match"):
        services.sign_in(team, "ann", PASSWORD)
    assert services.sign_in(team, "ann", "a new long password").user.name == "ann"
    with pytest.raises(services.AccessDenied, match="needs admin"):
        services.reset_password(signed_in(team, "vic", PASSWORD), "ann", password="x" * 12)


def test_a_removed_user_signs_in_no_more_and_the_log_keeps_the_name(team: services.App) -> None:
    ann = signed_in(team, "ann", PASSWORD)
    services.record_observation(ann, f"{SYRIA}/seven-day-calm", occurred_at=team.clock(), by="",
                                summary="quiet")
    admin = signed_in(team, "ada", PASSWORD)
    cli_as(team.database_url, "ada", PASSWORD).ok("user", "remove", "ann")
    assert services.session_user(ann, ann.token or "") is None
    with pytest.raises(services.AccessDenied, match="do not match"):
        services.sign_in(team, "ann", PASSWORD)
    assert "ann" in {i.by for i in services.history(admin, SYRIA)[1]}
    for again in ("ann", "\u0430nn"):
        with pytest.raises(services.DomainError, match="exists already|reads like"):
            services.add_user(admin, again, role="viewer", password=PASSWORD)
    with pytest.raises(services.DomainError, match="ada is the last admin"):
        services.remove_user(admin, "ada")
    assert ("ann", "removed") in [(u.name, u.state) for u in services.list_users(admin)]


def test_after_an_import_without_passwords_the_owner_sets_the_first_admins(
        team: services.App, tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(services.export_text(signed_in(team, "ada", PASSWORD)))
    fresh = app_at(f"sqlite:///{tmp_path / 'fresh.db'}", NOW)
    upgrade(fresh.database_url)
    services.import_file(fresh, plain)
    assert {u.state for u in _users(fresh)} == {"no password"}
    with pytest.raises(services.AccessDenied, match="needs a signed-in user"):
        services.reset_password(fresh, "ann", password="a new long password")  # not an admin
    services.reset_password(fresh, "ada", password="a new long password")
    admin = signed_in(fresh, "ada", "a new long password")
    services.reset_password(admin, "ann", password="ann's new password")
    with pytest.raises(services.AccessDenied, match="needs a signed-in user"):
        services.reset_password(fresh, "ada", password="someone else's")  # an admin can now
    assert services.verify_audit(fresh).broken is None


def _users(app: services.App) -> list[services.UserView]:
    from tracker.store.db import unit_of_work
    from tracker.store.users import users

    with unit_of_work(app.database_url, read_only=True) as session:
        return [services.UserView(name=u.name, role=u.role,
                                  state="no password" if not u.password_hash else "active")
                for u in users(session)]
