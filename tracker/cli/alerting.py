"""Commands for alerts: the inbox, acknowledging, testing channels, the calendar feed."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape
from rich.table import Table

from .. import services
from ..domain.timefmt import local
from . import app, fail, friendly, print_json, tracker
from .show import console

alerts_app = typer.Typer(help="The alert inbox; `tracker alerts test` tries every channel.",
                         invoke_without_command=True, no_args_is_help=False)
app.add_typer(alerts_app, name="alerts")


@alerts_app.callback()
@friendly
def alerts(
    ctx: typer.Context,
    agreement: str | None = typer.Option(None, "--agreement", help="Only this agreement."),
    kind: str | None = typer.Option(None, "--kind", help="reminder, overdue, state-changed, "
                                    "revised or catch-up."),
    all_: bool = typer.Option(False, "--all", help="Acknowledged ones too."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List unacknowledged alerts (newest first) with each channel's delivery status."""
    if ctx.invoked_subcommand is not None:
        return
    views = services.list_alerts(tracker(), agreement=agreement, kind=kind,
                                 acked=None if all_ else False)
    if as_json:
        print_json([v.model_dump(mode="json", exclude={"timezone", "rule"}) for v in views])
        return
    table = Table()
    for name in ("id", "kind", "commitment", "deadline", "delivery", "message"):
        table.add_column(name, overflow="fold")
    for v in views:
        delivery = ", ".join(f"{d.channel}: {d.status} ({d.attempts})"
                             + (f" {d.last_error}" if d.last_error else "")
                             for d in v.deliveries) or "inbox"
        table.add_row(str(v.id) + (" ✓" if v.acked else ""), v.kind,
                      f"{v.agreement}/{v.commitment}", local(v.deadline, v.timezone),
                      escape(delivery), escape(v.message))
    console.print(table)
    console.print(f"{len(views)} alerts")


@alerts_app.command("test")
@friendly
def test() -> None:
    """Send a test notice to each channel in TRACKER_ALERT_URLS and report each result."""
    results = services.test_channels(tracker())
    for name, error in results:
        typer.echo(f"{name}: {'ok' if error is None else 'FAILED: ' + error}")
    if any(error for _, error in results):
        raise typer.Exit(1)


@app.command()
@friendly
def ack(ids: list[int] = typer.Argument(..., metavar="ID..."),
        by: str = typer.Option("", "--by", help="Who acknowledges (local mode; default: analyst).")) -> None:
    """Acknowledge alerts by id."""
    count = services.acknowledge(tracker(), ids, by=by)
    typer.echo(f"acknowledged {count} alert(s)")


@app.command()
@friendly
def calendar(agreement: str = typer.Argument(..., help="Agreement slug.")) -> None:
    """Print every known deadline as an iCalendar feed: `tracker calendar X > x.ics`."""
    from ..services.calendar import calendar_feed  # icalendar only when asked for

    feed = calendar_feed(tracker(), agreement)
    if not feed:
        fail("nothing to write")
    sys.stdout.buffer.write(feed)
