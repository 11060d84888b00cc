"""Reminders come out of the projection with the clock's decisions: before each deadline in
force, never for a deadline that moved away or no longer applies."""

from __future__ import annotations

from datetime import timedelta

from tracker.domain.projection import project, resume

from ..factories import at, make_agreement, syria_like, transition


def reminders(agreement, records, until):  # type: ignore[no-untyped-def]
    return [(n.commitment, n.rule, n.at, n.lead) for n in
            project(agreement, records, until=until).notices]


def test_each_lead_time_fires_before_the_due_instant() -> None:
    agreement = make_agreement({"slug": "x", "due": at(days=5).isoformat(),
                                "reminders": ["PT48H", "PT24H"]})
    assert reminders(agreement, [], at(days=6)) == [
        ("x", "due", at(days=3), timedelta(hours=48)), ("x", "due", at(days=4), timedelta(hours=24))]


def test_reminder_before_the_end_of_a_hold() -> None:
    agreement = make_agreement({"slug": "calm", "hold_for": "P7D", "reminders": ["PT24H"]})
    assert reminders(agreement, [], at(days=8)) == [
        ("calm", "hold_for", at(days=6), timedelta(hours=24))]


def test_no_reminder_once_the_commitment_is_fulfilled() -> None:
    agreement = make_agreement({"slug": "x", "due": at(days=5).isoformat(),
                                "reminders": ["PT24H"]})
    assert reminders(agreement, [transition("x", "fulfilled", at(days=2))], at(days=6)) == []


def test_a_deadline_that_moved_gets_reminders_for_the_new_instant_only() -> None:
    # The hold restarts on resume: the reminder for the first end of the hold never comes.
    records = [transition("calm", "suspended", at(days=5)), transition("calm", "active", at(days=6))]
    notices = reminders(make_agreement({"slug": "calm", "hold_for": "P7D",
                                        "reminders": ["PT24H"]}), records, at(days=14))
    assert notices == [("calm", "hold_for", at(days=12), timedelta(hours=24))]


def test_relative_due_gets_its_reminders_once_it_starts() -> None:
    notices = reminders(syria_like(), [], at(days=20))
    assert notices == []  # the small Syria agreement has no reminders...
    agreement = make_agreement(
        {"slug": "a", "starts": at(days=1).isoformat()},
        {"slug": "b", "starts": {"after": "a", "enters": "active"}, "due": {"after_start": "P2D"},
         "reminders": ["PT12H"]})
    assert reminders(agreement, [], at(days=4)) == [("b", "due", at(days=2.5), timedelta(hours=12))]


def test_resuming_gives_the_same_reminders_and_the_next_instant() -> None:
    agreement = make_agreement({"slug": "x", "due": at(days=5).isoformat(),
                                "reminders": ["PT48H", "PT24H"]})
    first = project(agreement, [], until=at(days=3.5))
    assert first.next_at["x"] == at(days=4)
    rest = resume(agreement, first.tracks, [], since=at(days=3.5), until=at(days=6))
    assert [n.at for n in rest.notices] == [at(days=4)]
    assert [e.state.value for e in rest.entries] == ["overdue"]
