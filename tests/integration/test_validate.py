"""`validate` makes every check `load` makes, writes nothing, and both name every bad record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli
from ..factories import seed_dict
from .test_bad_input import export

NOW = "2016-09-20T12:00:00+03:00"


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    cli.ok("observe", f"{SYRIA}/seven-day-calm", "--occurred-at", "2016-09-13T10:00:00+03:00",
           "--by", "mira", "--summary", "quiet night", now="2016-09-14T12:00:00+03:00")
    return cli


def record(commitment: str, recorded: str, **extra: Any) -> dict[str, Any]:
    return {"commitment": commitment, "kind": "observation", "by": "mira", "summary": "seen",
            "occurred_at": "2016-09-15T10:00:00+03:00", "recorded_at": recorded, **extra}


def write(tmp_path: Path, name: str, doc: object) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


def both_refuse(cli: Cli, tmp_path: Path, *paths: str) -> tuple[str, str]:
    """Return the refusals of `validate` and `load` of `paths`, each leaving the database as is."""
    before = export(cli, tmp_path)
    checked = cli("validate", *paths, now=NOW)
    assert checked.exit_code == 1, checked.stdout
    loaded = cli("load", *paths, now=NOW)
    assert loaded.exit_code == 1, loaded.stdout
    assert export(cli, tmp_path) == before
    return checked.stderr, loaded.stderr


def test_validate_refuses_a_record_naming_an_unknown_commitment(loaded: Cli,
                                                                tmp_path: Path) -> None:
    path = write(tmp_path, "records.yaml", {"agreement": SYRIA, "records": [
        record("seven-day-clam", "2016-09-16T10:00:00+03:00")]})
    checked, refused = both_refuse(loaded, tmp_path, path)
    assert f"{path}:3: records[0].commitment: 'seven-day-clam' is not a commitment" in checked
    assert checked == refused


def test_validate_refuses_records_recorded_before_the_log(loaded: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "records.yaml", {"agreement": SYRIA, "records": [
        record("seven-day-calm", "2016-09-14T11:00:00+03:00",
               occurred_at="2016-09-14T10:00:00+03:00")]})
    checked, refused = both_refuse(loaded, tmp_path, path)
    assert "records[0]: recorded_at 2016-09-14T08:00:00Z is before the latest record" in checked
    assert "(the clock, --now)" not in checked  # the file's own recorded_at said so
    assert "order the file's records by recorded_at" in checked
    assert checked == refused


def test_validate_refuses_a_seed_that_differs_from_the_loaded_one(loaded: Cli,
                                                                  tmp_path: Path) -> None:
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text())
    seed["commitments"][0]["title"] = "Something else"
    checked, refused = both_refuse(loaded, tmp_path, write(tmp_path, "seed.yaml", seed))
    assert "is already loaded with a different definition" in checked
    assert checked == refused


def test_every_bad_record_is_named_not_only_the_first(loaded: Cli, tmp_path: Path) -> None:
    typos = [record(f"calm-{i}", f"2016-09-16T1{i}:00:00+03:00") for i in range(5)]
    path = write(tmp_path, "records.yaml", {"agreement": SYRIA, "records": typos})
    checked, refused = both_refuse(loaded, tmp_path, path)
    for i in range(5):
        assert f"records[{i}].commitment: 'calm-{i}' is not a commitment" in checked
    assert checked == refused


def test_every_refused_transition_is_named(loaded: Cli, tmp_path: Path) -> None:
    bad = [record(slug, f"2016-09-16T1{i}:00:00+03:00", kind="transition", state="fulfilled",
                  summary="") for i, slug in enumerate(["joint-targeting",
                                                        "joint-implementation-center"])]
    path = write(tmp_path, "records.yaml", {"agreement": SYRIA, "records": bad})
    checked, refused = both_refuse(loaded, tmp_path, path)
    assert "records[0]: us-russia-syria-2016/joint-targeting cannot become fulfilled" in checked
    assert "records[1]: us-russia-syria-2016/joint-implementation-center cannot become" in checked
    assert checked == refused


def test_a_seed_and_its_records_are_checked_together_before_either_is_loaded(
        cli: Cli, tmp_path: Path) -> None:
    seed = write(tmp_path, "seed.yaml", seed_dict({"slug": "a"}, {"slug": "b", "starts": {
        "after": "a", "enters": "fulfilled"}}))
    good = write(tmp_path, "good.yaml", {"agreement": "test-agreement", "records": [
        record("a", "2016-09-16T10:00:00+03:00", kind="transition", state="fulfilled",
               summary="")]})
    bad = write(tmp_path, "bad.yaml", {"agreement": "test-agreement", "records": [
        record("b", "2016-09-16T10:00:00+03:00", kind="transition", state="fulfilled",
               summary="")]})
    before = export(cli, tmp_path)
    out = cli.ok("validate", seed, good, now=NOW)
    assert "valid seed for test-agreement" in out and "valid record file" in out
    checked = cli("validate", seed, bad, now=NOW)
    assert checked.exit_code == 1
    assert "bad.yaml:3: records[0]: test-agreement/b cannot become fulfilled" in checked.stderr
    assert export(cli, tmp_path) == before  # nothing loaded, by either


def test_validate_without_a_database_checks_the_files_against_each_other(tmp_path: Path) -> None:
    missing = Cli(f"sqlite:///{tmp_path / 'none.db'}")
    out = missing.ok("validate", str(SEEDS / f"{SYRIA}.yaml"), str(SEEDS / f"{SYRIA}.record.yaml"))
    assert "valid record file for us-russia-syria-2016 (19 records)" in out
    assert "the database does not exist yet" in out
    assert not (tmp_path / "none.db").exists()
