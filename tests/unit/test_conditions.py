"""Conditions are decided structurally, by one function, for lapses and scenarios alike (DESIGN,
"Conditions, decided structurally"): a final commitment never changes, a started one never lapses."""

from __future__ import annotations

from tracker.domain.conditions import AllOf, AnyOf, verdict
from tracker.domain.leaves import enters
from tracker.domain.projection import project
from tracker.domain.scenarios import Outcome, resolve
from tracker.domain.states import State

from ..factories import at, make_agreement, transition

NEVER_BEGINS = {"slug": "withdrawal-never-begins", "title": "never begins",
                "when": {"all_of": {"withdrawal": "lapsed"}}}


def doha_like() -> object:
    """A withdrawal that starts on a date and runs long: 'it never begins' is a lapse."""
    return make_agreement(
        {"slug": "withdrawal", "starts": at(days=10).isoformat(), "due": at(days=400).isoformat()},
        {"slug": "talks", "requires": {"all_of": {"withdrawal": "lapsed"}}},
        scenarios=[NEVER_BEGINS])


def test_a_scenario_on_a_lapse_is_decided_when_the_commitment_starts() -> None:
    agreement = doha_like()
    p = project(agreement, [], until=at(days=30))  # type: ignore[arg-type]
    outcome = resolve(agreement.scenarios[0], p.tracks, now=at(days=30))  # type: ignore[attr-defined]
    assert outcome.outcome is Outcome.DID_NOT_HAPPEN
    assert outcome.resolved_at == at(days=10)  # its start, not the end of the record


def test_a_requirement_that_a_started_commitment_lapse_lapses_at_its_start() -> None:
    p = project(doha_like(), [], until=at(days=30))  # type: ignore[arg-type]
    assert p.tracks["talks"].state is State.LAPSED
    assert p.tracks["talks"].since == at(days=10)
    assert "withdrawal was active on" in p.tracks["talks"].cause


def test_a_final_commitment_decides_what_it_never_entered_at_its_end() -> None:
    agreement = doha_like()
    p = project(agreement, [transition("withdrawal", "withdrawn", at(days=5))],  # type: ignore[arg-type]
                until=at(days=30))
    tracks, now = p.tracks, at(days=30)
    assert verdict(enters("withdrawal", State.ACTIVE), tracks, now=now).failed_at == at(days=5)
    assert verdict(enters("withdrawal", State.WITHDRAWN), tracks, now=now).met_at == at(days=5)


def test_all_of_fails_at_its_first_failed_part_and_any_of_at_its_last() -> None:
    agreement = make_agreement({"slug": "a"}, {"slug": "b"})
    p = project(agreement, [transition("a", "breached", at(days=1)),
                            transition("b", "breached", at(days=2))], until=at(days=3))
    both = (enters("a", State.FULFILLED), enters("b", State.FULFILLED))
    now = at(days=3)
    assert verdict(AllOf(both), p.tracks, now=now).failed_at == at(days=1)
    assert verdict(AnyOf(both), p.tracks, now=now).failed_at == at(days=2)
    assert verdict(AnyOf((enters("a", State.BREACHED), enters("b", State.LAPSED))),
                   p.tracks, now=now).met_at == at(days=1)


def test_an_open_condition_is_neither_met_nor_failed() -> None:
    agreement = make_agreement({"slug": "a", "starts": at(days=5).isoformat()})
    p = project(agreement, [], until=at(days=1))
    decided = verdict(enters("a", State.LAPSED), p.tracks, now=at(days=1))
    assert decided.met is None and decided.failed is None and decided.decided_at is None
