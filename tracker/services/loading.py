"""Use cases `load` and `validate`: seed files and record files, all or nothing."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from ..domain.errors import DomainError
from ..domain.projection import initial_tracks
from ..domain.records import RecordKind, Source
from ..domain.states import State
from ..seeds import AgreementSeed, RecordFile, read_documents
from ..seeds.convert import to_domain
from ..seeds.reader import ReadFile, SeedError
from ..seeds.schema import RecordIn
from ..store import queries
from ..store.codec import track_to_json
from ..store.db import unit_of_work
from ..store.migrate import current_revision, head_revision, upgrade
from ..store.tables import AgreementRow, CommitmentRow, ScenarioRow
from .access import acting_user, guarded, unaudited
from .alerting import AlertPolicy, raise_alerts
from .app import App
from .appending import NewRecord, append
from .errors import NotFound
from .projecting import reproject
from .recording import agreement_or_fail


def validate(paths: Sequence[str | Path], *, app: App | None = None) -> list[str]:
    """Return one line per valid file; raise a SeedError listing every problem otherwise.

    Every check `load` makes is made, by loading in a transaction that is always rolled back:
    against `app`'s database where it is initialised (so a record file is checked against the
    agreement as loaded), else against an empty scratch database (the files given alone).
    """
    documents = read_documents(paths)
    url, note = _database_to_check(app)
    now = app.clock() if app is not None else _latest_instant(documents)
    with unit_of_work(url, dry_run=True) as session:
        _load_all(session, documents, now=now, policy=AlertPolicy())
    return [_describe(f.path, f.document) for f in documents] + ([note] if note else [])


@guarded("load", role="admin")
def load(app: App, paths: Sequence[str | Path]) -> list[str]:
    """Load seeds, then record files, in one transaction; return what each file did."""
    documents = read_documents(paths)
    now = app.clock()
    loader = acting_user()  # team mode: the records keep their `by` and say who loaded them
    with unit_of_work(app.database_url) as session:
        done = _load_all(session, documents, now=now, policy=AlertPolicy.of(app),
                         loaded_by=loader)
        if not any(changed for _, changed in done):
            unaudited()  # `make run` loads the bundled seeds at every start: no news there
    return [message for message, _ in done]


def _load_all(session: Session, documents: list[ReadFile], *, now: datetime,
              policy: AlertPolicy, loaded_by: str | None = None) -> list[tuple[str, bool]]:
    """Load seeds, then record files; return what each did, or raise one SeedError naming
    every problem of every file (a file's refusal does not hide the next file's)."""
    seeds = [f for f in documents if isinstance(f.document, AgreementSeed)]
    record_files = [f for f in documents if isinstance(f.document, RecordFile)]
    done: list[tuple[str, bool]] = []
    problems: list[str] = []
    for f in seeds + record_files:
        try:
            if isinstance(f.document, AgreementSeed):
                done.append(load_seed(session, f.path, f.document, now=now, policy=policy))
            else:
                done.append(load_records(session, f, now=now, policy=policy, loaded_by=loaded_by))
        except DomainError as error:
            problems.extend(str(error).splitlines())
    if problems:
        raise SeedError(problems)
    return done


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


def load_records(session: Session, read: ReadFile, *, now: datetime,
                 policy: AlertPolicy, loaded_by: str | None = None) -> tuple[str, bool]:
    """Append a record file's new records; return what happened and whether any were new."""
    path, doc = read.path, read.document
    assert isinstance(doc, RecordFile)
    try:
        row = agreement_or_fail(session, doc.agreement, lock=True)
    except NotFound as error:
        raise NotFound(f"{read.where('agreement')}: {str(error).partition(': ')[2]}, or give "
                       "its seed file in the same command") from None
    assert row.id is not None
    known = queries.fingerprints(session, row.id)
    new = []
    shapes = [p for i, r in enumerate(doc.records) for p in _shape_problems(read, i, r)]
    if shapes:
        raise SeedError(shapes)
    for i, record in enumerate(doc.records):
        where = read.where(f"records[{i}]")
        fingerprint = record_fingerprint(doc.agreement, record)
        if fingerprint not in known:
            new.append(_new_record(where, record, fingerprint, now, loaded_by))
            known.add(fingerprint)
    if not new:
        return f"{path}: all {len(doc.records)} records of {row.slug} already loaded", False
    append(session, row, new, now=now, policy=policy)
    skipped = len(doc.records) - len(new)
    return (f"{path}: appended {len(new)} records to {row.slug}"
            + (f" ({skipped} already loaded)" if skipped else ""), True)


