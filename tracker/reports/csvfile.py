"""The report as one CSV a spreadsheet opens: a row per state change, forecast, score, source."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable

from ..domain.timefmt import utc_z
from ..services.reporting import Report

COLUMNS = ("section", "at", "subject", "what", "by", "value", "detail")
# OWASP's rule: a cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def render(report: Report) -> str:
    """Return the report as CSV; text people typed cannot start a spreadsheet formula."""
    return to_csv([COLUMNS, *_rows(report)])


def _rows(report: Report) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for i in report.timeline:
        out.append(("timeline", utc_z(i.occurred_at), i.commitment, i.state, i.who(),
                    "", i.reason or i.summary))
    for s in report.scenarios:
        out.append(("scenario", utc_z(s.resolved_at) if s.resolved_at else "", s.slug,
                    s.outcome, "", "", f"{s.title}: {s.words}"))
        for f in s.forecasts:
            out.append(("forecast", utc_z(f.recorded_at), s.slug, "probability",
                        f.forecaster, f"{f.probability:g}", f.rationale))
        for c in s.scores:
            who = c.forecaster
            out.append(("score", "", s.slug, "brier", who, f"{c.brier:.6f}", ""))
            out.append(("score", "", s.slug, "log_score", who,
                        f"{c.log_score:.6f}", ""))
    for n, b in enumerate(report.leaderboard, 1):
        out.append(("leaderboard", "", b.forecaster, f"rank {n}", b.forecaster,
                    f"{b.brier:.6f}", f"log score {b.log_score:.6f}"))
    for src in report.sources:
        grade = f"{src.source.reliability or ''}{src.source.credibility or ''}"
        out.append(("source", "", src.commitment, f"record #{src.record_id}", "", grade,
                    src.source.url))
    return out


class _Collect:
    def __init__(self, rows: list[tuple[object, ...]]) -> None:
        self.rows = rows

    def writerow(self, row: tuple[object, ...]) -> None:
        self.rows.append(row)


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Return rows as CSV a spreadsheet opens safely: every cell through `cell`, and every cell
    holding a line break (a bare CR too) quoted, so no text can start a row of its own."""
    buffer = io.StringIO()
    # "\r\n" (RFC 4180) also makes the writer quote any cell holding a CR or an LF.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def cell(value: object) -> str:
    r"""Return one cell's text: numbers as they are, nothing for a missing value, and text that a
    spreadsheet would read as a formula prefixed with a quote.

    >>> [cell(v) for v in (-0.25, "-0.25", None, float("nan"), "=1+2", "\t=cmd", "-- x", "ok")]
    ['-0.25', '-0.25', '', '', "'=1+2", "'\t=cmd", "'-- x", 'ok']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    if NUMBER.match(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text
