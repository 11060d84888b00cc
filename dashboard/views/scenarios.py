"""Scenarios: each scenario's outcome and forecasts over time, the forecast forms, the scores."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import data_table, esc, pick_agreement, time_help, tracker_app, user, when
from ui_forecasts import CHART_HEIGHT, RELIABILITY_HEIGHT, forecast_chart, reliability_chart
from ui_forms import forecast_form, group_forecast_form
from ui_scenario_form import add_scenario_form

from tracker import services

OUTCOME_BADGES = {"happened": "green", "did-not-happen": "red", "open": "gray"}

slug = pick_agreement()
if slug is None:
    st.stop()
app = tracker_app()
now = app.clock()
report = services.report(app, slug)  # one read for every scenario: never one per scenario
tz = report.status.timezone
# What we believed and when it changed (the report leaves it out for a log too long to replay).
events = sorted((b for s in report.scenarios for b in s.beliefs), key=lambda b: b.known_at)
announced = report.status.announced_at
records = {str(r.id): r for r in report.timeline}

st.title("Scenarios")
st.caption(f"{esc(report.status.title)} · as of {when(now, tz)} · times in {tz}")
flash = st.session_state.pop("forecast-flash", None)
if flash:
    st.success(esc(flash))


def cause(scenario: services.reporting.ScenarioReport) -> str:
    """Return the records that decided the scenario, as one line of plain text."""
    found = [records[str(i)] for i in scenario.decided_by if str(i) in records]
    return " · ".join(f"#{r.id} {r.commitment} → {r.state} by {r.by}"
                      + (f": {r.reason}" if r.reason else "") for r in found)


causes = {s.slug: cause(s) for s in report.scenarios}
data_table("scenarios", pd.DataFrame([{
    "scenario": s.slug, "title": s.title, "group": s.group or "", "outcome": s.outcome,
    "resolved": when(s.resolved_at, tz), "deciding cause": causes[s.slug],
    "forecasts": len(s.forecasts)}
    for s in report.scenarios],
    columns=["scenario", "title", "group", "outcome", "resolved", "deciding cause", "forecasts"]),
    hide_index=True, column_config={
        "resolved": st.column_config.TextColumn("resolved", help=time_help(tz)),
        "deciding cause": st.column_config.TextColumn("deciding cause", width="large")})
if events:
    with st.expander("What we believed, and when it changed"):
        data_table("beliefs", pd.DataFrame([{
            "scenario": e.scenario, "change": e.kind, "from": e.before, "to": e.outcome,
            "happened": when(e.resolved_at, tz), "learned": when(e.known_at, tz),
            "learned from": e.learned_from()} for e in events]),
            hide_index=True)
elif not report.beliefs_replayed:
    st.caption("Changes of belief (an outcome revised by a record learned late) are not marked: "
               f"the log holds over {services.reporting.MAX_REPLAYED_RECORDS:,} records, too "
               "many to replay here.")

analyst = user().can("analyst")
for s in report.scenarios:
    st.subheader(esc(s.title))
    group = f" · group `{s.group}`" if s.group else ""
    st.markdown(f"`{s.slug}`{group} · :{OUTCOME_BADGES.get(s.outcome, 'gray')}-badge[{s.outcome}]"
                + (f" at **{when(s.resolved_at, tz)}**" if s.resolved_at else ""))
    st.markdown(esc(s.words[:1].upper() + s.words[1:]))
    if s.resolved_at:
        st.caption("Decided by: " + esc(causes[s.slug] or "the clock"))
    if s.forecasts or s.resolved_at or s.beliefs:
        st.altair_chart(forecast_chart(s, s.beliefs, start=announced, end=now, tz=tz), width="stretch",
                        height=CHART_HEIGHT + 90)
    else:
        st.caption("No forecast yet.")
    if analyst and not s.group:
        with st.expander(f"Forecast “{s.slug}”"):
            forecast_form(slug, s, tz)

groups: dict[str, list[services.reporting.ScenarioReport]] = {}
for s in report.scenarios:
    if s.group:
        groups.setdefault(s.group, []).append(s)
for name, members in groups.items():
    if analyst:
        st.subheader(f"Forecast the group `{name}`")
        st.caption("Its scenarios exclude one another: give all of them at once, summing to 1.")
        group_forecast_form(slug, name, members, tz)
if not analyst:
    st.info(f"{esc(user().name)} is a {user().role}: reading only. An analyst can record "
            "forecasts.")
else:
    with st.expander("Add a scenario"):
        st.caption("A new future for this agreement, as a condition on what commitments have "
                   "entered; it resolves from the log at once, like the seed's own scenarios.")
        add_scenario_form(slug, [c.slug for c in report.status.commitments])

st.header("Scores")
scope = st.radio("Scope", ["This agreement", "All agreements"], horizontal=True, key="score-scope",
                 help="Time-weighted Brier (lower is better) and log score (higher is better), "
                      "over resolved scenarios, with resolutions as known now.")
scored = services.scores(app, slug) if scope == "This agreement" else services.scores(app)
st.subheader("Leaderboard")
if scored.leaderboard:
    data_table("leaderboard", pd.DataFrame([{"rank": n, "forecaster": r.forecaster,
                                            "Brier": round(r.brier, 4),
                                "log score": round(r.log_score, 4), "scenarios": r.scenarios,
                                "forecasts": r.forecasts}
                               for n, r in enumerate(scored.leaderboard, start=1)]),
                 hide_index=True)
else:
    st.caption("No forecast on a resolved scenario yet: nothing to score.")
if scored.by_scenario:
    with st.expander("Each forecaster on each scenario"):
        data_table("scores", pd.DataFrame([{"agreement": c.agreement, "scenario": c.scenario,
                                    "forecaster": c.forecaster, "Brier": round(c.brier, 4),
                                    "log score": round(c.log_score, 4)}
                                   for c in scored.by_scenario]), hide_index=True)
if scored.unscored:
    st.markdown(f"**Forecasts {services.UNSCORED_TITLE}**")
    st.caption("They were made while the scenario still looked open, but the record that "
               "decided it came later: time after an outcome counts for nothing.")
    st.dataframe(pd.DataFrame([{"agreement": u.agreement, "scenario": u.scenario,
                                "forecaster": u.forecaster, "p": u.probability,
                                "recorded": when(u.recorded_at, tz),
                                "outcome occurred": when(u.resolved_at, tz)}
                               for u in scored.unscored]), hide_index=True)
if scored.groups:
    st.markdown("**Groups** (multi-category Brier)")
    data_table("group-scores", pd.DataFrame([{"agreement": g.agreement, "group": g.group,
                                "forecaster": g.forecaster, "Brier": round(g.brier, 4)}
                               for g in scored.groups]), hide_index=True)

st.subheader("Calibration")
if scored.calibration:
    table, plot = st.columns([2, 3])
    table.dataframe(pd.DataFrame([{
        "bin": f"{b.low:.1f}–{b.high:.1f}", "forecasts": b.forecasts,
        "mean probability": round(b.mean_probability, 3), "observed": round(b.observed, 3)}
        for b in scored.calibration]), hide_index=True)
    table.caption("Each forecast that stood before its resolution, binned by probability: a "
                  "well-calibrated forecaster's 0.7s happen 7 times in 10.")
    plot.altair_chart(reliability_chart(scored.calibration), width="stretch",
                      height=RELIABILITY_HEIGHT + 60)
else:
    st.caption("No scored forecast yet.")
