"""Operations: `backup`, `restore`, `doctor` and `health`."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import services
from . import app, friendly, print_json, tracker

MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "skipped": "--  "}


@app.command()
@friendly
def backup(file: Path = typer.Argument(..., help="Where to write the backup (gzip'd JSON lines)."),
           force: bool = typer.Option(False, "--force", help="Replace FILE (and FILE.sha256)."),
           ) -> None:
    """Write everything to FILE, with its SHA-256 in FILE.sha256; `tracker restore` reads it."""
    done = services.backup(tracker(), file, force=force)
    typer.echo(f"backed up {done.rows:,} rows to {file} ({done.bytes:,} bytes, "
               f"sha256 {done.sha256}, also in {file}.sha256)")


@app.command()
@friendly
def restore(file: Path = typer.Argument(..., help="A file written by `tracker backup`.")) -> None:
    """Check FILE's checksum, then load it into an empty, migrated database in one transaction."""
    count = services.restore(tracker(), file)
    typer.echo(f"restored {count:,} rows from {file}")


@app.command()
@friendly
def doctor(as_json: bool = typer.Option(False, "--json", help="Print JSON."),
           send_test: bool = typer.Option(False, "--send-test",
                                          help="Also send a test notice to every alert channel."),
           ) -> None:
    """Check the database, its schema, the scheduler and the alert channels; say what to fix.

    Exits 1 if any check fails."""
    report = services.doctor(tracker(), send_test=send_test)
    _show(report, as_json)


@app.command()
@friendly
def health(as_json: bool = typer.Option(False, "--json", help="Print JSON."),
           require_scheduler: bool = typer.Option(
               False, "--require-scheduler", help="Unhealthy when no scheduler is active."),
           ) -> None:
    """A quick check for a supervisor: exit 0 when healthy, 1 when not."""
    report = services.health(tracker(), require_scheduler=require_scheduler)
    _show(report, as_json)


def _show(report: services.HealthReport, as_json: bool) -> None:
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        typer.echo(f"{report.database}: {'healthy' if report.healthy else 'UNHEALTHY'}")
        for check in report.checks:
            typer.echo(f"  {MARKS[check.status]} {check.name}: {check.detail}")
            if check.fix and check.status != "ok":
                typer.echo(f"       fix: {check.fix}")
    if not report.healthy:
        raise typer.Exit(1)