def record_fingerprint(agreement: str, record: RecordIn) -> str:
    """Return what identifies a record of a file, so that loading a file twice adds nothing.
    `force` counts only when set: records loaded before it existed keep their fingerprints."""
    fields = record.model_dump(mode="json")
    if not record.force:
        fields.pop("force")
    return digest({"agreement": agreement, **fields})


def _shape_problems(read: ReadFile, i: int, record: RecordIn) -> list[str]:
    here = f"records[{i}]"
    if record.force and (record.kind != "transition" or record.state is not State.ACTIVE):
        return [f"{read.where(here + '.force')}: only a start (a transition to active) can be "
                "forced; remove `force`"]
    if record.force and not record.reason.strip():
        return [f"{read.where(here + '.force')}: a forced start needs a reason; add `reason`"]
    if record.kind == "transition" and record.state is None:
        return [f"{read.where(here)}.state: a transition needs the state it moves to"]
    if record.kind == "observation" and record.state is not None:
        return [f"{read.where(here + '.state')}: an observation changes no state; make it a "
                "transition or drop `state`"]
    if record.kind == "observation" and not record.summary.strip():
        return [f"{read.where(here)}.summary: an observation needs a summary of what was seen"]
    return []


def _new_record(where: str, r: RecordIn, fingerprint: str, now: datetime,
                loaded_by: str | None) -> NewRecord:
    sources = tuple(Source(s.url, s.title, s.reliability, s.credibility) for s in r.sources)
    return NewRecord(RecordKind(r.kind), r.commitment, r.occurred_at, r.recorded_at or now,
                     r.by, where, state=r.state, reason=r.reason, summary=r.summary,
                     confidence=r.confidence, sources=sources, fingerprint=fingerprint,
                     recorded_by_clock=r.recorded_at is None, forced=r.force,
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


def _database_to_check(app: App | None) -> tuple[str, str]:
    """Return the database `validate` loads into (and rolls back), and a note when it is not
    the user's own: an empty scratch one, when that is missing or not initialised."""
    if app is not None:
        trouble = _not_ready(app.database_url)
        if trouble is None:
            return app.database_url, ""
        return scratch_database(), (f"note: {trouble}, so the files were checked against each "
                                    "other only, not against the loaded agreements")
    return scratch_database(), ""


def _not_ready(url: str) -> str | None:
    """Return why the database at `url` cannot be checked against, or None when it can."""
    sqlite_file = make_url(url).database if url.startswith("sqlite") else None
    if sqlite_file and sqlite_file != ":memory:" and not Path(sqlite_file).exists():
        return "the database does not exist yet"  # and validate must not create it
    try:
        if current_revision(url) != head_revision(url):
            return "the database is not initialised (run `tracker init`)"
    except DBAPIError as error:
        return f"the database cannot be reached ({str(error.orig).splitlines()[0]})"
    return None


_scratch: list[str] = []


def scratch_database() -> str:
    """Return an empty, migrated SQLite database for this process (made once: every use of it
    is rolled back, so it stays empty)."""
    if not _scratch:
        folder = tempfile.mkdtemp(prefix="tracker-validate-")
        url = f"sqlite:///{Path(folder) / 'scratch.db'}"
        upgrade(url)
        _scratch.append(url)
    return _scratch[0]


def _latest_instant(documents: list[ReadFile]) -> datetime:
    """Return a clock for a check without an App: the latest instant the files name."""
    instants = [r.recorded_at or r.occurred_at for f in documents
                if isinstance(f.document, RecordFile) for r in f.document.records]
    instants += [f.document.agreement.announced_at for f in documents
                 if isinstance(f.document, AgreementSeed)]
    return max(instants)
