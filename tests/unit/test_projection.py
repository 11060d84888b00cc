"""The projection's rules, one behaviour per test (DESIGN, "Precise semantics")."""

from __future__ import annotations

from tracker.domain.projection import known_at, project, resume, tracks_at
from tracker.domain.records import effective
from tracker.domain.scenarios import Outcome, resolve
from tracker.domain.states import State

from ..factories import at, make_agreement, retraction, syria_like, transition


def states(agreement, records, until):  # type: ignore[no-untyped-def]
    return {k: t.state.value for k, t in project(agreement, records, until=until).tracks.items()}


def test_commitment_with_no_rules_is_active_from_the_announcement() -> None:
    p = project(make_agreement({"slug": "x"}), [], until=at(1))
    assert p.tracks["x"].state is State.ACTIVE and p.tracks["x"].since == at(0)


def test_start_instant_and_dependants_start_together() -> None:
    s = states(syria_like(), [], until=at(days=3))
    assert s["cessation"] == "active" and s["calm"] == "active" and s["aid"] == "active"
    assert states(syria_like(), [], until=at(days=2.9))["cessation"] == "pending"


def test_hold_completed_unbroken_fulfils_and_starts_what_waits_on_it() -> None:
    p = project(syria_like(), [], until=at(days=10))
    assert p.tracks["calm"].state is State.FULFILLED and p.tracks["calm"].since == at(days=10)
    assert p.tracks["centre"].state is State.ACTIVE
    assert "held unbroken for 7 days" in p.tracks["calm"].cause


def test_breach_at_exactly_the_end_of_the_hold_comes_after_the_fulfilment() -> None:
    breach = transition("calm", "breached", at(days=10))
    p = project(syria_like(), [breach], until=at(days=11))
    assert p.tracks["calm"].state is State.FULFILLED
    assert breach.id in p.overridden


def test_breach_during_the_hold_makes_what_waits_on_it_lapse_with_cause() -> None:
    p = project(syria_like(), [transition("calm", "breached", at(days=8))], until=at(days=20))
    assert p.tracks["centre"].state is State.LAPSED
    assert p.tracks["centre"].cause.startswith("lapsed because calm was breached on 2016-09-18")
    assert p.tracks["targeting"].state is State.LAPSED
    assert "centre was lapsed" in p.tracks["targeting"].cause
    assert p.tracks["lists-only"].state is State.LAPSED
    assert p.tracks["centre"].since == at(days=8)


def test_due_after_start_passes_and_makes_it_overdue() -> None:
    p = project(syria_like(), [], until=at(days=17))
    assert p.tracks["centre"].state is State.OVERDUE
    assert p.tracks["centre"].since == at(days=17)


def test_overdue_commitment_that_never_started_lapses_when_its_condition_fails() -> None:
    agreement = make_agreement(
        {"slug": "a", "starts": at(days=1).isoformat()},
        {"slug": "b", "starts": {"after": "a", "enters": "fulfilled"}, "due": at(days=2).isoformat()},
    )
    p = project(agreement, [transition("a", "breached", at(days=3))], until=at(days=4))
    assert [e.state.value for e in p.entries if e.commitment == "b"] == ["overdue", "lapsed"]


def test_started_commitment_never_lapses() -> None:
    agreement = make_agreement(
        {"slug": "a"}, {"slug": "b", "ends": {"after": "a", "enters": "fulfilled"}})
    p = project(agreement, [transition("a", "breached", at(1))], until=at(5))
    assert p.tracks["b"].state is State.ACTIVE


def test_ends_condition_fulfils_a_running_restraint() -> None:
    p = project(syria_like(), [transition("calm", "fulfilled", at(days=4)),
                            transition("centre", "fulfilled", at(days=5)),
                            transition("targeting", "fulfilled", at(days=6))], until=at(days=7))
    assert p.tracks["lists-only"].state is State.FULFILLED
    assert "targeting became fulfilled" in p.tracks["lists-only"].cause


def test_suspension_breaks_a_hold_and_resume_starts_it_again() -> None:
    records = [transition("calm", "suspended", at(days=5)), transition("calm", "active", at(days=6))]
    p = project(syria_like(), records, until=at(days=12.9))
    assert p.tracks["calm"].state is State.ACTIVE
    p = project(syria_like(), records, until=at(days=13))
    assert p.tracks["calm"].state is State.FULFILLED and p.tracks["calm"].since == at(days=13)


