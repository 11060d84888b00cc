"""Factories for tests: agreements from compact seed dicts, records, clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from tracker.domain.records import Record, RecordKind
from tracker.domain.rules import Agreement
from tracker.domain.states import State
from tracker.seeds.convert import to_domain
from tracker.seeds.schema import AgreementSeed

T0 = datetime(2016, 9, 9, 21, 30, tzinfo=UTC)  # the Syria announcement, in UTC
_ids = count(1)


def at(hours: float = 0, days: float = 0) -> datetime:
    """Return T0 plus an offset: tests speak in hours and days after the announcement."""
    return T0 + timedelta(hours=hours, days=days)


def seed_dict(*commitments: dict[str, Any], scenarios: list[dict[str, Any]] | None = None,
              slug: str = "test-agreement") -> dict[str, Any]:
    return {
        "agreement": {"slug": slug, "title": "Test agreement", "timezone": "Asia/Damascus",
                      "parties": ["a", "b"], "announced_at": T0.isoformat()},
        "commitments": [{"title": c["slug"], "owed_by": ["a"], **c} for c in commitments],
        "scenarios": scenarios or [],
    }


def make_agreement(*commitments: dict[str, Any],
                   scenarios: list[dict[str, Any]] | None = None) -> Agreement:
    doc = seed_dict(*commitments, scenarios=scenarios)
    # Validated as the reader does, with the agreement's zone for dates and hints.
    return to_domain(AgreementSeed.model_validate(doc, context={"tz": doc["agreement"]["timezone"]}))


def syria_like() -> Agreement:
    """Return the Syria arrangement's chain in small: cessation, calm, centre, targeting."""
    return make_agreement(
        {"slug": "cessation", "starts": at(days=3).isoformat()},
        {"slug": "calm", "starts": {"after": "cessation", "enters": "active"}, "hold_for": "P7D"},
        {"slug": "aid", "starts": {"after": "cessation", "enters": "active"}},
        {"slug": "centre", "starts": {"after": "calm", "enters": "fulfilled"},
         "requires": {"all_of": {"aid": "active"}}, "due": {"after_start": "P7D"}},
        {"slug": "targeting", "requires": {"all_of": {"centre": "fulfilled"}}},
        {"slug": "lists-only", "starts": {"after": "targeting", "enters": "active"},
         "ends": {"after": "targeting", "enters": "fulfilled"}},
        scenarios=[{"slug": "collapse", "title": "collapse",
                    "when": {"any_of": {"cessation": "breached", "calm": "breached"}}}],
    )


def transition(commitment: str, state: str, occurred: datetime,
               recorded: datetime | None = None, *, by: str = "analyst",
               record_id: int | None = None) -> Record:
    return Record(record_id or next(_ids), RecordKind.TRANSITION, commitment, occurred,
                  recorded or occurred, by, State(state))


def retraction(of: Record, recorded: datetime, *, by: str = "analyst") -> Record:
    return Record(next(_ids), RecordKind.RETRACTION, of.commitment, recorded, recorded, by,
                  retracts=of.id)
