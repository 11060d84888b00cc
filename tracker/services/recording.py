"""Use cases that add analyst records: a transition, an observation, a retraction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from ..domain.errors import DomainError
from ..domain.records import RecordKind, Source
from ..domain.states import State, parse_state
from ..domain.timefmt import local
from ..store import queries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow, CommitmentRow
from .access import audit_about, guarded
from .alerting import AlertPolicy
from .app import App
from .appending import NewRecord, append
from .errors import NotFound, StaleVersion
from .validation import check_by, check_confidence, check_text, make_sources


@dataclass(frozen=True)
class Recorded:
    """The new record's id, and the other records a late record has overridden."""

    record_id: int
    overridden: list[int]


@dataclass(frozen=True)
class Evidence:
    """What backs a record: sources with their grades, and the analyst's confidence.

    `urls` share one grade (the CLI's flags); `graded` carry their own (a form's rows).
    """

    urls: Sequence[str] = ()
    reliability: str | None = None
    credibility: int | None = None
    confidence: float | None = None
    graded: Sequence[Source] = ()

    def sources(self) -> tuple[Source, ...]:
        own = tuple(s for g in self.graded
                    for s in make_sources([g.url], g.reliability, g.credibility, title=g.title))
        return own + make_sources(self.urls, self.reliability, self.credibility)


@guarded("record transition", role="analyst", about="agreement")
def record_transition(app: App, target: str, state: str, *, occurred_at: datetime, by: str,
                      reason: str = "", evidence: Evidence = Evidence(),
                      expect_version: int | None = None, force: bool = False) -> Recorded:
    """Record that AGREEMENT/COMMITMENT moved to `state` at `occurred_at`; `force` records a
    start whose starts/requires were not met then (it needs a reason, and is marked forced)."""
    new_state = parse_state(state)
    if force and new_state is not State.ACTIVE:
        raise DomainError(f"--force: only a start (active) can be forced, not {new_state.value}; "
                          "drop --force")
    if force and not reason.strip():
        raise DomainError("--reason: a forced start needs a reason; say why it started although "
                          "its requirements were not met")
    return _record(app, target, RecordKind.TRANSITION, occurred_at=occurred_at, by=by,
                   state=new_state, reason=check_text(reason, field="--reason"),
                   evidence=evidence, expect_version=expect_version, forced=force)


@guarded("record observation", role="analyst", about="agreement")
def record_observation(app: App, target: str, *, occurred_at: datetime, by: str, summary: str,
                       evidence: Evidence = Evidence(),
                       expect_version: int | None = None) -> Recorded:
    """Record what was seen on a commitment, without changing its state."""
    if not summary.strip():
        raise DomainError("--summary: an observation needs a summary of what was seen")
    return _record(app, target, RecordKind.OBSERVATION, occurred_at=occurred_at, by=by,
                   summary=check_text(summary, field="--summary"), evidence=evidence,
                   expect_version=expect_version)


@guarded("retract", role="analyst")
def retract(app: App, record_id: int, *, by: str, reason: str) -> Recorded:
    """Undo an analyst's record with a new record that names it; nothing is deleted."""
    if not reason.strip():
        raise DomainError("--reason: say why the record is retracted")
    with unit_of_work(app.database_url) as session:
        target = queries.record_by_id(session, record_id)
        if target is None:
            raise NotFound(f"RECORD_ID: no record #{record_id}; see `tracker history` for ids")
        if target.kind == RecordKind.RETRACTION.value:
            raise DomainError(f"RECORD_ID: #{record_id} is itself a retraction; retract the "
                              "original record's correction with a new record instead")
        # Locked like every write, so two retractions of one record queue and the second
        # is told it is retracted already; the clock is read once the lock is ours.
        row = _agreement_by_id(session, target.agreement_id, lock=True)
        audit_about(row.slug)
        now = app.clock()
        if queries.retraction_of(session, record_id) is not None:
            raise DomainError(f"RECORD_ID: #{record_id} is already retracted")
        commitment = _commitment_by_id(session, row, target.commitment_id)
        new = NewRecord(RecordKind.RETRACTION, commitment.slug, target.occurred_at, now,
                        check_by(by), "", reason=check_text(reason, field="--reason"),
                        retracts=record_id)
        done = append(session, row, [new], now=now, policy=AlertPolicy.of(app),
                      replay_from=target.occurred_at)
        return Recorded(done.ids[0], done.change.newly_overridden)


def _record(app: App, target: str, kind: RecordKind, *, occurred_at: datetime, by: str,
            evidence: Evidence, expect_version: int | None, state: State | None = None,
            reason: str = "", summary: str = "", forced: bool = False) -> Recorded:
    agreement_slug, commitment_slug = split_target(target)
    sources = evidence.sources()
    confidence = check_confidence(evidence.confidence)
    with unit_of_work(app.database_url) as session:
        row = agreement_or_fail(session, agreement_slug, lock=True)
        # Read once the lock is ours: a writer that read the clock earlier but locked later
        # would be refused as "before the latest record" by no fault of its user.
        now = app.clock()
        commitment = commitment_or_fail(session, row, commitment_slug)
        if expect_version is not None and commitment.version != expect_version:
            raise StaleVersion(
                f"--expect-version: {target} changed by {commitment.changed_by} at "
                f"{local(commitment.changed_at, row.timezone)} (version {commitment.version}, "
                f"you had {expect_version}); reload and try again")
        new = NewRecord(kind, commitment_slug, occurred_at, now, check_by(by), "", state=state,
                        reason=reason, summary=summary, confidence=confidence, sources=sources,
                        forced=forced)
        done = append(session, row, [new], now=now, policy=AlertPolicy.of(app))
        others = [i for i in done.change.newly_overridden if i not in done.ids]
        return Recorded(done.ids[0], others)


def split_target(target: str) -> tuple[str, str]:
    """Return (agreement, commitment) from 'AGREEMENT/COMMITMENT'."""
    agreement, sep, commitment = target.partition("/")
    if not sep or not agreement or not commitment or "/" in commitment:
        raise DomainError(f"AGREEMENT/COMMITMENT: {target!r} is not of that form; write e.g. "
                          "us-russia-syria-2016/seven-day-calm")
    return agreement, commitment


def agreement_or_fail(session: Session, slug: str, *, lock: bool = False) -> AgreementRow:
    row = queries.agreement_by_slug(session, slug, lock=lock)
    if row is None:
        known = ", ".join(a.slug for a in queries.agreements(session)) or "none loaded yet"
        raise NotFound(f"AGREEMENT: {slug!r} is not loaded (loaded: {known}); "
                       "load its seed with `tracker load`")
    return row


def commitment_or_fail(session: Session, row: AgreementRow, slug: str) -> CommitmentRow:
    assert row.id is not None
    rows = queries.commitments(session, row.id)
    for c in rows:
        if c.slug == slug:
            return c
    raise NotFound(f"COMMITMENT: {slug!r} is not a commitment of {row.slug}; use one of "
                   f"{', '.join(c.slug for c in rows)}")


def _agreement_by_id(session: Session, agreement_id: int, *, lock: bool = False) -> AgreementRow:
    row = session.get(AgreementRow, agreement_id, with_for_update=lock, populate_existing=lock)
    assert row is not None
    return row


def _commitment_by_id(session: Session, row: AgreementRow,
                      commitment_id: int | None) -> CommitmentRow:
    commitment = session.get(CommitmentRow, commitment_id) if commitment_id else None
    assert commitment is not None, "every transition and observation names a commitment"
    return commitment

