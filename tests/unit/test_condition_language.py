"""The condition language (DESIGN, "Condition language"): all_of, any_of, not, lists of states
and `by:` deadlines, met and failed at the right instant — by the projection's clock too."""

from __future__ import annotations

from datetime import timedelta

from tracker.domain.beliefs import belief_changes
from tracker.domain.conditions import AllOf, AnyOf, Not, verdict
from tracker.domain.leaves import Enters, enters
from tracker.domain.projection import project
from tracker.domain.scenarios import Outcome, resolve
from tracker.domain.states import State
from tracker.domain.wording import rule_words, scenario_words

from ..factories import T0, at, make_agreement, transition

TZ = "Asia/Damascus"
CALM_ENDS = at(days=10)  # the hold ends 10 days after T0 (it starts on day 3)


def syria_in_small(*scenarios: dict[str, object], **extra: object) -> object:
    return make_agreement(
        {"slug": "cessation", "starts": at(days=3).isoformat()},
        {"slug": "calm", "starts": {"after": "cessation", "enters": "active"}, "hold_for": "P7D"},
        {"slug": "targeting", "requires": {"all_of": {"calm": "fulfilled"}}},
        *([extra["watcher"]] if "watcher" in extra else []),
        scenarios=list(scenarios))  # type: ignore[arg-type]


def test_by_is_strict_an_entry_at_the_deadline_fails_at_it() -> None:
    agreement = syria_in_small()
    p = project(agreement, [transition("calm", "breached", at(days=6))], until=at(days=20))
    assert verdict(enters("calm", State.BREACHED, by=at(days=6, hours=1)), p.tracks,
                   now=at(days=20)).met_at == at(days=6)
    exactly = verdict(enters("calm", State.BREACHED, by=at(days=6)), p.tracks, now=at(days=20))
    assert exactly.met is None and exactly.failed_at == at(days=6)


def test_a_passed_by_fails_only_once_the_clock_reaches_it() -> None:
    p = project(syria_in_small(), [], until=at(days=5))
    leaf = enters("calm", State.BREACHED, by=at(days=8))
    assert verdict(leaf, p.tracks, now=at(days=5)).decided_at is None
    # Told about an instant past the deadline with nothing else moving: failed at the deadline.
    later = project(syria_in_small(), [], until=at(days=9))
    assert verdict(leaf, later.tracks, now=at(days=9)).failed_at == at(days=8)
    assert leaf.outlook(p.tracks).failed_at == at(days=8)  # what the projector schedules


def test_not_swaps_met_and_failed_at_the_same_instants() -> None:
    p = project(syria_in_small(), [transition("calm", "breached", at(days=6))], until=at(days=20))
    breached = enters("calm", State.BREACHED)
    assert verdict(Not(breached), p.tracks, now=at(days=20)).failed_at == at(days=6)
    never_active = Not(enters("targeting", State.ACTIVE))
    assert verdict(never_active, p.tracks, now=at(days=20)).met_at == at(days=6)  # it lapsed then


def test_a_list_of_states_is_met_by_the_first_entered_and_failed_when_none_can_be() -> None:
    p = project(syria_in_small(), [transition("calm", "breached", at(days=6))], until=at(days=20))
    ended = Enters("calm", (State.FULFILLED, State.BREACHED))
    assert verdict(ended, p.tracks, now=at(days=20)).met_at == at(days=6)
    out = Enters("calm", (State.FULFILLED, State.WITHDRAWN))
    assert verdict(out, p.tracks, now=at(days=20)).failed_at == at(days=6)


def test_all_of_met_at_the_latest_any_of_failed_at_the_last() -> None:
    p = project(syria_in_small(), [], until=at(days=20))
    started = enters("cessation", State.ACTIVE)
    held = enters("calm", State.FULFILLED)
    assert verdict(AllOf((started, held)), p.tracks, now=at(days=20)).met_at == CALM_ENDS
    late = enters("calm", State.FULFILLED, by=at(days=9))
    never = enters("calm", State.BREACHED)
    assert verdict(AnyOf((late, never)), p.tracks, now=at(days=20)).failed_at == CALM_ENDS
    assert verdict(AllOf((late, never)), p.tracks, now=at(days=20)).failed_at == at(days=9)


