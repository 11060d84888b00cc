"""The drawings: the dependency graph (Graphviz DOT) and the states-over-time chart (Altair)."""

from __future__ import annotations

import altair as alt
import pandas as pd
from ui_common import STATE_COLOURS, STATE_ORDER, time_axis_format

from tracker import services
from tracker.domain.timefmt import local, utc_z, zone

MAX_GRAPH_NODES = 80


def _quote(text: str) -> str:
    """Return `text` as a DOT string literal (user text never becomes DOT syntax)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def dependency_dot(detail: services.Detail, only: set[str]) -> str:
    """Return DOT for the commitments in `only`: nodes coloured by state, edges named by rule."""
    lines = ["digraph G {", "rankdir=LR;", 'node [shape=box, style="rounded,filled", '
             'fontname="Helvetica", fontsize=11, fontcolor=white];',
             'edge [fontname="Helvetica", fontsize=9, color="#666666"];']
    for item in detail.items:
        if item.slug in only:
            label = _quote(item.slug)[:-1] + "\\n" + item.state + '"'  # DOT's own line break
            lines.append(f"{_quote(item.slug)} [label={label}, "
                         f'fillcolor="{STATE_COLOURS.get(item.state, "#9e9e9e")}"];')
    for edge in detail.edges:
        if edge.source in only and edge.target in only:
            lines.append(f"{_quote(edge.source)} -> {_quote(edge.target)} [label={_quote(edge.label)}];")
    lines.append("}")
    return "\n".join(lines)


def chart_height(rows: int) -> int:
    return max(120, 30 * rows)


def timeline_chart(segments: list[services.Segment], deadlines: list[services.Item],
                   tz: str) -> alt.LayerChart:
    """Return bars of each commitment's states over time, with its next deadline as a tick."""
    rows = [{"commitment": s.commitment, "state": s.state,
             "start": s.start.astimezone(zone(tz)).replace(tzinfo=None),
             "end": s.end.astimezone(zone(tz)).replace(tzinfo=None),
             "from": local(s.start, tz), "to": local(s.end, tz),
             "from (UTC)": utc_z(s.start), "cause": s.cause} for s in segments]
    order = list(dict.fromkeys(s.commitment for s in segments))
    span = [s.start for s in segments] + [s.end for s in segments]
    # Wall times in the agreement's zone, so the span (and its years) is the zone's too.
    fmt = time_axis_format(min(span).astimezone(zone(tz)), max(span).astimezone(zone(tz))) \
        if span else "%d %b %H:%M"
    axis = alt.Axis(format=fmt, title=f"time ({tz})", labelAngle=0)
    bars = alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("start:T", axis=axis, scale=alt.Scale(type="utc")),
        x2="end:T",
        y=alt.Y("commitment:N", sort=order, title=None, scale=alt.Scale(paddingInner=0.25),
                axis=alt.Axis(labelLimit=260)),
        color=alt.Color("state:N", scale=alt.Scale(domain=STATE_ORDER,
                                                   range=list(STATE_COLOURS.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["commitment", "state", "from", "to", "from (UTC)", "cause"],
    )
    marks = [{"commitment": d.slug, "deadline": d.deadline.astimezone(zone(tz)).replace(tzinfo=None),
              "kind": d.deadline_kind, "when": local(d.deadline, tz), "UTC": utc_z(d.deadline)}
             for d in deadlines if d.deadline is not None and d.slug in order]
    ticks = alt.Chart(pd.DataFrame(marks, columns=["commitment", "deadline", "kind", "when", "UTC"]))
    ticks = ticks.mark_point(shape="diamond", size=110, filled=True, color="black").encode(
        x=alt.X("deadline:T", scale=alt.Scale(type="utc")),
        y=alt.Y("commitment:N", sort=order), tooltip=["commitment", "kind", "when", "UTC"])
    return alt.layer(bars, ticks).properties(height=chart_height(len(order)))
