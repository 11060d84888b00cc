"""The report as one self-contained HTML page: inline style, inline SVG charts, no scripts.

Every piece of text people typed goes through html.escape.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlparse

from ..domain.timefmt import local
from ..services.reporting import Report, ScenarioReport
from ..services.scoring import UNSCORED_TITLE
from . import chart

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:62rem;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{text-align:left;
padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}th{background:#f6f6f6}
.meta{color:#666}.happened{color:#b00020;font-weight:600}.did-not-happen{color:#555;
font-weight:600}.open{color:#0b6bcb;font-weight:600}.breached,.withdrawn{color:#b00020}
.fulfilled{color:#18794e}.lapsed{color:#8e4ec6}.overdue,.suspended{color:#b35900}
svg{max-width:100%;height:auto}
"""


def render(report: Report) -> str:
    s = report.status
    tz = s.timezone
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{escape(s.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(s.title)}</h1>",
        f"<p class=meta>{escape(s.agreement)} · as of {local(s.as_of, tz)} · times in "
        f"{escape(tz)}</p>",
        f"<p>{escape(s.notes)}</p>" if s.notes else "",
        "<h2>Where things stand</h2>",
        _table(("commitment", "state", "since", "cause", "notes"),
               [(escape(c.slug), _state(c.state), local(c.since, tz), escape(c.cause),
                 escape(c.notes)) for c in s.commitments]),
        "<h2>Rules</h2>",
        _table(("commitment", "rules"), [(escape(slug), "<br>".join(escape(w) for w in words))
                                         for slug, words in report.rules.items()]),
        "<h2>Scenarios</h2>", *(_scenario(x, tz) for x in report.scenarios),
        "<h2>Leaderboard</h2>",
        _table(("rank", "forecaster", "Brier (lower is better)", "log score", "scenarios"),
               [(str(n), escape(b.forecaster), f"{b.brier:.4f}", f"{b.log_score:.4f}",
                 str(b.scenarios)) for n, b in enumerate(report.leaderboard, 1)]),
        "<h2>Timeline</h2>",
        _table(("occurred", "commitment", "state", "by", "why"),
               [(local(i.occurred_at, tz), escape(i.commitment or ""), _state(i.state or ""),
                 escape(i.who()), ("<strong>forced</strong> " if i.forced else "")
                 + escape(i.reason or i.summary)) for i in report.timeline]),
        "<h2>Sources</h2>",
        _table(("record", "commitment", "source", "grade"),
               [(f"#{escape(str(x.record_id))}", escape(x.commitment or ""),
                 _link(x.source.url, x.source.title or x.source.url),
                 f"{escape(x.source.reliability or '-')}{x.source.credibility or '-'}")
                for x in report.sources]),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _scenario(s: ScenarioReport, tz: str) -> str:
    when = f" at {local(s.resolved_at, tz)}" if s.resolved_at else ""
    group = f" · group {escape(s.group)}" if s.group else ""
    parts = [f"<h3>{escape(s.title)}</h3>",
             f"<p><code>{escape(s.slug)}</code>{group}: <span class=\"{escape(s.outcome)}\">"
             f"{escape(s.outcome)}</span>{when}</p>", f"<p>{escape(s.words)}</p>"]
    if s.forecasts:
        parts.append(chart.svg(s, tz))
        parts.append(_table(("recorded", "forecaster", "p", "rationale"),
                            [(local(f.recorded_at, tz), escape(f.forecaster),
                              f"{f.probability:.2f}", escape(f.rationale)) for f in s.forecasts]))
    if s.beliefs:
        parts.append(_table(("learned", "what changed", "decided at", "learned from"),
                            [(local(b.known_at, tz), f"{escape(b.kind)}: {escape(b.before)} → "
                              f"{escape(b.outcome)}", local(b.resolved_at, tz)
                              if b.resolved_at else "", b.learned_from()) for b in s.beliefs]))
    if s.scores:
        parts.append(_table(("forecaster", "Brier", "log score"),
                            [(escape(c.forecaster), f"{c.brier:.4f}", f"{c.log_score:.4f}")
                             for c in s.scores]))
    if s.unscored:
        parts.append(f"<p>Forecasts {escape(UNSCORED_TITLE)}:</p>")
        parts.append(_table(("recorded", "forecaster", "p", "outcome occurred"),
                            [(local(u.recorded_at, tz), escape(u.forecaster),
                              f"{u.probability:.2f}", local(u.resolved_at, tz))
                             for u in s.unscored]))
    return "\n".join(parts)


def _link(url: str, text: str) -> str:
    """Return a link for a web address; any other scheme (`javascript:`) is shown as text."""
    if urlparse(url.strip()).scheme.lower() not in ("http", "https"):
        return f"{escape(text)} <code>{escape(url)}</code>" if text != url else escape(url)
    return f"<a href=\"{escape(url)}\">{escape(text)}</a>"


def _state(state: str) -> str:
    return f"<span class=\"{escape(state)}\">{escape(state)}</span>"


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Return an HTML table; cells are already escaped (they may hold links or spans)."""
    if not rows:
        return "<p class=meta>none</p>"
    top = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{top}</tr></thead><tbody>{body}</tbody></table>"
