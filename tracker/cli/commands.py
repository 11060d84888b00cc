"""The commands. Each parses its options, calls one use case and prints what it returned."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from .. import services
from ..files import write_private
from . import app, fail, friendly, instant, print_json, show, tracker

SOURCE = typer.Option([], "--source", help="A source URL; repeat for several.")
RELIABILITY = typer.Option(None, "--reliability", help="Admiralty reliability of the sources, A-F.")
CREDIBILITY = typer.Option(None, "--credibility", help="Admiralty credibility of the sources, 1-6.")
CONFIDENCE = typer.Option(None, "--confidence", help="Your confidence in this record, 0..1.")
EXPECT = typer.Option(None, "--expect-version",
                      help="Refuse if the commitment changed since you read this version.")
OCCURRED = typer.Option(..., "--occurred-at", help="When it happened, with an offset or Z.")
BY = typer.Option("", "--by", help="Who records this (local mode; in team mode you act as "
                  "the user of your TRACKER_TOKEN).")


@app.command()
@friendly
def init() -> None:
    """Create or migrate the database to the newest schema."""
    revision = services.init_database(tracker())
    typer.echo(f"database ready at schema {revision}")


@app.command()
@friendly
def load(paths: list[Path] = typer.Argument(..., help="Seed and record files (YAML).")) -> None:
    """Load seed files, then record files; all or nothing. Loading a file twice changes nothing."""
    for line in services.load(tracker(), paths):
        typer.echo(line)


@app.command()
@friendly
def validate(paths: list[Path] = typer.Argument(..., help="Seed and record files.")) -> None:
    """Check seed and record files without writing anything."""
    for line in services.validate(paths, app=tracker()):
        typer.echo(line)


@app.command()
@friendly
def status(
    agreement: str | None = typer.Argument(None, help="Agreement slug (default: all)."),
    as_of: str | None = typer.Option(None, "--as-of", help="State at this instant."),
    known_at: str | None = typer.Option(None, "--known-at",
                                        help="Only what was recorded by this instant."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show where every commitment stands: now, as of an instant, or as known at one."""
    t = tracker()
    slugs = [agreement] if agreement else services.agreement_slugs(t)
    if not slugs:
        fail("no agreement is loaded; load one with `tracker load seeds/...yaml`")
    views = [services.status(t, s, as_of=instant(as_of, "--as-of", s),
                             known=instant(known_at, "--known-at", s)) for s in slugs]
    if as_json:
        dumped = [v.model_dump(mode="json") for v in views]
        print_json(dumped[0] if agreement else dumped)
    else:
        for view in views:
            show.status(view)


@app.command()
@friendly
def transition(
    target: str = typer.Argument(..., metavar="AGREEMENT/COMMITMENT"),
    state: str = typer.Argument(..., help="fulfilled, breached, suspended, active, withdrawn..."),
    occurred_at: str = OCCURRED, by: str = BY,
    reason: str = typer.Option("", "--reason", help="Why, in a sentence."),
    source: list[str] = SOURCE, reliability: str | None = RELIABILITY,
    credibility: int | None = CREDIBILITY, confidence: float | None = CONFIDENCE,
    expect_version: int | None = EXPECT,
    force: bool = typer.Option(False, "--force", help="Record a start (active) although its "
                               "starts/requires were not met then; needs --reason, marked forced."),
) -> None:
    """Record that a commitment moved to STATE at --occurred-at (recorded now)."""
    done = services.record_transition(
        tracker(), target, state, by=by,
        occurred_at=_required(occurred_at, "--occurred-at", target),
        reason=reason, expect_version=expect_version, force=force,
        evidence=services.Evidence(source, reliability, credibility, confidence))
    show.recorded(done)


