"""Files the tracker writes (export, backup, reports) are private from their first byte, never
follow a planted link, and replace an existing file only with --force."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.store.migrate import upgrade

from ..conftest import SEEDS, SYRIA, Cli

NOW = "2016-09-16T12:00:00+03:00"
WRITERS = {  # command line for each file-writing command, FILE standing for the path
    "export": ["export", "FILE"],
    "backup": ["backup", "FILE"],
    "report": ["report", SYRIA, "--format", "md", "--output", "FILE"],
}


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'files.db'}"
    upgrade(url)
    loaded = Cli(url)
    loaded.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=NOW)
    return loaded


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Let files be created as wide as their code asks (umask 0), to see what it asks for."""
    old = os.umask(0)
    yield
    os.umask(old)


def args(command: str, path: Path) -> list[str]:
    return [str(path) if a == "FILE" else a for a in WRITERS[command]]


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_planted_link_is_neither_followed_nor_replaced_without_force(
        cli: Cli, tmp_path: Path, command: str) -> None:
    victim, link = tmp_path / "victim.txt", tmp_path / "link.out"
    victim.write_text("precious")
    link.symlink_to(victim)
    message = cli.refused(*args(command, link), now=NOW)
    assert "exists already; add --force" in message
    cli.ok(*args(command, link), "--force", now=NOW)
    assert victim.read_text() == "precious"  # the link itself was replaced, not its target
    assert not link.is_symlink() and link.stat().st_size > 0


def test_a_planted_partial_file_cannot_redirect_a_backup(cli: Cli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "b.gz.partial").symlink_to(victim)
    cli.ok("backup", str(tmp_path / "b.gz"), now=NOW)
    assert victim.read_text() == "precious"
    assert (tmp_path / "b.gz").read_bytes()[:2] == b"\x1f\x8b"


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_every_written_file_is_for_its_owner_only(cli: Cli, tmp_path: Path, command: str,
                                                   open_umask: None) -> None:
    out = tmp_path / "out.file"
    cli.ok(*args(command, out), now=NOW)
    written = [out, *([Path(f"{out}.sha256")] if command == "backup" else [])]
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [0o600] * len(written)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["files.db", "files.db-shm", "files.db-wal", *(p.name for p in written)])


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_an_existing_file_is_kept_unless_forced(cli: Cli, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out.file"
    out.write_text("yesterday's")
    assert "add --force" in cli.refused(*args(command, out), now=NOW)
    assert out.read_text() == "yesterday's"
    cli.ok(*args(command, out), "--force", now=NOW)
    assert out.read_text(errors="replace") != "yesterday's"
