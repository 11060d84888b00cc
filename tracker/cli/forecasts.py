"""The scenario-history commands: forecast, scores, diff, report."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from .. import services
from ..domain.errors import DomainError
from ..domain.timefmt import local
from ..files import write_private
from ..services.scoring import UNSCORED_TITLE
from . import app, friendly, instant, print_json, show, tracker


@app.command()
@friendly
def forecast(
    target: str = typer.Argument(..., metavar="AGREEMENT/SCENARIO|AGREEMENT/GROUP"),
    values: list[str] = typer.Argument(..., metavar="P | SCENARIO=P ...",
                                       help="A probability, or one SCENARIO=P per group member."),
    by: str = typer.Option("", "--by", help="Who forecasts (team mode: your token's user)."),
    rationale: str = typer.Option(..., "--rationale", help="Why, in a sentence."),
    at: str | None = typer.Option(None, "--at", help="Must equal the clock (no backdating)."),
) -> None:
    """Record a probability for a scenario, or for every scenario of a group at once."""
    when = instant(at, "--at")
    if len(values) == 1 and "=" not in values[0]:
        done = services.record_forecast(tracker(), target, _number(values[0], "PROBABILITY"),
                                        by=by, rationale=rationale, at=when)
    else:
        done = services.record_group_forecast(tracker(), target, _pairs(values), by=by,
                                              rationale=rationale, at=when)
    ids = ", ".join(f"#{i}" for i in done.ids)
    tz = services.agreement_zone(tracker(), target.partition("/")[0]) or "UTC"
    typer.echo(f"forecast {ids} recorded, counting from {local(done.recorded_at, tz)}")


@app.command()
@friendly
def scores(
    agreement: str | None = typer.Argument(None, help="Agreement slug (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the forecasters' leaderboard on resolved scenarios, best (lowest Brier) first."""
    view = services.scores(tracker(), agreement)
    if as_json:
        print_json(view.model_dump(mode="json"))
        return
    table = Table(title="leaderboard (Brier: lower is better; log score: higher is better)",
                  title_justify="left")
    for name in ("rank", "forecaster", "brier", "log score", "scenarios", "forecasts"):
        table.add_column(name)
    for rank, s in enumerate(view.leaderboard, 1):
        table.add_row(str(rank), escape(s.forecaster), f"{s.brier:.4f}", f"{s.log_score:.4f}",
                      str(s.scenarios), str(s.forecasts))
    show.console.print(table)
    for c in view.by_scenario:
        show.console.print(f"{c.agreement}/{c.scenario} · {escape(c.forecaster)}: "
                           f"Brier {c.brier:.4f}, log {c.log_score:.4f}")
    for g in view.groups:
        show.console.print(f"{g.agreement}/{g.group} (group) · {escape(g.forecaster)}: "
                           f"Brier {g.brier:.4f}")
    if view.unscored:
        show.console.print(f"forecasts {UNSCORED_TITLE}:")
    for u in view.unscored:
        show.console.print(f"  {u.agreement}/{u.scenario} · {escape(u.forecaster)}: "
                           f"p {u.probability:.2f} recorded {u.recorded_at.isoformat()}, "
                           f"after the outcome occurred at {u.resolved_at.isoformat()}")


def _number(text: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise DomainError(f"{field}: {text!r} is not a number; give a probability, e.g. 0.7") \
            from None


def _pairs(values: list[str]) -> dict[str, float]:
    """Return {scenario: p} from SCENARIO=P arguments, refusing a repeat or a malformed one."""
    out: dict[str, float] = {}
    for value in values:
        slug, sep, p = value.partition("=")
        if not sep or not slug:
            raise DomainError(f"SCENARIO=P: {value!r} is not of that form; write e.g. "
                              "ceasefire-collapses=0.6")
        if slug in out:
            raise DomainError(f"SCENARIO=P: {slug!r} is given twice; give each scenario once")
        out[slug] = _number(p, slug)
    return out


@app.command()
@friendly
def diff(
    agreement: str = typer.Argument(..., help="Agreement slug."),
    known_at: list[str] = typer.Option(..., "--known-at",
                                       help="Give it twice: the earlier, then the later instant."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List every commitment and scenario believed differently at two instants, and why."""
    if len(known_at) != 2:
        raise DomainError(f"--known-at: give it exactly twice (K1 then K2), not {len(known_at)} "
                          "time(s)")
    first, second = (instant(k, "--known-at") for k in known_at)
    assert first is not None and second is not None
    view = services.diff(tracker(), agreement, first, second)
    if as_json:
        print_json(view.model_dump(mode="json", exclude={"timezone"}))
        return
    tz = view.timezone
    if not view.changes:
        show.console.print("no commitment or scenario is believed differently")
    for c in view.changes:
        was = c.before + (f" ({show.short(c.before_since, tz)})" if c.before_since else "")
        now = c.after + (f" ({show.short(c.after_since, tz)})" if c.after_since else "")
        cause = ", ".join(f"#{i}" for i in c.records) or "the clock"
        show.console.print(f"{c.kind} {c.slug}: {was} → {now} · because of {cause}")
    if view.records:
        show.history(f"records learned in between ({agreement})", tz, view.records)


@app.command()
@friendly
def report(
    agreement: str = typer.Argument(..., help="Agreement slug."),
    fmt: str = typer.Option("md", "--format", help="md, html or csv."),
    output: Path | None = typer.Option(None, "--output", help="A file (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Replace the --output file if it exists."),
) -> None:
    """Write the agreement's report: states over time, scenarios, forecasts, scores, sources."""
    from ..reports import render

    text = render(services.report(tracker(), agreement), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    write_private(output, text.encode("utf-8"), force=force, field="--output")
    typer.echo(f"report written to {output}")