@app.command()
@friendly
def observe(
    target: str = typer.Argument(..., metavar="AGREEMENT/COMMITMENT"),
    occurred_at: str = OCCURRED, by: str = BY,
    summary: str = typer.Option(..., "--summary", help="What was seen."),
    source: list[str] = SOURCE, reliability: str | None = RELIABILITY,
    credibility: int | None = CREDIBILITY, confidence: float | None = CONFIDENCE,
    expect_version: int | None = EXPECT,
) -> None:
    """Record an observation on a commitment without changing its state."""
    done = services.record_observation(
        tracker(), target, by=by, occurred_at=_required(occurred_at, "--occurred-at", target),
        summary=summary, expect_version=expect_version,
        evidence=services.Evidence(source, reliability, credibility, confidence))
    show.recorded(done)


@app.command()
@friendly
def retract(
    record_id: int = typer.Argument(..., metavar="RECORD_ID"), by: str = BY,
    reason: str = typer.Option(..., "--reason", help="Why the record was wrong."),
) -> None:
    """Undo an analyst's record with a new record; nothing is deleted."""
    show.recorded(services.retract(tracker(), record_id, by=by, reason=reason))


@app.command()
@friendly
def tick() -> None:
    """Apply the clock once, up to now: store its decisions, raise and deliver alerts."""
    report = services.tick(tracker())
    for d in report.decisions:
        typer.echo(f"{d.agreement}/{d.commitment} -> {d.state} at {d.at}: {d.cause}")
    failed = [s for s in report.sent if s.error]
    typer.echo(f"{len(report.decisions)} clock decisions, {len(report.alerts)} new alerts, "
               f"{len(report.sent) - len(failed)} deliveries sent, {len(failed)} failed")


@app.command()
@friendly
def history(
    target: str = typer.Argument(..., metavar="AGREEMENT[/COMMITMENT]"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_of: str | None = typer.Option(None, "--as-of", help="Only what happened by this instant."),
    known_at: str | None = typer.Option(None, "--known-at",
                                        help="Only what was recorded by this instant."),
) -> None:
    """Show the log and the clock's decisions, with both instants, who, why and sources."""
    from ..services.reviewing import history_at

    title, tz, items = history_at(tracker(), target, as_of=instant(as_of, "--as-of"),
                                  known=instant(known_at, "--known-at"))
    if as_json:
        print_json([i.model_dump(mode="json") for i in items])
    else:
        show.history(title, tz, items)


FORCE = typer.Option(False, "--force", help="Replace FILE if it exists.")


@app.command("export")
@friendly
def export_(file: Path = typer.Argument(..., help="Where to write the JSON."),
            force: bool = FORCE,
            include_secrets: bool = typer.Option(
                False, "--include-secrets", help="Keep password and token hashes too (admins; "
                "audited). Without it, an import gives users no password until an admin sets "
                "one.")) -> None:
    """Write everything to FILE as JSON (admins in team mode); `tracker import` reads it back.

    Password and token hashes are left out unless --include-secrets; `tracker backup` keeps
    everything."""
    text = services.export_text(tracker(), include_secrets=include_secrets)
    write_private(file, text.encode("utf-8"), force=force)  # 0600 from its first byte
    secrets = "with" if include_secrets else "without"
    typer.echo(f"exported to {file} ({secrets} password and token hashes)")


@app.command("import")
@friendly
def import_(file: Path = typer.Argument(..., help="A file written by `tracker export`.")) -> None:
    """Load an export into an empty database."""
    count = services.import_file(tracker(), file)
    typer.echo(f"imported {count} rows from {file}")


@app.command()
@friendly
def info() -> None:
    """Show the database (password hidden), its schema, the clock and the loaded agreements."""
    for key, value in services.info(tracker()).items():
        shown = ", ".join(value) if isinstance(value, list) else value
        typer.echo(f"{key}: {shown}")


def _required(value: str, field: str, target: str) -> datetime:
    parsed = instant(value, field, agreement=target.partition("/")[0])
    assert parsed is not None
    return parsed
