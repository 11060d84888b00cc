"""Which scenarios the projection has resolved at an instant, as known now (or at `known`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ..domain.scenarios import Resolution, resolve
from ..store import queries
from ..store.tables import AgreementRow
from .projecting import agreement_model
from .reading import current_tracks


def resolutions(session: Session, row: AgreementRow, *, at: datetime,
                known: datetime | None = None) -> dict[str, Resolution]:
    """Return each scenario's resolution at `at`, read from the projected timeline.

    The projection already holds every late record, so a record that moves or flips a
    resolution changes what this returns, and with it every score.
    """
    assert row.id is not None
    tracks = current_tracks(session, row, queries.commitments(session, row.id), at=at,
                            known=known)
    return {s.slug: resolve(s, tracks, now=at) for s in agreement_model(row).scenarios}
