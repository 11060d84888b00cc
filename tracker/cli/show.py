"""Printing for people: rich tables, instants in the agreement's zone."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..domain.timefmt import local
from ..services import Recorded
from ..services.views import HistoryItem, StatusView

console = Console(highlight=False)

STATE_STYLE = {
    "pending": "dim", "active": "cyan", "overdue": "yellow", "fulfilled": "green",
    "breached": "red", "lapsed": "magenta", "suspended": "yellow", "withdrawn": "red",
}


def status(view: StatusView) -> None:
    tz = view.timezone
    known = f", as known at {local(view.known_at, tz)}" if view.known_at else ""
    table = Table(title=f"{escape(view.title)}\n[dim]{view.agreement} · as of "
                  f"{local(view.as_of, tz)}{known} · times in {tz}[/dim]", title_justify="left")
    for name in ("commitment", "state", "since", "due", "v", "cause"):
        table.add_column(name, overflow="fold")
    for c in view.commitments:
        style = STATE_STYLE.get(c.state, "")
        table.add_row(c.slug, f"[{style}]{c.state}[/]", local(c.since, tz),
                      local(c.due, tz) if c.due else "", str(c.version), escape(c.cause))
    console.print(table)
    for s in view.scenarios:
        when = f" at {local(s.resolved_at, tz)}" if s.resolved_at else ""
        console.print(f"scenario {s.slug}: {s.outcome}{when}")
    console.print()


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
        if i.overridden_by:
            detail += f"\n  OVERRIDDEN: {i.override_cause}"
        if i.retracted_by:
            detail += f"\n  RETRACTED by #{i.retracted_by}"
        table.add_row(str(i.id), local(i.occurred_at, tz), local(i.recorded_at, tz),
                      i.commitment or "", what, escape(i.by), escape(detail))
    console.print(table)


def recorded(done: Recorded) -> None:
    console.print(f"recorded #{done.record_id}")
    for record_id in done.overridden:
        console.print(f"[yellow]revised:[/] record #{record_id} no longer holds; "
                      "see `tracker history`")
