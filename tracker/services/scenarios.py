"""Use case `add_scenario`: a new future for a loaded agreement, checked exactly like a seed's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.errors import DomainError
from ..seeds.reader import SeedError, validate_seed
from ..store import forecasts
from ..store.db import unit_of_work
from ..store.tables import ScenarioRow
from .access import guarded
from .app import App
from .loading import digest
from .recording import agreement_or_fail


@guarded("add scenario", role="analyst", about="agreement")
def add_scenario(app: App, slug: str, scenario: Mapping[str, Any]) -> str:
    """Add `scenario` ({slug, title, when, group?}, as in a seed) to agreement `slug`.

    The agreement's definition with the scenario appended is validated as a whole seed, so the
    same problems get the same messages; the scenario resolves by itself from the log at once.
    """
    with unit_of_work(app.database_url) as session:
        row = agreement_or_fail(session, slug, lock=True)
        definition = dict(row.definition)
        index = len(definition.get("scenarios", []))
        definition["scenarios"] = [*definition.get("scenarios", []), dict(scenario)]
        try:
            seed = validate_seed(slug, definition)
        except SeedError as error:
            raise SeedError([_as_scenario(p, slug, index) for p in error.problems]) from None
        added = seed.scenarios[index]
        if added.group and forecasts.group_has_forecasts(session, row.id or 0, added.group):
            raise DomainError(f"group: {added.group!r} already has forecasts, which must sum to 1 "
                              "over its members; put the new scenario in a new group or in none")
        stored = seed.model_dump(mode="json")
        row.definition, row.definition_hash = stored, digest(stored)
        session.add(row)
        session.add(ScenarioRow(agreement_id=row.id or 0, slug=added.slug, title=added.title,
                                group_name=added.group, added_at=app.clock()))
    return f"added scenario {added.slug} to {slug}"


def _as_scenario(problem: str, slug: str, index: int) -> str:
    """Return a seed problem about the new scenario, worded for the one adding it."""
    return problem.replace(f"{slug}: scenarios[{index}].", "scenario ").replace(
        f"{slug}: scenarios[{index}]:", "scenario:")