def test_the_clock_lapses_a_commitment_when_its_by_passes() -> None:
    watcher = {"slug": "watcher", "requires": {"commitment": "calm", "enters": "breached",
                                               "by": at(days=8).isoformat()}}
    p = project(syria_in_small(watcher=watcher), [], until=at(days=20))
    lapse = next(e for e in p.entries if e.commitment == "watcher")
    assert (lapse.state, lapse.at, lapse.rule) == (State.LAPSED, at(days=8), "requires")
    assert lapse.cause == "lapsed because calm had not become breached before 2016-09-18 00:30 EEST"
    assert project(syria_in_small(watcher=watcher), [], until=at(days=5)).next_at["watcher"] \
        == at(days=8)  # scheduled: a tick at that instant lapses it


def test_the_clock_starts_a_commitment_when_a_negated_by_passes_unbroken() -> None:
    watcher = {"slug": "watcher", "requires": {"not": {"commitment": "calm", "enters": "breached",
                                                       "by": at(days=8).isoformat()}}}
    agreement = syria_in_small(watcher=watcher)
    p = project(agreement, [], until=at(days=20))
    start = next(e for e in p.entries if e.commitment == "watcher")
    assert (start.state, start.at) == (State.ACTIVE, at(days=8))
    assert "calm is not breached before 18 Sep 2016 00:30" in start.cause
    # A breach before the deadline moves the track it reads: re-evaluated, it lapses instead.
    broken = project(agreement, [transition("calm", "breached", at(days=6))], until=at(days=20))
    assert broken.tracks["watcher"].state is State.LAPSED
    assert broken.tracks["watcher"].since == at(days=6)


def test_within_counts_from_the_announcement() -> None:
    agreement = make_agreement(
        {"slug": "a", "starts": at(days=3).isoformat()},
        scenarios=[{"slug": "s", "title": "t",
                    "when": {"commitment": "a", "enters": "active", "within": "P2D"}}])
    leaf = agreement.scenarios[0].when  # type: ignore[attr-defined]
    assert leaf.by == T0 + timedelta(days=2)
    p = project(agreement, [], until=at(days=4))  # type: ignore[arg-type]
    assert resolve(agreement.scenarios[0], p.tracks, now=at(days=4)).resolved_at \
        == T0 + timedelta(days=2)  # type: ignore[attr-defined]


def test_a_date_by_means_the_end_of_that_day_in_the_agreements_zone() -> None:
    agreement = make_agreement(
        {"slug": "a"}, scenarios=[{"slug": "s", "title": "t",
                                   "when": {"commitment": "a", "enters": "fulfilled",
                                            "by": "2016-09-19"}}])
    leaf = agreement.scenarios[0].when  # type: ignore[attr-defined]
    assert leaf.by.isoformat() == "2016-09-19T21:00:00+00:00"  # midnight in Damascus (+03:00)
    assert scenario_words(agreement.scenarios[0], TZ) == \
        "happens when a is fulfilled by the end of 19 Sep 2016"  # type: ignore[attr-defined]


def test_a_scenario_is_open_before_its_deadline_and_decided_at_it_after() -> None:
    broken_early = {"slug": "broken-early", "title": "broken early",
                    "when": {"commitment": "calm", "enters": "breached",
                             "by": at(days=9).isoformat()}}
    agreement = syria_in_small(broken_early)
    early = project(agreement, [], until=at(days=8))
    assert resolve(agreement.scenarios[0], early.tracks, now=at(days=8)).outcome \
        is Outcome.OPEN  # type: ignore[attr-defined]
    late = project(agreement, [], until=at(days=9, hours=1))
    decided = resolve(agreement.scenarios[0], late.tracks, now=at(days=9, hours=1))  # type: ignore[attr-defined]
    assert (decided.outcome, decided.resolved_at) == (Outcome.DID_NOT_HAPPEN, at(days=9))


