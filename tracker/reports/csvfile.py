"""The report as one CSV a spreadsheet opens: a row per state change, forecast, score, source."""

from __future__ import annotations

import csv
import io

from ..domain.timefmt import utc_z
from ..services.reporting import Report

COLUMNS = ("section", "at", "subject", "what", "by", "value", "detail")


def render(report: Report) -> str:
    """Return the report as CSV; text people typed cannot start a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in report.timeline:
        writer.writerow(("timeline", utc_z(i.occurred_at), i.commitment, i.state, _text(i.by),
                         "", _text(i.reason or i.summary)))
    for s in report.scenarios:
        writer.writerow(("scenario", utc_z(s.resolved_at) if s.resolved_at else "", s.slug,
                         s.outcome, "", "", _text(f"{s.title}: {s.words}")))
        for f in s.forecasts:
            writer.writerow(("forecast", utc_z(f.recorded_at), s.slug, "probability",
                             _text(f.forecaster), f"{f.probability:g}", _text(f.rationale)))
        for c in s.scores:
            who = _text(c.forecaster)
            writer.writerow(("score", "", s.slug, "brier", who, f"{c.brier:.6f}", ""))
            writer.writerow(("score", "", s.slug, "log_score", who,
                             f"{c.log_score:.6f}", ""))
    for n, b in enumerate(report.leaderboard, 1):
        writer.writerow(("leaderboard", "", _text(b.forecaster), f"rank {n}", _text(b.forecaster),
                         f"{b.brier:.6f}", f"log score {b.log_score:.6f}"))
    for src in report.sources:
        grade = f"{src.source.reliability or '-'}{src.source.credibility or '-'}"
        writer.writerow(("source", "", src.commitment, f"record #{src.record_id}", "", grade,
                         _text(src.source.url)))
    return buffer.getvalue()


def _text(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
