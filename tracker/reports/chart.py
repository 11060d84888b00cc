"""A scenario's forecasts over time as an inline SVG step chart, one line per forecaster."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape

from ..domain.timefmt import local
from ..services.reporting import ForecastLine, ScenarioReport

WIDTH, HEIGHT, PAD = 640, 200, 40
COLOURS = ("#0b6bcb", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#495057")


def svg(s: ScenarioReport, tz: str) -> str:
    """Return the chart: probability (0..1) against time, the resolution marked by a line."""
    start = min(f.recorded_at for f in s.forecasts)
    end = max([f.recorded_at for f in s.forecasts] + ([s.resolved_at] if s.resolved_at else []))
    end = max(end, start + timedelta(hours=1))
    def x(t: datetime) -> float:
        return PAD + (WIDTH - 2 * PAD) * (t - start) / (end - start)
    def y(p: float) -> float:
        return HEIGHT - PAD + (2 * PAD - HEIGHT) * p
    people = sorted({f.forecaster for f in s.forecasts})
    lines = [_line(x, y, [f for f in s.forecasts if f.forecaster == who], end,
                   COLOURS[n % len(COLOURS)], who) for n, who in enumerate(people)]
    axis = [f'<line x1="{PAD}" y1="{y(p):.1f}" x2="{WIDTH - PAD}" y2="{y(p):.1f}" '
            f'stroke="#ddd"/><text x="4" y="{y(p) + 4:.1f}" font-size="11">{p:g}</text>'
            for p in (0, 0.5, 1)]
    if s.resolved_at:
        axis.append(f'<line x1="{x(s.resolved_at):.1f}" y1="{PAD / 2}" '
                    f'x2="{x(s.resolved_at):.1f}" y2="{HEIGHT - PAD}" stroke="#b00020" '
                    f'stroke-dasharray="4 3"/><text x="{x(s.resolved_at) - 4:.1f}" '
                    f'y="{PAD / 2 - 4}" font-size="11" text-anchor="end">'
                    f'{escape(s.outcome)} {local(s.resolved_at, tz)}</text>')
    axis.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{local(start, tz)}</text>')
    legend = [f'<text x="{WIDTH - PAD + 12}" y="{PAD + 14 * n}" font-size="11" '
              f'fill="{COLOURS[n % len(COLOURS)]}">{escape(who)}</text>'
              for n, who in enumerate(people)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH + 60} {HEIGHT}" '
            f'role="img" aria-label="forecasts for {escape(s.slug)}">'
            + "".join(axis + lines + legend) + "</svg>")


def _line(x: Callable[[datetime], float], y: Callable[[float], float],
          mine: list[ForecastLine], end: datetime, colour: str, who: str) -> str:
    """Return one forecaster's step line: each call held until their next one (or the end)."""
    points: list[str] = []
    for n, f in enumerate(mine):
        until = mine[n + 1].recorded_at if n + 1 < len(mine) else end
        points += [f"{x(f.recorded_at):.1f},{y(f.probability):.1f}",
                   f"{x(until):.1f},{y(f.probability):.1f}"]
    return (f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{" ".join(points)}"><title>{escape(who)}</title></polyline>')