def test_belief_in_a_deadline_outcome_is_dated_when_the_clock_reached_it() -> None:
    broken_early = {"slug": "broken-early", "title": "broken early",
                    "when": {"commitment": "calm", "enters": "breached",
                             "by": at(days=9).isoformat()}}
    agreement = syria_in_small(broken_early)
    # A record on day 12 (about something else the scenario reads): the deadline passed on day 9.
    log = [transition("cessation", "breached", at(days=12))]
    [change] = belief_changes(agreement, log, now=at(days=20))  # type: ignore[arg-type]
    assert (change.kind, change.outcome, change.known_at, change.record_ids) == (
        "resolved", Outcome.DID_NOT_HAPPEN, at(days=9), ())


def test_every_condition_has_words() -> None:
    agreement = make_agreement(
        {"slug": "seven-day-calm"}, {"slug": "joint-targeting"},
        {"slug": "centre", "starts": {"after": "seven-day-calm", "enters": ["fulfilled", "breached"]},
         "requires": {"all_of": [{"commitment": "joint-targeting", "enters": "active"},
                                 {"not": {"any_of": {"seven-day-calm": "breached",
                                                     "joint-targeting": "lapsed"}}}]}},
        scenarios=[{"slug": "s", "title": "t", "when": {"any_of": [
            {"commitment": "seven-day-calm", "enters": "breached",
             "by": "2016-09-19T19:00:00+03:00"},
            {"not": {"commitment": "joint-targeting", "enters": "active"}}]}}])
    assert scenario_words(agreement.scenarios[0], TZ) == (  # the issue's own example
        "happens when seven-day-calm is breached before 19 Sep 2016 19:00, or joint-targeting "
        "never becomes active")
    assert rule_words(agreement.commitment("centre"), TZ)[:2] == [
        "starts when seven-day-calm is fulfilled or breached",
        "requires that joint-targeting becomes active, and (seven-day-calm is never breached, "
        "and joint-targeting never lapses)"]


def test_a_start_after_one_of_several_states_by_a_deadline_lapses_when_it_passes() -> None:
    agreement = make_agreement(
        {"slug": "talks", "starts": at(days=1).isoformat()},
        {"slug": "release", "starts": {"after": "talks", "enters": ["fulfilled", "breached"],
                                       "offset": "P1D", "by": at(days=10).isoformat()}})
    ended = project(agreement, [transition("talks", "breached", at(days=4))], until=at(days=20))
    assert ended.tracks["release"].entered[State.ACTIVE] == at(days=5)  # the first entry + 1 day
    nothing = project(agreement, [], until=at(days=20))
    lapse = next(e for e in nothing.entries if e.commitment == "release")
    assert (lapse.state, lapse.at, lapse.rule) == (State.LAPSED, at(days=10), "starts")
    assert rule_words(agreement.commitment("release"), TZ)[0] == (
        "starts when talks is fulfilled or breached before 20 Sep 2016 00:30, 1 day later")


def test_ends_takes_any_condition() -> None:
    agreement = make_agreement(
        {"slug": "a"}, {"slug": "b"},
        {"slug": "restraint", "ends": {"any_of": [{"commitment": "a", "enters": "fulfilled"},
                                                  {"not": {"commitment": "b", "enters": "breached",
                                                           "by": at(days=5).isoformat()}}]}})
    p = project(agreement, [], until=at(days=20))
    assert (p.tracks["restraint"].state, p.tracks["restraint"].since) == (State.FULFILLED,
                                                                          at(days=5))
    assert p.tracks["restraint"].cause == (
        "fulfilled because b had not become breached before 2016-09-15 00:30 EEST")
    early = project(agreement, [transition("a", "fulfilled", at(days=2))], until=at(days=20))
    assert early.tracks["restraint"].since == at(days=2)
