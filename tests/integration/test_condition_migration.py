"""Migration 0009 stores every definition in the condition language's one form, so an agreement
loaded before it still loads as "unchanged" from its unchanged seed; and going down gives back
exactly what revision 0007 stored, or refuses what 0007 cannot say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

from tracker import services
from tracker.store.db import engine_for
from tracker.store.migrate import downgrade, upgrade

from ..conftest import SEEDS, SYRIA, app_at

# What revision 0007's code stored for the two bundled seeds (written by that code, at main).
STORED_AT_0007 = json.loads((Path(__file__).parents[1] / "fixtures" / "definitions-0007.json")
                            .read_text())
MOSCOW = "moscow-humanitarian-ceasefire-2020"
LATER = "2020-12-01T00:00:00+00:00"


def stored(url: str) -> dict[str, tuple[Any, str]]:
    with engine_for(url).connect() as connection:
        rows = connection.execute(text("SELECT slug, definition, definition_hash FROM agreement"))
        return {slug: (d if isinstance(d, dict) else json.loads(d), h) for slug, d, h in rows}


def load_at_0007(url: str) -> None:
    """Load both seeds and the Syria record, then put the definitions back as 0007 stored them."""
    upgrade(url, "0008")  # the definitions as 0007 stored them; 0008 adds columns the loader writes
    services.load(app_at(url, LATER), [SEEDS / f"{SYRIA}.yaml", SEEDS / f"{SYRIA}.record.yaml",
                                        SEEDS / f"{MOSCOW}.yaml"])
    with engine_for(url).begin() as connection:
        for slug, old in STORED_AT_0007.items():
            connection.execute(text("UPDATE agreement SET definition = :d, definition_hash = :h "
                                    "WHERE slug = :s"),
                               {"d": json.dumps(old["definition"]), "h": old["definition_hash"],
                                "s": slug})


def test_an_agreement_loaded_before_0009_loads_unchanged_after_it(database_url: str) -> None:
    load_at_0007(database_url)
    upgrade(database_url)
    app = app_at(database_url, LATER)
    again = services.load(app, [SEEDS / f"{SYRIA}.yaml", SEEDS / f"{MOSCOW}.yaml"])
    assert all("already loaded, unchanged" in line for line in again), again
    requires = stored(database_url)[MOSCOW][0]["commitments"][2]["requires"]
    assert requires == {"any_of": [{"commitment": "humanitarian-ceasefire", "enters": "active"},
                                   {"commitment": "ceasefire-parameters-agreed",
                                    "enters": "fulfilled"}]}
    view = services.status(app, SYRIA)
    assert {s.slug: s.outcome for s in view.scenarios} == {
        "cooperation-begins": "did-not-happen", "truce-collapses": "happened"}


def test_going_down_gives_back_what_0007_stored(database_url: str) -> None:
    load_at_0007(database_url)
    upgrade(database_url)
    downgrade(database_url, "0008")
    assert stored(database_url) == {slug: (old["definition"], old["definition_hash"])
                                    for slug, old in STORED_AT_0007.items()}
    upgrade(database_url)
    assert "unchanged" in services.load(app_at(database_url, LATER), [SEEDS / f"{SYRIA}.yaml"])[0]


def test_going_down_refuses_a_condition_0007_cannot_say(migrated_url: str,
                                                        tmp_path: Path) -> None:
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text())
    seed["scenarios"].append({"slug": "no-targeting", "title": "No joint targeting",
                              "when": {"not": {"commitment": "joint-targeting",
                                               "enters": "active"}}})
    (tmp_path / "seed.yaml").write_text(yaml.safe_dump(seed))
    services.load(app_at(migrated_url, LATER), [tmp_path / "seed.yaml"])
    before = stored(migrated_url)
    with pytest.raises(RuntimeError, match=r"us-russia-syria-2016: scenarios\[2\]\.when uses the "
                                           "condition language"):
        downgrade(migrated_url, "0007")
    assert stored(migrated_url) == before  # the migration's transaction rolled back
