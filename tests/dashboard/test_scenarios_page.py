"""The Scenarios page: outcomes, forecasts over time, the forecast forms, the leaderboard; and the
History page's time slider."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker import services

from ..conftest import SEEDS, SYRIA, app_at, signed_in
from .helpers import by_label, loaded, page, shown, texts

PASSWORD = "a long password"  # what tests/dashboard/helpers.page signs users in with

MOSCOW = "moscow-humanitarian-ceasefire-2020"
SCENARIOS = "views/scenarios.py"
CALLS = [("2016-09-11T00:00:00+03:00", "mira.haddad", 0.6, 0.3),
         ("2016-09-11T00:00:00+03:00", "tom.reilly", 0.2, 0.7),
         ("2016-09-12T12:00:00+03:00", "mira.haddad", 0.8, 0.15),
         ("2016-09-12T12:00:00+03:00", "tom.reilly", 0.15, 0.75)]


def forecast_then_record(url: str) -> services.App:
    """Return an App on 10 October 2016: two analysts forecast both scenarios, then the record."""
    services.load(app_at(url, "2016-09-10T00:00:00+03:00"), [SEEDS / f"{SYRIA}.yaml"])
    for now, who, collapse, cooperation in CALLS:
        for scenario, p in (("truce-collapses", collapse), ("cooperation-begins", cooperation)):
            services.record_forecast(app_at(url, now), f"{SYRIA}/{scenario}", p, by=who,
                                     rationale=f"{who}'s reading of the first days")
    later = app_at(url, "2016-10-10T00:00:00+03:00")
    services.load(later, [SEEDS / f"{SYRIA}.record.yaml"])
    return later


def analyst(app: services.App) -> services.UserView:
    return services.add_user(app, "mira.haddad", role="analyst", password=PASSWORD)


def table(at: Any, column: str) -> Any:
    """Return the first table on the page with `column`."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, (column, [list(d.value.columns) for d in at.dataframe])
    return found[0]


def button(at: Any, label: str, index: int = 0) -> Any:
    return [b for b in at.button if b.label == label][index]


def test_it_shows_each_outcome_the_leaderboard_and_the_calibration(migrated_url: str) -> None:
    at = page(forecast_then_record(migrated_url), SCENARIOS)
    assert not at.error, [e.value for e in at.error]
    outcomes = at.dataframe[0].value.set_index("scenario")
    assert outcomes.loc["truce-collapses", "outcome"] == "happened"
    assert outcomes.loc["truce-collapses", "resolved"] == "2016-09-18 12:00 EEST"  # Damascus time
    assert "seven-day-calm → breached" in outcomes.loc["truce-collapses", "deciding cause"]
    assert outcomes.loc["cooperation-begins", "outcome"] == "did-not-happen"
    assert list(outcomes["forecasts"]) == [4, 4]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # two scenarios and the reliability plot
    # The late breach of the calm (learned 21 September) moved the collapse back to the 18th.
    assert "revised: happened" in str(charts[1].proto)
    assert "learned late" in str(charts[0].proto)  # cooperation's end was learned on the 21st
    leaderboard = table(at, "rank")
    assert list(leaderboard["forecaster"]) == ["mira.haddad", "tom.reilly"]  # best Brier first
    assert leaderboard["Brier"][0] < leaderboard["Brier"][1]
    calibration = table(at, "bin")
    assert sum(calibration["forecasts"]) == 8 and "observed" in calibration.columns
    assert "reading only" not in texts(at)  # local mode: an admin sees the forms
    assert "Resolved: happened at 2016-09-18 12:00 EEST" in texts(at)


def test_the_scope_shows_the_leaderboard_across_all_agreements(migrated_url: str) -> None:
    app = forecast_then_record(migrated_url)
    services.load(app, [SEEDS / f"{MOSCOW}.yaml"])
    at = page(app, SCENARIOS)
    by_label(at.sidebar.selectbox, "Agreement").select(MOSCOW).run()
    assert "No forecast on a resolved scenario yet" in texts(at)
    by_label(at.radio, "Scope").set_value("All agreements").run()
    assert list(table(at, "rank")["forecaster"]) == ["mira.haddad", "tom.reilly"]
    assert set(table(at, "agreement")["agreement"]) == {SYRIA}


def test_the_single_form_records_a_forecast_under_the_users_name(migrated_url: str) -> None:
    app = loaded(migrated_url)
    at = page(app, SCENARIOS, user=analyst(app))
    at.number_input(key="p-truce-collapses").set_value(0.7)
    at.text_area(key="why-truce-collapses").input("**strikes** continue <b>near</b> Aleppo")
    button(at, "Record forecast", 1).click().run()

    assert not at.error, [e.value for e in at.error]
    assert "truce-collapses 0.70" in shown(at.success[0].value)
    assert "counting from 2016-09-16 12:00 EEST" in shown(at.success[0].value)
    reader = signed_in(app, "mira.haddad", PASSWORD)  # team mode: reads need a sign-in
    [line] = [s for s in services.report(reader, SYRIA).scenarios
              if s.slug == "truce-collapses"][0].forecasts
    assert (line.forecaster, line.probability) == ("mira.haddad", 0.7)
    assert line.rationale == "**strikes** continue <b>near</b> Aleppo"
    assert at.dataframe[0].value.set_index("scenario").loc["truce-collapses", "forecasts"] == 1


