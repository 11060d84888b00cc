"""A source is a plain web address: http(s), no white space, no control character, nothing that
must be percent-encoded; refused in seeds, record files, the CLI and the dashboard's forms."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli, snapshot
from ..dashboard.helpers import by_label, loaded, page, shown
from ..dashboard.test_forms import fill_change

CALM = f"{SYRIA}/seven-day-calm"
NOW = "2016-09-16T12:00:00+03:00"
BAD = ["https://a.example/\n![x](http://127.0.0.1:9/x.png)", "https://a.example/>) <img src=x> (",
       "javascript:alert(1)", "https://a.example/\x1b[2J", "ftp://a.example/file"]


@pytest.mark.parametrize("url", BAD)
def test_the_cli_refuses_a_source_that_is_not_a_plain_web_address(cli: Cli, url: str) -> None:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    message = cli.refused_unchanged("observe", CALM, "--occurred-at", NOW, "--summary", "s",
                                    "--by", "ana", "--source", url, now=NOW)
    assert message.startswith("error: --source: ")


@pytest.mark.parametrize("url", BAD[:2])
def test_seeds_and_record_files_refuse_it_naming_the_field(cli: Cli, tmp_path: Path,
                                                           url: str) -> None:
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text(encoding="utf-8"))
    seed["agreement"]["sources"][0]["url"] = url
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(seed), encoding="utf-8")
    assert "agreement.sources[0].url" in cli.refused("load", str(tmp_path / "s.yaml"), now=NOW)
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    records = {"agreement": SYRIA, "records": [{
        "commitment": "seven-day-calm", "kind": "observation", "summary": "s", "by": "ana",
        "occurred_at": NOW, "sources": [{"url": url}]}]}
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(records), encoding="utf-8")
    assert "records[0].sources[0].url" in cli.refused("load", str(tmp_path / "r.yaml"), now=NOW)


def test_the_dashboard_form_refuses_it_and_records_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = snapshot(migrated_url)
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    fill_change(at, "breached", NOW, "strikes")
    at.text_input(key="change-url-0").input(BAD[1])
    by_label(at.button, "Record state change").click().run()
    assert "Not recorded: --source:" in shown(at.error[0].value)
    assert snapshot(migrated_url) == before
