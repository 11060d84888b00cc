"""Fuzzing every command that takes text: it succeeds, or it refuses in one `error:` line (exit 1)
or with a usage error (exit 2); never a traceback, never an uncaught exception, and a refusal
leaves the database exactly as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ..conftest import SEEDS, SYRIA, Cli
from .hostile import FUZZ, ODD_TEXT, Databases, assert_clean

NOW = "2016-09-14T12:00:00+03:00"
CALM = f"{SYRIA}/seven-day-calm"
T = "2016-09-13T10:00:00+03:00"
hostile = st.one_of(st.sampled_from([*ODD_TEXT, "\udcff", "x\udcffy", "-1", "1e999", "2**64",
                                     "18446744073709551617", "0.5", "1", "A", "3", f"{SYRIA}/",
                                     "/", f"/{CALM}", CALM, SYRIA, f"{SYRIA}/truce-collapses",
                                     "truce-collapses=0.5", "=0.5", "truce-collapses=",
                                     "reminder", "overdue", "md", "html", "csv", "pdf", "HTML"]),
                    st.text(max_size=25))

# Each command with {} where hostile text goes; the rest is what a careful user would type.
COMMANDS: list[list[str]] = [
    ["transition", "{}", "breached", "--occurred-at", T, "--by", "mira"],
    ["transition", CALM, "{}", "--occurred-at", T, "--by", "mira"],
    ["transition", CALM, "breached", "--occurred-at", "{}", "--by", "mira"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--reason", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--source", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--source",
     "https://a.example", "--reliability", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--source",
     "https://a.example", "--credibility", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--confidence", "{}"],
    ["transition", CALM, "breached", "--occurred-at", T, "--by", "mira", "--expect-version", "{}"],
    ["observe", "{}", "--occurred-at", T, "--by", "mira", "--summary", "shelling"],
    ["observe", CALM, "--occurred-at", "{}", "--by", "mira", "--summary", "shelling"],
    ["observe", CALM, "--occurred-at", T, "--by", "{}", "--summary", "shelling"],
    ["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "{}"],
    ["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "x", "--source", "{}"],
    ["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "x", "--confidence", "{}"],
    ["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "x",
     "--expect-version", "{}"],
    ["retract", "{}", "--by", "mira", "--reason", "wrong"],
    ["retract", "1", "--by", "{}", "--reason", "wrong"],
    ["retract", "1", "--by", "mira", "--reason", "{}"],
    ["forecast", "{}", "0.4", "--by", "mira", "--rationale", "r"],
    ["forecast", f"{SYRIA}/truce-collapses", "{}", "--by", "mira", "--rationale", "r"],
    ["forecast", f"{SYRIA}/truce-collapses", "0.4", "--by", "{}", "--rationale", "r"],
    ["forecast", f"{SYRIA}/truce-collapses", "0.4", "--by", "mira", "--rationale", "{}"],
    ["forecast", f"{SYRIA}/truce-collapses", "0.4", "--by", "mira", "--rationale", "r", "--at",
     "{}"],
    ["forecast", f"{SYRIA}/truce-collapses", "truce-collapses={}", "--by", "mira",
     "--rationale", "r"],
    ["forecast", "{}", "a=0.5", "b=0.5", "--by", "mira", "--rationale", "r"],
    ["status", "{}"],
    ["status", SYRIA, "--as-of", "{}"],
    ["status", SYRIA, "--known-at", "{}", "--json"],
    ["history", "{}"],
    ["history", CALM, "--as-of", "{}", "--json"],
    ["history", SYRIA, "--known-at", "{}"],
    ["diff", "{}", "--known-at", T, "--known-at", NOW],
    ["diff", SYRIA, "--known-at", "{}", "--known-at", NOW],
    ["diff", SYRIA, "--known-at", T, "--known-at", "{}", "--json"],
    ["scores", "{}"],
    ["report", "{}"],
    ["report", SYRIA, "--format", "{}"],
    ["alerts", "--agreement", "{}"],
    ["alerts", "--kind", "{}", "--json"],
    ["ack", "{}"],
    ["ack", "1", "--by", "{}"],
    ["calendar", "{}"],
    ["validate", "{}"],
    ["load", "{}"],
    ["import", "{}"],
    ["--now", "{}", "tick"],
    ["--now", "{}", "observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "x"],
    ["user", "add", "{}", "--role", "analyst", "--password-stdin"],
    ["user", "add", "nadia", "--role", "{}", "--password-stdin"],
    ["scenario", "add", SYRIA, "{}", "--title", "T", "--when", "seven-day-calm=breached"],
    ["scenario", "add", SYRIA, "new-one", "--title", "{}", "--when", "seven-day-calm=breached"],
    ["scenario", "add", SYRIA, "new-one", "--title", "T", "--when", "{}"],
    ["scenario", "add", SYRIA, "new-one", "--title", "T", "--when", "seven-day-calm={}"],
    ["scenario", "add", SYRIA, "new-one", "--title", "T", "--when", "joint-targeting=active",
     "--group", "{}"],
    ["scenario", "add", "{}", "new-one", "--title", "T", "--when", "seven-day-calm=breached"],
    ["scenario", "list", "{}"],
    ["login", "{}", "--password-stdin"],
    ["audit", "--actor", "{}"],
    ["restore", "{}"],
    ["health", "--json"],
]
WRITES_FILES = [["report", SYRIA, "--format", "html", "--output", "{}"], ["export", "{}"]]


def _prepare(cli: Cli) -> None:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    cli.ok("observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "quiet night",
           now="2016-09-13T12:00:00+03:00")
    cli.ok("forecast", f"{SYRIA}/truce-collapses", "0.3", "--by", "mira", "--rationale", "early",
           now="2016-09-13T12:00:00+03:00")


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Databases:
    return Databases(tmp_path_factory.mktemp("cli-fuzz"), _prepare)


def run(cli: Cli, args: list[str], *, stdin: str = "a long password\n") -> Any:
    from tracker.cli import app

    argv = args if args[:1] == ["--now"] else ["--now", NOW, *args]
    return cli.runner.invoke(app, argv, input=stdin,
                             env={"TRACKER_DATABASE_URL": cli.url, "TRACKER_NOW": ""})


def check(databases: Databases, args: list[str]) -> None:
    """Run `args` on a fresh copy of the prepared database and check the outcome is clean."""
    cli = databases.fresh()
    result = run(cli, args)
    assert_clean(result, max_line=None)  # a refusal may quote a long value the user typed
    if result.exit_code == 1 and args[0] not in ("load", "validate"):
        assert len(str(result.stderr).splitlines()) == 1, (args, result.stderr[:2000])
    if result.exit_code != 0:
        assert cli.export() == databases.empty_export, f"{args} was refused but wrote"


@settings(FUZZ, max_examples=400)
@given(command=st.sampled_from(COMMANDS), text=hostile)
@example(command=["load", "{}"], text="a\x00b")
@example(command=["validate", "{}"], text="a\x00b")
@example(command=["import", "{}"], text="a\x00b")
@example(command=["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "{}"],
         text="x\udcffy")
@example(command=["status", SYRIA, "--as-of", "{}"], text="0001-01-01T00:00:00+14:00")
@example(command=["status", SYRIA, "--as-of", "{}"], text="9999-12-31T23:59:59-05:00")
@example(command=["forecast", f"{SYRIA}/truce-collapses", "{}", "--by", "mira", "--rationale",
                  "r"], text="nan")
def test_hostile_text_in_any_command_is_used_or_refused_cleanly(
        databases: Databases, command: list[str], text: str) -> None:
    check(databases, [part.replace("{}", text) for part in command])


@settings(FUZZ, max_examples=60)
@given(command=st.sampled_from(WRITES_FILES),
       name=hostile.filter(lambda s: "/" not in s and s not in ("", ".", "..")))
@example(command=WRITES_FILES[0], name="a\x00b")
@example(command=WRITES_FILES[1], name="a\x00b")
def test_hostile_file_names_are_written_or_refused_cleanly(
        databases: Databases, tmp_path: Path, command: list[str], name: str) -> None:
    check(databases, [part.replace("{}", f"{tmp_path}/{name}") for part in command])


@pytest.mark.pg
def test_hostile_text_is_refused_unchanged_on_postgresql(cli: Cli) -> None:
    if "postgresql" not in cli.url:
        pytest.skip("the SQLite side is the fuzz above")
    _prepare(cli)
    before = cli.export()
    for args in (["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "a\x00b"],
                 ["observe", CALM, "--occurred-at", T, "--by", "mira", "--summary", "x\udcffy"],
                 ["status", SYRIA, "--as-of", "0001-01-01T00:00:00+14:00"],
                 ["transition", CALM, "breached", "--occurred-at", T, "--by", "\x00"]):
        result = run(cli, args)
        assert_clean(result)
        assert result.exit_code != 0, args
    assert cli.export() == before
