"""The synthetic agreement and its log: one definition, the same records in every form a benchmark
needs (record files for `tracker load`, NewRecords for the store, plain rows for the baseline).

Every record is valid when recorded: instants only increase, and each commitment's transitions
alternate suspended / active (a suspension and its resume) after it has started.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.domain.records import RecordKind, Source
from tracker.domain.states import State
from tracker.seeds.reader import MAX_BYTES
from tracker.services.appending import NewRecord

SLUG = "bench-agreement"
ANNOUNCED = datetime(2020, 1, 1, tzinfo=UTC)
STARTS = ANNOUNCED + timedelta(days=1)
FIRST_RECORD = ANNOUNCED + timedelta(days=2)
STEP = timedelta(minutes=5)  # 100,000 records span about a year
REPORTED_AFTER = timedelta(minutes=30)  # recorded_at - occurred_at
FAR = "P3650D"  # holds and deadlines that do not come due while the log runs
TRANSITION_EVERY = 10  # one record in ten is a transition
SPARE = "spare"  # a commitment no record names: benchmark 3 sends its late record there


@dataclass(frozen=True)
class Workload:
    commitments: int
    records: list[NewRecord]

    @property
    def now(self) -> datetime:
        """The clock for loading and reading: an hour after the last record was recorded."""
        return self.records[-1].recorded_at + timedelta(hours=1)

    def occurred(self, index: int) -> datetime:
        return occurred_at(index)


def occurred_at(index: int) -> datetime:
    return FIRST_RECORD + index * STEP


def build(commitments: int, records: int) -> Workload:
    return Workload(commitments, [_record(i, commitments) for i in range(records)])


def slugs(commitments: int) -> list[str]:
    return [f"c-{i:04d}" for i in range(commitments)]


def seed(commitments: int) -> dict[str, Any]:
    """Return the seed document: five kinds of commitment in turn, a spare one, two scenarios."""
    names = slugs(commitments)
    defs = [_commitment(i, names) for i in range(commitments)]
    defs.append({"slug": SPARE, "title": "Spare", "owed_by": ["a"], "starts": _iso(STARTS)})
    return {
        "agreement": {"slug": SLUG, "title": "Benchmark agreement", "timezone": "Europe/Kyiv",
                      "parties": ["a", "b"], "announced_at": _iso(ANNOUNCED)},
        "commitments": defs,
        "scenarios": [
            {"slug": "collapse", "title": "Collapse",
             "when": {"any_of": {names[0]: "breached", names[1]: "breached"}}},
            {"slug": "all-held", "title": "All held",
             "when": {"all_of": {names[2]: "fulfilled", names[3]: "fulfilled"}}},
        ],
    }


def _commitment(i: int, names: list[str]) -> dict[str, Any]:
    base: dict[str, Any] = {"slug": names[i], "title": f"Commitment {i}", "owed_by": ["a"],
                            "owed_to": ["b"], "starts": _iso(STARTS)}
    kind = i % 5
    if kind == 1:  # starts when the previous one does
        base["starts"] = {"after": names[i - 1], "enters": "active"}
    elif kind == 2:
        base["hold_for"] = FAR
    elif kind == 3:
        base["due"] = {"after_start": FAR}
    elif kind == 4:  # an hour after one starts, once another is active; a fixed deadline
        base["starts"] = {"after": names[i - 4], "enters": "active", "offset": "PT1H"}
        base["requires"] = {"all_of": {names[i - 3]: "active"}}
        base["due"] = _iso(ANNOUNCED + timedelta(days=3650))
    return base


def _record(i: int, commitments: int) -> NewRecord:
    occurred = occurred_at(i)
    source = Source(f"https://example.org/reports/{i}", f"Monitoring report {i}", "B", 2)
    if i % TRANSITION_EVERY:
        slug = f"c-{i % commitments:04d}"
        return NewRecord(RecordKind.OBSERVATION, slug, occurred, occurred + REPORTED_AFTER,
                         f"analyst-{i % 7}", f"records[{i}]", confidence=0.8, sources=(source,),
                         summary=f"Monitors report {slug} unchanged on day {i // 288}.",
                         fingerprint=_fingerprint(i))
    nth = i // TRANSITION_EVERY
    slug = f"c-{nth % commitments:04d}"
    state = State.SUSPENDED if (nth // commitments) % 2 == 0 else State.ACTIVE
    return NewRecord(RecordKind.TRANSITION, slug, occurred, occurred + REPORTED_AFTER,
                     f"analyst-{i % 7}", f"records[{i}]", state=state, confidence=0.9,
                     reason=f"{state.value} after talks", summary=f"Talks moved {slug}.",
                     sources=(source,), fingerprint=_fingerprint(i))


def _fingerprint(i: int) -> str:
    return hashlib.sha256(f"{SLUG}/{i}".encode()).hexdigest()


def _iso(instant: datetime) -> str:
    return instant.isoformat()


# -- files for `tracker load` ----------------------------------------------------------------


def write_seed(folder: Path, commitments: int) -> Path:
    path = folder / f"{SLUG}.yaml"
    path.write_text(json.dumps(seed(commitments), indent=1))  # JSON is YAML
    return path


def write_record_files(folder: Path, records: list[NewRecord]) -> list[Path]:
    """Write the records as block-style record files, split to stay under the loader's size cap."""
    chunks = [_record_yaml(r) for r in records]
    header = f"agreement: {SLUG}\nrecords:\n"
    paths: list[Path] = []
    current: list[str] = []
    size = len(header)
    for chunk in chunks + [None]:
        if chunk is None or size + len(chunk) > MAX_BYTES * 0.95:
            path = folder / f"records-{len(paths):02d}.record.yaml"
            path.write_text(header + "".join(current))
            paths.append(path)
            current, size = [], len(header)
        if chunk is not None:
            current.append(chunk)
            size += len(chunk)
    return paths


def _record_yaml(r: NewRecord) -> str:
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    lines = [f"  - commitment: {r.commitment}", f"    kind: {r.kind.value}"]
    if r.state is not None:
        lines.append(f"    state: {r.state.value}")
    lines += [f"    occurred_at: {q(_iso(r.occurred_at))}",
              f"    recorded_at: {q(_iso(r.recorded_at))}", f"    by: {r.by}"]
    if r.reason:
        lines.append(f"    reason: {q(r.reason)}")
    lines += [f"    summary: {q(r.summary)}", f"    confidence: {r.confidence}", "    sources:"]
    for s in r.sources:
        lines += [f"      - url: {s.url}", f"        title: {q(s.title)}",
                  f"        reliability: {s.reliability}", f"        credibility: {s.credibility}"]
    return "\n".join(lines) + "\n"


# -- plain rows for the executemany baseline -------------------------------------------------


def raw_rows(records: list[NewRecord], agreement_id: int, commitment_ids: dict[str, int],
             first_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the record rows (ids given, so sources can name them) and their source rows."""
    rows, sources = [], []
    for offset, r in enumerate(records):
        record_id = first_id + offset
        rows.append({
            "id": record_id, "agreement_id": agreement_id,
            "commitment_id": commitment_ids[r.commitment], "kind": r.kind.value,
            "state": r.state.value if r.state else None, "occurred_at": r.occurred_at,
            "recorded_at": r.recorded_at, "by": r.by, "reason": r.reason, "summary": r.summary,
            "confidence": r.confidence, "retracts_id": None, "fingerprint": r.fingerprint,
        })
        sources += [{"record_id": record_id, "position": p, "url": s.url, "title": s.title,
                     "reliability": s.reliability, "credibility": s.credibility}
                    for p, s in enumerate(r.sources)]
    return rows, sources
