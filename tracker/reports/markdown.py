"""The report as Markdown: headings and tables, times in the agreement's zone."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ..domain.timefmt import local
from ..services.reporting import Report
from ..services.scoring import UNSCORED_TITLE

# Characters Markdown gives a meaning to (links, images, emphasis, code, tables, headings).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def render(report: Report) -> str:
    tz = report.status.timezone
    out = [f"# {_cell(report.status.title)}", "",
           f"`{report.status.agreement}` · as of {local(report.status.as_of, tz)} · times in {tz}",
           *(["", _cell(report.status.notes)] if report.status.notes else []),
           "", "## Where things stand", "", "| commitment | state | since | cause |",
           "|---|---|---|---|"]
    out += [f"| {c.slug} | {c.state} | {local(c.since, tz)} | {_cell(c.cause)} |"
            for c in report.status.commitments]
    noted = [c for c in report.status.commitments if c.notes]
    if noted:
        out += ["", "### Notes", ""] + [f"- `{c.slug}`: {_cell(c.notes)}" for c in noted]
    # Rule and scenario words are the tracker's own, built from slugs, states and instants: they
    # hold nothing a reader typed, so they go in as they are.
    out += ["", "## Rules", ""] + [f"- `{slug}`: {'; '.join(words)}"
                                   for slug, words in report.rules.items()]
    out += ["", "## Timeline", "", "| occurred | commitment | state | by | why |",
            "|---|---|---|---|---|"]
    out += [f"| {local(i.occurred_at, tz)} | {i.commitment or ''} | {i.state} | {_cell(i.who())} "
            f"| {'**forced** ' if i.forced else ''}{_cell(i.reason or i.summary)} |"
            for i in report.timeline]
    out += ["", "## Scenarios", ""]
    for s in report.scenarios:
        when = f" at {local(s.resolved_at, tz)}" if s.resolved_at else ""
        group = f" (group {s.group})" if s.group else ""
        out += [f"### {_cell(s.title)}{group}", "", f"`{s.slug}`: **{s.outcome}**{when}", "",
                s.words, ""]
        if s.forecasts:
            out += ["| recorded | forecaster | p | rationale |", "|---|---|---|---|"]
            out += [f"| {local(f.recorded_at, tz)} | {_cell(f.forecaster)} | {f.probability:.2f} "
                    f"| {_cell(f.rationale)} |" for f in s.forecasts]
            out.append("")
        out += [f"- {_cell(c.forecaster)}: Brier {c.brier:.4f}, log score {c.log_score:.4f}"
                for c in s.scores]
        out += [f"- {_cell(u.forecaster)}: p {u.probability:.2f} on "
                f"{local(u.recorded_at, tz)}, {UNSCORED_TITLE}" for u in s.unscored]
        out += [f"- {b.kind} as {b.outcome} on {local(b.known_at, tz)}"
                + (f" (decided at {local(b.resolved_at, tz)})" if b.resolved_at else "")
                + f", learned from {b.learned_from()}"
                for b in s.beliefs]
        out.append("")
    out += ["## Leaderboard", "", "| rank | forecaster | Brier | log score | scenarios |",
            "|---|---|---|---|---|"]
    out += [f"| {n} | {_cell(s.forecaster)} | {s.brier:.4f} | {s.log_score:.4f} | {s.scenarios} |"
            for n, s in enumerate(report.leaderboard, 1)]
    out += ["", "## Sources", "", "| record | commitment | source | grade |", "|---|---|---|---|"]
    out += [f"| #{s.record_id} | {s.commitment or ''} | {_link(s.source.url, s.source.title)} "
            f"| {s.source.reliability or '-'}{s.source.credibility or '-'} |"
            for s in report.sources]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """Return `text` on one line, shown as typed by any Markdown renderer: Markdown's characters
    escaped, and HTML's as entities, so neither a link, an image nor a tag can come alive.

    >>> _cell("<img src=x onerror=y>")
    '&lt;img src=x onerror=y&gt;'
    """
    flat = _MARKDOWN.sub(r"\\\1", " ".join(text.split()))
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, title: str) -> str:
    """Return a link to a plain web address; anything else (another scheme, spaces, brackets
    that would end the link early) is shown as text, never as a link."""
    parts = urlsplit(url)
    plain = parts.scheme in ("http", "https") and bool(parts.netloc) and url.isprintable() \
        and not any(c.isspace() for c in url)
    if not plain:
        return _cell(title or url) + (f" ({_cell(url)})" if title else "")
    target = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")  # <, >, (, ), spaces, quotes encoded
    return f"[{_cell(title or url)}](<{target}>)"
