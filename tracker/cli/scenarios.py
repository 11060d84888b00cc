"""Commands for scenarios: add one to a loaded agreement; list outcomes and how belief moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from .. import services
from ..domain.errors import DomainError
from ..domain.timefmt import local
from ..seeds.lines import Lines
from ..seeds.reader import SeedError, read_fragment
from . import app, friendly, print_json, tracker
from .show import console

scenario_app = typer.Typer(help="Scenarios: add one to a loaded agreement, list their history.",
                           no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("add")
@friendly
def add(
    agreement: str = typer.Argument(..., help="Agreement slug."),
    slug: str | None = typer.Argument(None, help="The new scenario's slug."),
    title: str | None = typer.Option(None, "--title", help="What the future is, in words."),
    when: list[str] = typer.Option([], "--when", metavar="COMMITMENT=STATE",
                                   help="Has entered STATE; repeat for several (all must hold)."),
    any_: bool = typer.Option(False, "--any", help="One --when suffices (any_of, not all_of)."),
    when_file: Path | None = typer.Option(None, "--when-file", help="A YAML file holding the "
                                          "condition in the seed's language (all_of, any_of, "
                                          "not, by...), instead of --when."),
    group: str | None = typer.Option(None, "--group", help="Its mutually exclusive group."),
    from_file: Path | None = typer.Option(None, "--file", help="A YAML file holding one scenario "
                                          "as a seed writes it (slug, title, when, group)."),
) -> None:
    """Add a scenario to a loaded agreement, checked as a seed's scenarios are."""
    source, lines = None, None
    if from_file is not None:
        if slug or title or when or group or when_file:
            raise DomainError("--file: give the scenario either in a file or with SLUG, --title "
                              "and --when (or --when-file), not both")
        scenario, lines = _read(from_file, "--file", "one scenario as a mapping: slug, title, "
                                "when (and group)")
        source = from_file
    else:
        if when_file is not None and when:
            raise DomainError("--when-file: give the condition either in a file or with --when, "
                              "not both")
        if when_file is not None:
            condition, condition_lines = _read(when_file, "--when-file", "one condition, e.g. "
                                               "{any_of: [{commitment: X, enters: breached}]}")
            source, lines = when_file, condition_lines.under("when")
        else:
            condition = {"any_of" if any_ else "all_of": _conditions(when)}
        given = {"slug": slug, "title": title, "group": group, "when": condition}
        # A missing option is a missing key, so it gets the seed's "required; add it".
        scenario = {k: v for k, v in given.items() if v is not None}
    app_ = tracker()
    typer.echo(services.add_scenario(app_, agreement, scenario, source=source, lines=lines))
    view = services.status(app_, agreement)
    added = next(s for s in view.scenarios if s.slug == scenario.get("slug"))
    typer.echo(added.words)
    if added.resolved_at is not None:  # forecasts on it will be refused: say so now
        typer.echo(f"the log has already decided it: {added.outcome} at "
                   f"{local(added.resolved_at, view.timezone)}")


@scenario_app.command("list")
@friendly
def list_(
    agreement: str = typer.Argument(..., help="Agreement slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show each scenario's outcome now, then every change of belief with the record behind it."""
    app_ = tracker()
    view = services.status(app_, agreement)
    events = services.scenario_history(app_, agreement)
    if as_json:
        print_json({"scenarios": [s.model_dump(mode="json") for s in view.scenarios],
                    "history": [e.model_dump(mode="json") for e in events]})
        return
    tz = view.timezone
    for s in view.scenarios:
        resolved = f" at {local(s.resolved_at, tz)}" if s.resolved_at else ""
        console.print(f"scenario {escape(s.slug)}: {s.outcome}{resolved}")
        console.print(f"  [dim]{escape(s.words)}[/dim]")
    for e in events:
        at = f" (decided at {local(e.resolved_at, tz)})" if e.resolved_at else ""
        console.print(f"{local(e.known_at, tz)}  {e.kind:<8} {escape(e.scenario)}: "
                      f"{e.before} → {e.outcome}{at}, learned from {e.learned_from()}")


def _conditions(values: list[str]) -> dict[str, str]:
    if not values:
        raise DomainError("--when: give at least one COMMITMENT=STATE, e.g. "
                          "--when seven-day-calm=breached")
    out: dict[str, str] = {}
    for value in values:
        commitment, sep, state = (part.strip() for part in value.partition("="))
        if not sep or not commitment or not state:
            raise DomainError(f"--when: {value!r} is not COMMITMENT=STATE; write e.g. "
                              "seven-day-calm=breached")
        if commitment in out:
            raise DomainError(f"--when: {commitment!r} is given twice; give each commitment once")
        out[commitment] = state
    return out


def _read(path: Path, option: str, holds: str) -> tuple[dict[str, Any], Lines]:
    """Return the mapping a scenario or condition file holds, read with a seed's checks."""
    try:  # its errors name the file and a line; the option goes first, as in every refusal
        raw, lines = read_fragment(path, limit=100_000)
    except SeedError as error:
        raise SeedError([f"{option}: {p}" for p in error.problems]) from None
    if not isinstance(raw, dict):
        raise DomainError(f"{option}: {path} must hold {holds}")
    return raw, lines