def test_requirement_any_of_is_met_by_either_term() -> None:
    agreement = make_agreement(
        {"slug": "a", "starts": at(days=30).isoformat()}, {"slug": "b"},
        {"slug": "c", "requires": {"any_of": {"a": "active", "b": "fulfilled"}}})
    p = project(agreement, [transition("b", "fulfilled", at(3))], until=at(4))
    assert p.tracks["c"].state is State.ACTIVE and p.tracks["c"].since == at(3)


def test_clock_decision_comes_before_an_analyst_record_at_the_same_instant() -> None:
    agreement = make_agreement({"slug": "x", "due": at(5).isoformat()})
    p = project(agreement, [transition("x", "fulfilled", at(5))], until=at(6))
    assert [e.state.value for e in p.entries] == ["active", "overdue", "fulfilled"]


def test_late_record_undoes_the_clock_decision_it_contradicts() -> None:
    late = transition("calm", "breached", at(days=9), recorded=at(days=11))
    p = project(syria_like(), [late], until=at(days=12))
    assert p.tracks["calm"].state is State.BREACHED
    assert p.tracks["centre"].state is State.LAPSED
    before = known_at(syria_like(), [late], at=at(days=10.5))
    assert before.tracks["calm"].state is State.FULFILLED
    assert before.tracks["centre"].state is State.ACTIVE


def test_late_record_overrides_a_later_analyst_record_it_makes_impossible() -> None:
    fulfilled = transition("centre", "fulfilled", at(days=11), recorded=at(days=11))
    late = transition("calm", "breached", at(days=9), recorded=at(days=12))
    p = project(syria_like(), [fulfilled, late], until=at(days=13))
    assert fulfilled.id in p.overridden
    assert "cannot become fulfilled: it was lapsed" in p.overridden[fulfilled.id].cause
    assert p.overridden[fulfilled.id].by_record is None  # the clock lapsed it, after `late`


def test_retraction_undoes_an_analyst_record() -> None:
    breach = transition("calm", "breached", at(days=5), recorded=at(days=5))
    undo = retraction(breach, at(days=6))
    assert states(syria_like(), [breach, undo], until=at(days=11))["calm"] == "fulfilled"
    assert known_at(syria_like(), [breach, undo], at=at(days=5.5)).tracks["calm"].state \
        is State.BREACHED


def test_resuming_from_any_instant_equals_the_full_replay() -> None:
    agreement = syria_like()
    records = [transition("aid", "suspended", at(days=4)), transition("aid", "active", at(days=5)),
               transition("calm", "breached", at(days=8), recorded=at(days=11))]
    full = project(agreement, records, until=at(days=20))
    for cut in (at(days=2), at(days=4), at(days=8), at(days=10), at(days=15)):
        prefix = [e for e in full.entries if e.at < cut]
        base = tracks_at(project(agreement, [], until=at(0)).tracks, prefix, at=cut)
        rest = [r for r in effective(records) if r.occurred_at >= cut]
        resumed = resume(agreement, base, rest, since=cut, until=at(days=20))
        assert {k: (t.state, t.since) for k, t in resumed.tracks.items()} == \
            {k: (t.state, t.since) for k, t in full.tracks.items()}


def test_scenarios_resolve_happened_and_did_not_happen() -> None:
    agreement = make_agreement(
        {"slug": "a"}, {"slug": "b", "starts": at(days=30).isoformat()},
        scenarios=[{"slug": "yes", "title": "y", "when": {"all_of": {"a": "breached"}}},
                   {"slug": "no", "title": "n", "when": {"all_of": {"a": "fulfilled"}}},
                   {"slug": "open", "title": "o", "when": {"all_of": {"b": "active"}}}])
    p = project(agreement, [transition("a", "breached", at(2))], until=at(3))
    outcomes = {s.slug: resolve(s, p.tracks, now=p.until) for s in agreement.scenarios}
    assert outcomes["yes"].outcome is Outcome.HAPPENED and outcomes["yes"].resolved_at == at(2)
    assert outcomes["no"].outcome is Outcome.DID_NOT_HAPPEN
    assert outcomes["open"].outcome is Outcome.OPEN
