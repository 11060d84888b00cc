"""A large agreement: the summaries read the stored columns, and the big tables and pickers show a
searchable slice, saying how much is not shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracker import services

from ..conftest import app_at
from .helpers import by_label, page, texts

COMMITMENTS = 620
NOW = "2020-01-05T00:00:00Z"


def _commitment(i: int) -> dict[str, Any]:
    out: dict[str, Any] = {"slug": f"c-{i:04d}", "title": f"Commitment {i}",
                           "owed_by": ["a"] if i % 2 else ["b"], "starts": "2020-01-02T00:00:00Z"}
    kind = i % 5
    if kind in (1, 3):
        out["hold_for"] = "P30D"
    if kind in (2, 3, 4):
        out["due"] = {"after_start": "P10D"}
    if kind == 4:
        out["hold_for"] = "P5D"  # ends before it is due: the hold is the next deadline
    return out


def _big(url: str, folder: Path) -> None:
    seed = {"agreement": {"slug": "big", "title": "Big", "timezone": "Europe/Kyiv",
                          "parties": ["a", "b"], "announced_at": "2020-01-01T00:00:00Z"},
            "commitments": [_commitment(i) for i in range(COMMITMENTS)]}
    path = folder / "big.yaml"
    path.write_text(json.dumps(seed))  # JSON is YAML
    services.load(app_at(url, "2020-01-01T12:00:00Z"), [path])


def _without_versions(detail: services.Detail) -> list[dict[str, Any]]:
    return [{k: v for k, v in i.model_dump().items() if k != "version"} for i in detail.items]


def test_stored_columns_give_what_the_tracks_give(migrated_url: str, tmp_path: Path) -> None:
    _big(migrated_url, tmp_path)
    app = app_at(migrated_url, NOW)
    moved = services.agreement_detail(app, "big")  # the clock has work: the tracks moved on
    services.tick(app)
    stored = services.agreement_detail(app, "big")  # nothing left to decide: the stored columns
    assert _without_versions(stored) == _without_versions(moved)
    assert stored.counts == moved.counts == {"active": COMMITMENTS}
    kinds = {i.slug: (i.deadline_kind, i.deadline) for i in stored.items}
    assert kinds["c-0000"] == (None, None)
    assert kinds["c-0001"][0] == "hold ends" and kinds["c-0002"][0] == "due"
    assert kinds["c-0003"][0] == "due"  # due in 10 days, the hold ends in 30
    assert kinds["c-0004"][0] == "hold ends"  # the hold ends in 5 days, due in 10
    assert kinds["c-0004"][1] is not None and kinds["c-0002"][1] is not None
    assert kinds["c-0004"][1] < kinds["c-0002"][1]
    summary = services.overview(app)[0]
    assert [i.model_dump() for i in summary.items] == [i.model_dump() for i in stored.items]


def test_big_tables_show_a_searchable_slice(migrated_url: str, tmp_path: Path) -> None:
    _big(migrated_url, tmp_path)
    app = app_at(migrated_url, NOW)
    services.tick(app)
    at = page(app)
    assert len(at.dataframe[-1].value) == 500
    assert f"Showing the first 500 of {COMMITMENTS} commitments (120 not shown)" in texts(at)
    by_label(at.text_input, "Find a commitment").input("c-061").run()
    assert list(at.dataframe[-1].value["commitment"]) == [f"c-{i:04d}" for i in range(610, 620)]

    at = page(app, "views/agreement.py")
    assert len(at.dataframe[0].value) == 500
    assert len(at.selectbox(key="open-target").options) == 500
    at.text_input(key="find-commitment").input("Commitment 619").run()
    assert list(at.dataframe[0].value["commitment"]) == ["c-0619"]
    assert at.selectbox(key="open-target").options == ["c-0619"]
    assert f"1 of {COMMITMENTS} commitments match" in texts(at)
