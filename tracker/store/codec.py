"""Convert between domain values and what the tables hold (JSON for tracks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.conditions import Track
from ..domain.states import State


def track_to_json(track: Track) -> dict[str, Any]:
    return {
        "state": track.state.value,
        "since": _iso(track.since),
        "cause": track.cause,
        "by": track.by,
        "record_id": track.record_id,
        "entered": {s.value: _iso(t) for s, t in track.entered.items()},
        "hold_from": _iso(track.hold_from),
        "known_from": _iso(track.known_from),
    }


def track_from_json(slug: str, data: dict[str, Any]) -> Track:
    return Track(
        slug=slug,
        state=State(data["state"]),
        since=_instant(data["since"]),
        cause=data["cause"],
        by=data["by"],
        record_id=data["record_id"],
        entered={State(s): _req(t) for s, t in data["entered"].items()},
        hold_from=_instant(data["hold_from"]),
        known_from=_instant(data.get("known_from")),  # absent from tracks stored before 0007
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _req(value: str) -> datetime:
    return datetime.fromisoformat(value)
