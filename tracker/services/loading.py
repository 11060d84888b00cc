"""Use cases `load` and `validate`: seed files and record files, all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from ..domain.errors import DomainError
from ..domain.projection import initial_tracks
from ..domain.records import RecordKind, Source
from ..seeds import AgreementSeed, RecordFile, read_documents
from ..seeds.convert import to_domain
from ..seeds.schema import RecordIn
from ..store import queries
from ..store.codec import track_to_json
from ..store.db import unit_of_work
from ..store.tables import AgreementRow, CommitmentRow, ScenarioRow
from .access import acting_user, guarded, unaudited
from .alerting import AlertPolicy, raise_alerts
from .app import App
from .appending import NewRecord, append
from .projecting import reproject
from .recording import agreement_or_fail


def validate(paths: Sequence[str | Path]) -> list[str]:
    """Return one line per valid file; raise a SeedError listing every problem otherwise."""
    return [_describe(path, doc) for path, doc in read_documents(paths)]


@guarded("load", role="admin")
def load(app: App, paths: Sequence[str | Path]) -> list[str]:
    """Load seeds, then record files, in one transaction; return what each file did."""
    documents = read_documents(paths)
    seeds = [(p, d) for p, d in documents if isinstance(d, AgreementSeed)]
    record_files = [(p, d) for p, d in documents if isinstance(d, RecordFile)]
    now = app.clock()
    policy = AlertPolicy.of(app)
    loader = acting_user()  # team mode: the records keep their `by` and say who loaded them
    with unit_of_work(app.database_url) as session:
        done = [load_seed(session, path, seed, now=now, policy=policy) for path, seed in seeds]
        done += [load_records(session, path, doc, now=now, policy=policy, loaded_by=loader)
                 for path, doc in record_files]
        if not any(changed for _, changed in done):
            unaudited()  # `make run` loads the bundled seeds at every start: no news there
    return [message for message, _ in done]


def load_seed(session: Session, path: Path, seed: AgreementSeed, *, now: datetime,
              policy: AlertPolicy) -> tuple[str, bool]:
    """Store a seed's agreement; return what happened and whether anything was written."""
    definition = seed.model_dump(mode="json")
    fingerprint = digest(definition)
    slug = seed.agreement.slug
    existing = queries.agreement_by_slug(session, slug, lock=True)
    if existing is not None:
        added = set(queries.scenarios_added(session, existing.id or 0))
        if existing.definition_hash == fingerprint or _extends(existing.definition, definition,
                                                               added):
            return f"{path}: {slug} is already loaded, unchanged", False
        raise DomainError(f"{path}: agreement {slug!r} is already loaded with a different "
                          "definition; a loaded agreement's rules cannot be changed, so give "
                          "this one a new slug")
    agreement = to_domain(seed)
    row = AgreementRow(slug=slug, title=seed.agreement.title, timezone=seed.agreement.timezone,
                       definition=definition, definition_hash=fingerprint,
                       announced_at=agreement.announced_at, loaded_at=now,
                       projected_until=agreement.announced_at)
    session.add(row)
    session.flush()
    assert row.id is not None
    for ordinal, (c, track) in enumerate(initial_tracks(agreement).items()):
        assert track.since is not None
        session.add(CommitmentRow(
            agreement_id=row.id, slug=c, ordinal=ordinal, title=agreement.commitment(c).title,
            state=track.state.value, since=track.since, cause=track.cause,
            track=track_to_json(track), changed_by="loader", changed_at=now))
    for s in agreement.scenarios:
        session.add(ScenarioRow(agreement_id=row.id, slug=s.slug, title=s.title,
                                group_name=s.group))
    session.flush()
    change = reproject(session, row, since=agreement.announced_at, now=now, by="clock")
    raise_alerts(session, row, change, policy=policy, now=now)
    return (f"{path}: loaded {slug} ({len(agreement.commitments)} commitments, "
            f"{len(agreement.scenarios)} scenarios)", True)


def load_records(session: Session, path: Path, doc: RecordFile, *, now: datetime,
                 policy: AlertPolicy, loaded_by: str | None = None) -> tuple[str, bool]:
    """Append a record file's new records; return what happened and whether any were new."""
    row = agreement_or_fail(session, doc.agreement, lock=True)
    assert row.id is not None
    known = queries.fingerprints(session, row.id)
    new = []
    for i, record in enumerate(doc.records):
        where = f"{path}: records[{i}]"
        _check_shape(where, record)
        fingerprint = digest({"agreement": doc.agreement, **record.model_dump(mode="json")})
        if fingerprint not in known:
            new.append(_new_record(where, record, fingerprint, now, loaded_by))
            known.add(fingerprint)
    if not new:
        return f"{path}: all {len(doc.records)} records of {row.slug} already loaded", False
    append(session, row, new, now=now, policy=policy)
    skipped = len(doc.records) - len(new)
    return (f"{path}: appended {len(new)} records to {row.slug}"
            + (f" ({skipped} already loaded)" if skipped else ""), True)


def _check_shape(where: str, record: RecordIn) -> None:
    if record.kind == "transition" and record.state is None:
        raise DomainError(f"{where}.state: a transition needs the state it moves to")
    if record.kind == "observation" and record.state is not None:
        raise DomainError(f"{where}.state: an observation changes no state; make it a "
                          "transition or drop `state`")
    if record.kind == "observation" and not record.summary.strip():
        raise DomainError(f"{where}.summary: an observation needs a summary of what was seen")


def _new_record(where: str, r: RecordIn, fingerprint: str, now: datetime,
                loaded_by: str | None) -> NewRecord:
    sources = tuple(Source(s.url, s.title, s.reliability, s.credibility) for s in r.sources)
    return NewRecord(RecordKind(r.kind), r.commitment, r.occurred_at, r.recorded_at or now,
                     r.by, where, state=r.state, reason=r.reason, summary=r.summary,
                     confidence=r.confidence, sources=sources, fingerprint=fingerprint,
                     loaded_by=loaded_by)


def _extends(stored: dict[str, Any], seed: dict[str, Any], added: set[str]) -> bool:
    """Return True when `stored` is exactly `seed` plus the scenarios analysts `added` later."""
    own = [s for s in stored.get("scenarios", []) if s.get("slug") not in added]
    return bool(added) and {**stored, "scenarios": own} == seed


def _describe(path: Path, doc: AgreementSeed | RecordFile) -> str:
    if isinstance(doc, AgreementSeed):
        return (f"{path}: valid seed for {doc.agreement.slug} ({len(doc.commitments)} "
                f"commitments, {len(doc.scenarios)} scenarios)")
    return f"{path}: valid record file for {doc.agreement} ({len(doc.records)} records)"


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
