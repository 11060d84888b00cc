"""A record file cannot put words in a colleague's mouth unseen: in team mode each loaded record
keeps its historical `by` and says who loaded it, in history, reports and the dashboard."""

from __future__ import annotations

from pathlib import Path

import yaml

from tracker import services

from ..conftest import SYRIA, Cli, cli_as, signed_in
from ..dashboard.helpers import page
from .conftest import PASSWORD

CALM = "seven-day-calm"


def record_file(folder: Path) -> Path:
    path = folder / "ann-said.record.yaml"
    path.write_text(yaml.safe_dump({"agreement": SYRIA, "records": [{
        "commitment": CALM, "kind": "transition", "state": "breached",
        "occurred_at": "2016-09-14T12:00:00+03:00", "recorded_at": "2016-09-14T15:00:00+03:00",
        "by": "ann", "reason": "shelling near Aleppo"}]}), encoding="utf-8")
    return path


def test_a_record_loaded_by_an_admin_says_so_everywhere(team: services.App,
                                                        tmp_path: Path) -> None:
    ada = cli_as(team.database_url, "ada", PASSWORD)
    ada.ok("load", str(record_file(tmp_path)))
    reader = signed_in(team, "vic", PASSWORD)
    [item] = [i for i in services.history(reader, SYRIA)[1] if i.reason == "shelling near Aleppo"]
    assert (item.by, item.loaded_by) == ("ann", "ada")
    assert "ann, loaded by ada" in ada.ok("history", f"{SYRIA}/{CALM}")
    ada.ok("report", SYRIA, "--output", str(tmp_path / "r.md"))
    # escaped Markdown turns the comma into plain text and leaves the words as they are
    assert "ann, loaded by ada" in (tmp_path / "r.md").read_text().replace("\\", "")
    at = page(team, "views/commitment.py", user=services.UserView(name="vic", role="viewer"),
              commitment=CALM)
    table = at.dataframe[-1].value
    assert "ann, loaded by ada" in set(table["by"])


def test_in_local_mode_a_loaded_record_names_its_author_only(cli: Cli, tmp_path: Path) -> None:
    from ..conftest import SEEDS

    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    cli.ok("load", str(record_file(tmp_path)), now="2016-09-15T12:00:00+03:00")
    said = cli.ok("history", f"{SYRIA}/{CALM}", "--json")
    assert '"loaded_by": null' in said and '"by": "ann"' in said
