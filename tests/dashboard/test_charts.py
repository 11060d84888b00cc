"""The charts' time axes say the year once the span needs it, in the agreement's zone."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tracker import services
from tracker.services.reporting import ForecastLine, ScenarioReport

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "dashboard"))
from ui_charts import timeline_chart  # noqa: E402
from ui_common import time_axis_format  # noqa: E402
from ui_forecasts import forecast_chart  # noqa: E402

KABUL = "Asia/Kabul"
SIGNED = datetime(2020, 2, 29, 12, 0, tzinfo=UTC)  # the Doha agreement
WITHDRAWN = datetime(2021, 8, 30, 19, 0, tzinfo=UTC)


def x_formats(spec: dict[str, Any]) -> set[str]:
    """Return every x-axis format of a (layered) Vega-Lite spec."""
    out = set()
    for layer in spec.get("layer", [spec]):
        x = layer.get("encoding", {}).get("x", {})
        if "format" in x.get("axis", {}):
            out.add(x["axis"]["format"])
    return out


def test_a_multi_year_agreement_timeline_labels_its_years() -> None:
    segments = [services.Segment(commitment="withdrawal", state="active", start=SIGNED,
                                 end=WITHDRAWN, cause="started")]
    assert x_formats(timeline_chart(segments, [], KABUL).to_dict()) == {"%b %Y"}


def test_a_multi_year_forecast_chart_labels_its_years() -> None:
    scenario = ScenarioReport(
        slug="s", title="S", group=None, outcome="open", resolved_at=None, scores=[],
        forecasts=[ForecastLine(forecaster="ana", probability=0.4, recorded_at=SIGNED,
                                rationale="r")])
    chart = forecast_chart(scenario, [], start=SIGNED, end=WITHDRAWN, tz=KABUL)
    assert x_formats(chart.to_dict()) == {"%b %Y"}


@pytest.mark.parametrize("start, end, expected", [
    (datetime(2016, 9, 9, tzinfo=UTC), datetime(2016, 9, 11, tzinfo=UTC), "%d %b %H:%M"),
    (datetime(2016, 9, 9, tzinfo=UTC), datetime(2016, 10, 20, tzinfo=UTC), "%d %b"),
    (datetime(2020, 12, 1, tzinfo=UTC), datetime(2021, 2, 1, tzinfo=UTC), "%d %b %Y"),
    (datetime(2020, 12, 31, 12, tzinfo=UTC), datetime(2021, 1, 1, 12, tzinfo=UTC),
     "%d %b %Y %H:%M"),
    (SIGNED, WITHDRAWN, "%b %Y"),
])
def test_the_axis_format_fits_the_span(start: datetime, end: datetime, expected: str) -> None:
    assert time_axis_format(start, end) == expected
