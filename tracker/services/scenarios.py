"""Use cases `add_scenario` and `preview_scenario`: a new future for a loaded agreement, checked
exactly like a seed's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..domain.errors import DomainError
from ..domain.wording import scenario_words
from ..seeds.convert import to_domain
from ..seeds.lines import Lines
from ..seeds.reader import SeedError, validate_seed
from ..seeds.schema import AgreementSeed
from ..store import forecasts
from ..store.db import unit_of_work
from ..store.tables import AgreementRow, ScenarioRow
from .access import guarded, readable
from .app import App
from .loading import digest
from .recording import agreement_or_fail


class ScenarioPreview(BaseModel):
    """What adding a scenario would say: its condition in words, or every problem with it."""

    words: str
    problems: list[str]


@guarded("add scenario", role="analyst", about="agreement")
def add_scenario(app: App, slug: str, scenario: Mapping[str, Any], *,
                 source: Path | None = None, lines: Lines | None = None) -> str:
    """Add `scenario` ({slug, title, when, group?}, as in a seed) to agreement `slug`.

    The agreement's definition with the scenario appended is validated as a whole seed, so the
    same problems get the same messages (at `source`'s lines, when it was read from a file);
    the scenario resolves by itself from the log at once.
    """
    with unit_of_work(app.database_url) as session:
        row = agreement_or_fail(session, slug, lock=True)
        seed, index = _with_scenario(row, scenario, source, lines)
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


@readable("scenario preview")
def preview_scenario(app: App, slug: str, scenario: Mapping[str, Any]) -> ScenarioPreview:
    """Return what adding `scenario` to agreement `slug` would say, writing nothing: every
    problem a seed would name, and the condition in words as soon as the condition is good
    (whatever else is still missing)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        try:
            seed, index = _with_scenario(row, scenario)
            problems: list[str] = []
        except SeedError as error:
            problems = error.problems
            try:  # the condition alone, under a name no scenario has
                seed, index = _with_scenario(row, _placeholder(row, scenario.get("when")))
            except SeedError:
                return ScenarioPreview(words="", problems=problems)
        tz = row.timezone
    return ScenarioPreview(words=scenario_words(to_domain(seed).scenarios[index], tz),
                           problems=problems)


def _placeholder(row: AgreementRow, when: Any) -> dict[str, Any]:
    taken = {s.get("slug") for s in row.definition.get("scenarios", [])}
    name = next(f"preview-{n}" for n in range(len(taken) + 1) if f"preview-{n}" not in taken)
    return {"slug": name, "title": name, "when": when}


def _with_scenario(row: AgreementRow, scenario: Mapping[str, Any], source: Path | None = None,
                   lines: Lines | None = None) -> tuple[AgreementSeed, int]:
    """Return the agreement's definition validated with `scenario` appended, and its index."""
    definition = dict(row.definition)
    index = len(definition.get("scenarios", []))
    definition["scenarios"] = [*definition.get("scenarios", []), dict(scenario)]
    here = f"scenarios[{index}]"
    try:
        return validate_seed(source or row.slug, definition,
                             lines.under(here) if lines is not None else None), index
    except SeedError as error:
        # From a file: `file:line: scenario when...`; else as a command's option, no file named.
        start = "" if source is not None else f"{row.slug}: "
        raise SeedError([_as_scenario(p, start + here) for p in error.problems]) from None


def _as_scenario(problem: str, here: str) -> str:
    """Return a seed problem about the new scenario, worded for the one adding it."""
    return problem.replace(f"{here}.", "scenario ").replace(f"{here}:", "scenario:")
