"""Append analyst records to the log and re-project: the one write path for every record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from ..domain.errors import DomainError, TransitionRefused
from ..domain.projection import known_at
from ..domain.records import RecordKind, Source
from ..domain.states import State
from ..domain.timefmt import local, utc_z
from ..store import queries
from ..store.forecasts import latest_forecast_at
from ..store.tables import AgreementRow, RecordRow, SourceRow, table_of
from .alerting import AlertPolicy, raise_alerts
from .projecting import Change, agreement_model, reproject


@dataclass(frozen=True)
class NewRecord:
    """A record as a caller gives it, before it has an id. `where` names it in errors."""

    kind: RecordKind
    commitment: str
    occurred_at: datetime
    recorded_at: datetime
    by: str
    where: str
    state: State | None = None
    reason: str = ""
    summary: str = ""
    confidence: float | None = None
    sources: tuple[Source, ...] = ()
    retracts: int | None = None
    fingerprint: str | None = None
    recorded_by_clock: bool = True  # False: a record file gave its own recorded_at
    forced: bool = False  # a start whose starts/requires were not met, recorded anyway
    loaded_by: str | None = None


@dataclass
class Appended:
    ids: list[int] = field(default_factory=list)
    change: Change = field(default_factory=Change)


def append(session: Session, row: AgreementRow, new: Sequence[NewRecord], *, now: datetime,
           policy: AlertPolicy, replay_from: datetime | None = None) -> Appended:
    """Return the ids of `new` appended to the log and the change to the projection.

    1. check each record's instants against the clock, the log's order and the agreement;
    2. insert the records and their sources;
    3. re-project once from the earliest instant they touch;
    4. refuse the lot if one of them was not allowed when it was recorded;
    5. raise the alerts the change calls for (a late record's revisions among them).
    """
    assert row.id is not None
    agreement = agreement_model(row)
    # Forecasts are records of the log too: nothing may be recorded before the latest of either.
    latest = max((t for t in (queries.latest_recorded_at(session, row.id),
                              latest_forecast_at(session, row.id)) if t is not None),
                 default=None)
    ids_by_slug = {c.slug: c.id for c in queries.commitments(session, row.id)}
    problems: list[str] = []
    for record in new:
        try:
            _check_instants(row, record, latest=latest, now=now)
        except DomainError as error:
            problems.append(str(error))
        latest = max(latest or record.recorded_at, record.recorded_at)
        if not agreement.has_commitment(record.commitment):
            problems.append(f"{record.where}.commitment: {record.commitment!r} is not a commitment of "
                            f"{row.slug}; use one of {', '.join(sorted(ids_by_slug))}")
    if problems:  # every bad record of a file at once, not the first of five typos
        raise DomainError("\n".join(problems))
    ids = _insert(session, row, ids_by_slug, new)
    since = min([r.occurred_at for r in new] + ([replay_from] if replay_from else []))
    touched = frozenset(r.commitment for r in new)
    causes = [(i, r.commitment, r.occurred_at, r.recorded_at)
              for i, r in zip(ids, new, strict=True)]
    change = reproject(session, row, since=since, now=now, by=new[-1].by, touched=touched,
                       causes=causes)
    refused = [i for i in ids if i in change.newly_overridden]
    if refused:
        recorded = {i: (n.recorded_at, n.where) for i, n in zip(ids, new, strict=True)}
        _refuse_if_invalid_when_recorded(session, row, recorded, refused)
    raise_alerts(session, row, change, policy=policy, now=now)
    return Appended(ids, change)


def _check_instants(row: AgreementRow, record: NewRecord, *, latest: datetime | None,
                    now: datetime) -> None:
    tz = row.timezone
    where = f"{record.where}: " if record.where else ""
    if record.recorded_at > now:
        raise DomainError(f"{where}recorded_at {utc_z(record.recorded_at)} is after the "
                          f"clock {utc_z(now)}; a record cannot be recorded in the future")
    if latest is not None and record.recorded_at < latest:
        if record.recorded_by_clock:
            what, fix = "(the clock, --now) ", "use a later --now"
        else:  # the record file's own recorded_at: the clock has nothing to do with it
            what, fix = "", "order the file's records by recorded_at, or correct this one"
        raise DomainError(
            f"{where}recorded_at {utc_z(record.recorded_at)} {what}is before the latest "
            f"record of {row.slug} ({utc_z(latest)}); the log is kept in recording order, so "
            f"{fix}")
    if record.occurred_at > record.recorded_at:
        raise DomainError(f"{where}occurred_at {local(record.occurred_at, tz)} is after "
                          f"it was recorded ({local(record.recorded_at, tz)}); a record cannot "
                          "describe the future")
    if record.occurred_at < row.announced_at:
        raise DomainError(f"{where}occurred_at {local(record.occurred_at, tz)} is before "
                          f"{row.slug} was announced ({local(row.announced_at, tz)})")


def _insert(session: Session, row: AgreementRow, ids_by_slug: dict[str, int | None],
            new: Sequence[NewRecord]) -> list[int]:
    """Return the new records' ids, in order: records, then sources, as batched Core inserts
    (ORM objects cost more than the rows themselves on a 100,000-record load)."""
    # Core tables, not ORM entities: the ORM's bulk insert splits rows whose None columns
    # differ (transitions and observations) into batches of one.
    record, source = table_of(RecordRow), table_of(SourceRow)
    ids = list(session.execute(
        insert(record).returning(record.c.id, sort_by_parameter_order=True),
        [{"agreement_id": row.id, "commitment_id": ids_by_slug[r.commitment],
          "kind": r.kind.value, "state": r.state.value if r.state else None,
          "occurred_at": r.occurred_at, "recorded_at": r.recorded_at, "by": r.by,
          "reason": r.reason, "summary": r.summary, "confidence": r.confidence,
          "retracts_id": r.retracts, "fingerprint": r.fingerprint, "forced": r.forced,
          "loaded_by": r.loaded_by}
         for r in new],
    ).scalars())
    sources = [{"record_id": record_id, "position": position, "url": s.url, "title": s.title,
                "reliability": s.reliability, "credibility": s.credibility}
               for record_id, r in zip(ids, new, strict=True)
               for position, s in enumerate(r.sources)]
    if sources:
        session.execute(insert(source), sources)
    return ids


def _refuse_if_invalid_when_recorded(session: Session, row: AgreementRow,
                                     recorded: dict[int, tuple[datetime, str]],
                                     refused: list[int]) -> None:
    """Raise for the first new record the log did not allow when it was recorded.

    A new record may be overridden by a later one in the same batch (a late report in a record
    file): that is history, not an error. Only one invalid at its own recording time is refused.
    """
    assert row.id is not None
    agreement = agreement_model(row)
    slugs = {c.id: c.slug for c in queries.commitments(session, row.id) if c.id is not None}
    log = queries.records_for_projection(session, row.id, slugs)
    problems = []
    for record_id in refused:
        recorded_at, where = recorded[record_id]
        then = known_at(agreement, log, at=recorded_at)
        if record_id in then.overridden:
            cause = then.overridden[record_id].cause
            problems.append(f"{where}: {cause}" if where else cause)
    if problems:
        raise TransitionRefused("\n".join(problems))
