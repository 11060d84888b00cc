"""Printing for people: rich tables, instants in the agreement's zone."""

from __future__ import annotations

import sys
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..domain.timefmt import local, zone
from ..services import Recorded
from ..services.views import HistoryItem, StatusView

# Piped output gets a fixed width that fits the table; a terminal uses its own.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)

STATE_STYLE = {
    "pending": "dim", "active": "cyan", "overdue": "yellow", "fulfilled": "green",
    "breached": "red", "lapsed": "magenta", "suspended": "yellow", "withdrawn": "red",
}


def status(view: StatusView) -> None:
    tz = view.timezone
    known = f", as known at {local(view.known_at, tz)}" if view.known_at else ""
    console.print(f"[bold]{escape(view.title)}[/bold]")
    console.print(f"[dim]{view.agreement} · as of {local(view.as_of, tz)}{known} · "
                  f"times in {tz}[/dim]")
    if not view.announced:
        console.print(f"not yet announced: {view.agreement} was announced "
                      f"{local(view.announced_at, tz)}")
    if view.notes:
        console.print(f"[dim]notes: {escape(view.notes)}[/dim]")
    table = Table()
    for name in ("commitment", "state", "since", "due", "v", "cause"):
        table.add_column(name, no_wrap=True)
    for c in view.commitments:
        style = STATE_STYLE.get(c.state, "")
        state = f"[{style}]{c.state}[/]" if view.announced else "not yet announced"
        since = short(c.since, tz) if view.announced else ""
        table.add_row(c.slug, state, since, short(c.due, tz) if c.due else "", str(c.version),
                      escape(clip(c.cause)))
    console.print(table)
    for c in view.commitments:
        if c.notes:
            console.print(f"[dim]{c.slug} notes: {escape(c.notes)}[/dim]")
    for s in view.scenarios:
        when = f" at {local(s.resolved_at, tz)}" if s.resolved_at else ""
        console.print(f"scenario {s.slug}: {s.outcome}{when}")
        console.print(f"  [dim]{escape(s.words)}[/dim]")
    console.print()


def short(value: datetime, tz: str) -> str:
    """Return 'YYYY-MM-DD HH:MM' in the zone the header names."""
    return value.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")


def clip(text: str, width: int = 60) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def history(title: str, tz: str, items: list[HistoryItem]) -> None:
    table = Table(title=f"{escape(title)} · times in {tz}", title_justify="left")
    for name in ("id", "occurred", "recorded", "commitment", "what", "by", "detail"):
        table.add_column(name, overflow="fold")
    for i in items:
        what = i.kind + (f" → {i.state}" if i.state else "")
        detail = "; ".join(x for x in (i.reason, i.summary) if x)
        if i.sources:
            detail += "".join(f"\n  {s.url} [{s.reliability or '-'}{s.credibility or '-'}]"
                              for s in i.sources)
        if i.forced:
            detail += "\n  FORCED: recorded although its starts/requires were not met"
        if i.overridden_by:
            detail += f"\n  OVERRIDDEN: {i.override_cause}"
        if i.retracted_by:
            detail += f"\n  RETRACTED by #{i.retracted_by}"
        if i.undone_by:
            by = f"#{i.undone_by}" if isinstance(i.undone_by, int) else str(i.undone_by)
            detail += f"\n  UNDONE by {by}: now {i.undone_cause}"
        table.add_row(str(i.id), local(i.occurred_at, tz), local(i.recorded_at, tz),
                      i.commitment or "", what, escape(i.who()), escape(detail))
    console.print(table)


def recorded(done: Recorded) -> None:
    console.print(f"recorded #{done.record_id}")
    for record_id in done.overridden:
        console.print(f"[yellow]revised:[/] record #{record_id} no longer holds; "
                      "see `tracker history`")
