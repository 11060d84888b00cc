"""The audit log as hash chains: each event's hash covers the previous hash and its own content.

There is one chain per agreement (events about it) and one, named "", for events about no
agreement (sign-ins, users, loads, exports, refusals), so writers to different agreements never
queue on one chain. An event edited, removed, re-ordered or moved to another chain breaks its
chain at that row; `verify` says which.

>>> first = seal({"chain": "", "seq": 1, "at": "2016-09-16T09:00:00.000000Z", "actor": "ada",
...               "role": "admin", "origin": "cli", "action": "add user", "target": "ann",
...               "outcome": "done", "detail": ""}, prev="")
>>> verify([first]) is None
True
>>> verify([{**first, "actor": "vic"}]).why
'its hash does not match its content: it was edited'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FIELDS = ("chain", "seq", "at", "actor", "role", "origin", "action", "target", "outcome", "detail")
GLOBAL = ""  # the chain of events about no agreement


def instant(value: datetime | str) -> str:
    """Return an instant as the chain hashes it: UTC, microseconds, Z (naive means UTC, as the
    store keeps it)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def canonical(event: Mapping[str, Any]) -> bytes:
    """Return the event's content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    content = {name: event[name] for name in FIELDS}
    content["at"] = instant(content["at"])
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(prev: str, event: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev.encode() + b"\n" + canonical(event)).hexdigest()


def seal(event: Mapping[str, Any], *, prev: str) -> dict[str, Any]:
    """Return `event` with `prev_hash` and `hash` set, following the chain's `prev` hash."""
    return {**event, "prev_hash": prev, "hash": digest(prev, event)}


@dataclass(frozen=True)
class Break:
    """Where a chain stops holding: the row's id, its chain and place, and why."""

    row_id: object
    chain: str
    seq: object
    why: str

    def __str__(self) -> str:
        chain = f"agreement {self.chain!r}" if self.chain else "events about no agreement"
        return (f"audit log: row #{self.row_id} (number {self.seq} of the chain of {chain}) "
                f"breaks the hash chain: {self.why}")


def verify(events: Iterable[Mapping[str, Any]]) -> Break | None:
    """Return the first break in `events` (ordered by chain, then seq), or None if every chain
    holds: numbered 1, 2, 3 ..., each row's prev_hash the hash before it, each hash its content's."""
    last: dict[str, tuple[int, str]] = {}
    for e in events:
        chain = str(e["chain"])
        seq, prev = last.get(chain, (0, ""))
        why = _problem(e, seq, prev)
        if why:
            return Break(e.get("id"), chain, e.get("seq"), why)
        last[chain] = (int(e["seq"]), str(e["hash"]))
    return None


def _problem(e: Mapping[str, Any], seq: int, prev: str) -> str:
    if not isinstance(e.get("seq"), int) or e["seq"] != seq + 1:
        return (f"it is number {e.get('seq')!r} where number {seq + 1} should be: a row was "
                "removed or added")
    if e.get("prev_hash") != prev:
        return "it does not follow the row before it: a row was removed, added or re-ordered"
    if e.get("hash") != digest(prev, e):
        return "its hash does not match its content: it was edited"
    return ""


def heads(events: Iterable[Mapping[str, Any]]) -> dict[str, tuple[int, str]]:
    """Return each chain's last (seq, hash): what an operator notes down to compare later."""
    out: dict[str, tuple[int, str]] = {}
    for e in events:
        out[str(e["chain"])] = (int(e["seq"]), str(e["hash"]))
    return out