def test_a_forecast_without_a_rationale_is_refused_and_records_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = services.export_text(app)
    at = page(app, SCENARIOS)
    at.number_input(key="p-truce-collapses").set_value(0.7)
    button(at, "Record forecast", 1).click().run()
    assert "Not recorded: --rationale" in shown(at.error[0].value)
    assert services.export_text(app) == before


def moscow(url: str) -> tuple[services.App, Any]:
    services.load(app_at(url, "2020-10-10T04:00:00+03:00"), [SEEDS / f"{MOSCOW}.yaml"])
    app = app_at(url, "2020-10-10T06:00:00+03:00")
    at = page(app, SCENARIOS)
    by_label(at.sidebar.selectbox, "Agreement").select(MOSCOW).run()
    return app, at


def test_a_group_summing_to_0_7_shows_the_error_and_records_nothing(migrated_url: str) -> None:
    app, at = moscow(migrated_url)
    before = services.export_text(app)
    group = "humanitarian-ceasefire-outcome"
    at.number_input(key=f"gp-{group}-ceasefire-holds-until-talks").set_value(0.3).run()
    at.number_input(key=f"gp-{group}-ceasefire-collapses").set_value(0.4).run()
    assert "Sum: **0.700**" in texts(at)  # the running sum, before sending
    at.text_area(key=f"gwhy-{group}").input("shelling continues")
    button(at, "Record group forecast").click().run()
    assert "Not recorded" in shown(at.error[0].value) and "sum" in shown(at.error[0].value)
    assert services.export_text(app) == before

    at.number_input(key=f"gp-{group}-ceasefire-collapses").set_value(0.7).run()
    assert "Sum: **1.000**" in texts(at)
    button(at, "Record group forecast").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "ceasefire-holds-until-talks 0.30, ceasefire-collapses 0.70" in shown(at.success[0].value)
    lines = {s.slug: [f.probability for f in s.forecasts]
             for s in services.report(app, MOSCOW).scenarios}
    assert lines["ceasefire-holds-until-talks"] == [0.3] and lines["ceasefire-collapses"] == [0.7]


def test_a_viewer_sees_the_charts_and_no_form(migrated_url: str) -> None:
    app = forecast_then_record(migrated_url)
    viewer = services.add_user(app, "vic", role="viewer", password=PASSWORD)
    at = page(app, SCENARIOS, user=viewer)
    assert at.get("vega_lite_chart"), texts(at)
    assert not at.number_input and "Record forecast" not in [b.label for b in at.button]
    assert "reading only" in texts(at)


def test_moving_the_history_slider_changes_the_as_of_table(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now="2016-10-31T12:00:00+03:00")
    at = page(app, "views/history.py")
    slider = at.select_slider(key="as-of-slider")
    assert slider.value == datetime.fromisoformat("2016-10-31T12:00:00+03:00")
    assert "As of 2016-10-31 11:00 EET" in texts(at)  # Damascus left summer time on 28 October
    assert at.dataframe[0].value.set_index("commitment").loc["humanitarian-access",
                                                             "as known now"] == "breached"

    slider.set_value(datetime.fromisoformat("2016-09-15T09:00:00+03:00")).run()
    assert not at.error, [e.value for e in at.error]
    assert "As of 2016-09-15 09:00 EEST" in texts(at)
    assert by_label(at.text_input, "State as of").value == "2016-09-15T09:00:00+03:00"
    states = at.dataframe[0].value.set_index("commitment")
    assert states.loc["humanitarian-access", "as known now"] == "active"

    by_label(at.text_input, "State as of").input("2016-09-20T09:30:00+03:00").run()
    assert "As of 2016-09-20 09:30 EEST" in texts(at)  # an exact instant still works
    assert at.select_slider(key="as-of-slider").value == datetime.fromisoformat(
        "2016-09-20T09:00:00+03:00")


def test_it_lists_forecasts_made_after_the_outcome_occurred_as_not_scored(
        migrated_url: str) -> None:
    services.load(app_at(migrated_url, "2016-09-10T00:00:00+03:00"), [SEEDS / f"{SYRIA}.yaml"])
    # The calm was broken on the 18th; nobody knew on the 19th, when tom forecast.
    services.record_forecast(app_at(migrated_url, "2016-09-19T00:00:00+03:00"),
                             f"{SYRIA}/truce-collapses", 0.1, by="tom.reilly", rationale="quiet")
    later = app_at(migrated_url, "2016-09-21T11:00:00+03:00")
    services.record_transition(later, f"{SYRIA}/seven-day-calm", "breached",
                               occurred_at=datetime.fromisoformat("2016-09-18T12:00:00+03:00"),
                               by="mira.haddad", reason="air strikes")
    at = page(later, SCENARIOS)
    assert not at.error, [e.value for e in at.error]
    assert "made after the outcome had occurred (learned later): not scored" in texts(at)
    late = table(at, "outcome occurred")
    assert list(late["forecaster"]) == ["tom.reilly"]
    assert list(late["recorded"]) == ["2016-09-19 00:00 EEST"]
