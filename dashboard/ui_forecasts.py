"""The Scenarios page's drawings (Altair): forecasts over time, and the reliability plot.

Instants are drawn as wall-clock time in the agreement's zone: each is written as that wall time
with a Z and the scales are UTC, so the axis reads the agreement's time in any browser.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import altair as alt
import pandas as pd
from ui_common import time_axis_format

from tracker.domain.timefmt import local, zone

OUTCOME_COLOURS = {"happened": "#2ca02c", "did-not-happen": "#d62728", "open": "#9e9e9e"}
REVISION_COLOUR = "#ff7f0e"
LATE = timedelta(days=1)  # a resolution learned later than this is marked on the chart
CHART_HEIGHT = 240
RELIABILITY_HEIGHT = 320


def wall(value: datetime, tz: str) -> str:
    """Return `value` as the wall time in `tz`, written with a Z (what the UTC scales expect)."""
    return value.astimezone(zone(tz)).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _steps(scenario: Any, end: datetime, tz: str) -> pd.DataFrame:
    """Return each forecaster's calls, plus one point at `end` so the last step has a length."""
    rows: list[dict[str, Any]] = []
    last: dict[str, tuple[dict[str, Any], datetime]] = {}
    for f in sorted(scenario.forecasts, key=lambda f: f.recorded_at):
        row = {"forecaster": f.forecaster, "t": wall(f.recorded_at, tz), "p": f.probability,
               "recorded": local(f.recorded_at, tz), "rationale": f.rationale, "call": True}
        rows.append(row)
        last[f.forecaster] = (row, f.recorded_at)
    rows += [{**row, "t": wall(end, tz), "call": False} for row, at in last.values() if end > at]
    return _frame(rows, ["forecaster", "t", "p", "recorded", "rationale", "call"])


def _marks(scenario: Any, events: list[Any], tz: str) -> pd.DataFrame:
    """Return the vertical rules: the resolution, and each change of belief learned late, at the
    instant it was learned (a revision or re-opening; a resolution learned over a day late)."""
    rows = []
    if scenario.resolved_at is not None:
        rows.append({"t": wall(scenario.resolved_at, tz), "label": scenario.outcome,
                     "kind": "resolution", "colour": OUTCOME_COLOURS.get(scenario.outcome, "#666"),
                     "line": 2, "detail": f"{scenario.outcome} at {local(scenario.resolved_at, tz)}"})
    for e in events:
        late = e.resolved_at is None or e.known_at - e.resolved_at > LATE
        if e.kind == "resolved" and not late:
            continue
        happened = f", happened {local(e.resolved_at, tz)}" if e.resolved_at else ""
        record = f" by record #{e.record_id}" if e.record_id is not None else " by the clock"
        at = f" {local(e.resolved_at, tz)[5:16]}" if e.resolved_at and e.kind != "resolved" else ""
        label = "learned late" if e.kind == "resolved" else f"{e.kind}: {e.outcome}{at}"
        rows.append({"t": wall(e.known_at, tz), "label": label, "kind": "revision",
                     "colour": REVISION_COLOUR, "line": 2 + 14 * (len(rows) % 2),  # staggered
                     "detail": f"{e.kind} {e.before} → {e.outcome}{record}, learned "
                               f"{local(e.known_at, tz)}{happened}"})
    return _frame(rows, ["t", "label", "kind", "colour", "line", "detail"])


def forecast_chart(scenario: Any, events: list[Any], *, start: datetime, end: datetime,
                   tz: str) -> alt.LayerChart:
    """Return each forecaster's probability as a step line, with the resolution and revisions."""
    stop = scenario.resolved_at or end
    last = max([stop, *(e.known_at for e in events)])  # a resolved scenario's chart ends soon after
    domain = [wall(start, tz), wall(last + (last - start) / 12, tz)]
    x = alt.X("t:T", title=f"time ({tz})", scale=alt.Scale(type="utc", domain=domain),
              axis=alt.Axis(format=time_axis_format(start.astimezone(zone(tz)),
                                                    last.astimezone(zone(tz))),
                            labelAngle=0, tickCount=8))
    steps = _steps(scenario, stop, tz)
    y = alt.Y("p:Q", title="probability", scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("forecaster:N", scale=alt.Scale(scheme="tableau10"),
                       legend=alt.Legend(orient="bottom", title="forecaster"))
    tooltip = ["forecaster:N", alt.Tooltip("p:Q", format=".2f", title="probability"),
               "recorded:N", "rationale:N"]
    base = alt.Chart(steps)
    lines = base.mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    points = base.transform_filter("datum.call").mark_point(filled=True, size=60).encode(
        x=x, y=y, color=colour, tooltip=tooltip)
    marks = alt.Chart(_marks(scenario, events, tz))
    rules = marks.mark_rule(strokeWidth=2).encode(
        x=x, color=alt.Color("colour:N", scale=None),
        strokeDash=alt.condition("datum.kind == 'revision'", alt.value([6, 4]), alt.value([1, 0])),
        tooltip=["detail:N"])
    def labels(kind: str, align: str, dx: int) -> alt.Chart:
        """Return the rules' labels: a resolution's after its rule, a revision's before its own."""
        return marks.transform_filter(f"datum.kind == '{kind}'").mark_text(
            align=align, dx=dx, fontWeight="bold", baseline="top").encode(
            x=x, y=alt.Y("line:Q", scale=None, axis=None), text="label:N",
            color=alt.Color("colour:N", scale=None), tooltip=["detail:N"])

    return alt.layer(lines, points, rules, labels("resolution", "left", 4),
                     labels("revision", "right", -4)).properties(height=CHART_HEIGHT)


def reliability_chart(bins: list[Any]) -> alt.LayerChart:
    """Return mean forecast probability against observed frequency per bin, sized by count."""
    rows = [{"mean forecast": b.mean_probability, "observed": b.observed, "forecasts": b.forecasts,
             "bin": f"{b.low:.1f}–{b.high:.1f}"} for b in bins]
    frame = _frame(rows, ["mean forecast", "observed", "forecasts", "bin"])
    unit = alt.Scale(domain=[0, 1], padding=12)  # room for a full circle at 0 and at 1
    diagonal = alt.Chart(_frame([{"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0}], ["x", "y"]))
    diagonal = diagonal.mark_line(color="#9e9e9e", strokeDash=[4, 4]).encode(
        x=alt.X("x:Q", scale=unit, title="mean forecast probability"),
        y=alt.Y("y:Q", scale=unit, title="observed frequency"))
    points = alt.Chart(frame).mark_circle(color="#1f77b4", opacity=0.8).encode(
        x=alt.X("mean forecast:Q", scale=unit), y=alt.Y("observed:Q", scale=unit),
        size=alt.Size("forecasts:Q", scale=alt.Scale(range=[60, 600]),
                      legend=alt.Legend(title="forecasts", values=sorted({r["forecasts"] for r in rows}))),
        tooltip=["bin:N", alt.Tooltip("mean forecast:Q", format=".2f"),
                 alt.Tooltip("observed:Q", format=".2f"), "forecasts:Q"])
    return alt.layer(diagonal, points).properties(height=RELIABILITY_HEIGHT)
