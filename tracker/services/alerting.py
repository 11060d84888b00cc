"""Raise alerts from what a projection change decided: reminders, overdue, state changes and
revisions. Each is stored once under its key (commitment, kind, rule, deadline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from ..alerts.channels import parse_channels
from ..domain.timefmt import duration_words, local, utc_z
from ..store import alerts as store
from ..store.tables import AgreementRow
from .app import App
from .projecting import Change


@dataclass(frozen=True)
class AlertPolicy:
    """Where new alerts go, and how old a reminder may be before it is folded into a catch-up."""

    channels: tuple[str, ...] = ()
    grace: timedelta = timedelta(minutes=10)

    @classmethod
    def of(cls, app: App) -> AlertPolicy:
        return cls(tuple(c.name for c in parse_channels(app.alert_urls)), app.reminder_grace)


@dataclass(frozen=True)
class Candidate:
    commitment: str
    kind: str
    rule: str
    deadline: datetime
    message: str
    cause: str = ""
    moment: datetime | None = None  # when a reminder was due to go out


def raise_alerts(session: Session, row: AgreementRow, change: Change, *, policy: AlertPolicy,
                 now: datetime) -> list[int]:
    """Store the alerts `change` calls for (history before loading is shown, not announced);
    return the ids of those that were new.

    1. collect candidates from the change's clock decisions, reminders, revisions;
    2. insert each under its unique key: a key already stored (by any process) is skipped;
    3. fold reminders whose moment passed long ago into one catch-up alert;
    4. give every new alert a pending delivery on each configured channel.
    """
    assert row.id is not None
    ids = change.commitment_ids
    fresh: list[int] = []
    folded: list[Candidate] = []
    for candidate in candidates(row, change):
        if candidate.deadline < row.loaded_at:
            continue
        stale = candidate.moment is not None and candidate.moment < now - policy.grace
        alert_id = _insert(session, row, ids, candidate, now, acked_by="catch-up" if stale else None)
        if alert_id is None:
            continue
        if stale:
            folded.append(candidate)
        else:
            fresh.append(alert_id)
    if folded:
        catch_up = _catch_up(row, folded, now)
        alert_id = _insert(session, row, ids, catch_up, now, acked_by=None)
        fresh += [alert_id] if alert_id is not None else []
    for alert_id in fresh:
        store.insert_deliveries(session, alert_id, policy.channels, now)
    return fresh


def candidates(row: AgreementRow, change: Change) -> list[Candidate]:
    """Return the alerts a change calls for, before deduplication."""
    tz, name = row.timezone, row.slug
    out = []
    for e in change.entries:
        if e.by == "clock":
            kind = "overdue" if e.state.value == "overdue" else "state-changed"
            verb = (f"is overdue: it was due {_both(e.at, tz)}" if kind == "overdue"
                    else f"is now {e.state.value} (since {_both(e.at, tz)})")
            out.append(Candidate(e.commitment, kind, e.rule or "clock", e.at,
                                 f"{name}/{e.commitment} {verb}. Cause: {e.cause}", e.cause))
    for n in change.notices:
        what = "due" if n.rule == "due" else "the end of its hold"
        out.append(Candidate(
            n.commitment, "reminder", lead_rule(n.lead), n.deadline,
            f"{name}/{n.commitment}: {what} in {duration_words(n.lead)}, at "
            f"{_both(n.deadline, tz)}", f"reminder {lead_rule(n.lead)} before {n.rule}",
            moment=n.at))
    for u in change.undone:
        cause = f"record #{u.by_record}" if u.by_record else "a late record"
        out.append(Candidate(
            u.commitment, "revised", u.rule or "clock", u.at,
            f"{name}/{u.commitment}: the clock's decision '{u.state}' at {_both(u.at, tz)} "
            f"({u.decision_id}) was undone by {cause}; it is now {u.replaced_by}. "
            f"`tracker history {name}/{u.commitment}` shows it marked undone",
            f"undone by {cause}"))
    overridden = change.projection.overridden if change.projection else {}
    for record_id, (commitment, at) in change.overridden_records.items():
        cause = overridden[record_id].cause if record_id in overridden else ""
        out.append(Candidate(
            commitment, "revised", f"record-{record_id}", at,
            f"{name}/{commitment}: record #{record_id} ({_both(at, tz)}) no longer holds: "
            f"{cause}", cause))
    return out


def lead_rule(lead: timedelta) -> str:
    """Return a reminder's lead time as its rule name, in hours as seeds write it.

    >>> lead_rule(timedelta(hours=48)), lead_rule(timedelta(minutes=90)), lead_rule(timedelta(seconds=5))
    ('PT48H', 'PT90M', 'PT5S')
    """
    seconds = int(lead.total_seconds())
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{seconds // 60}M" if seconds % 60 == 0 else f"PT{seconds}S"


def _insert(session: Session, row: AgreementRow, ids: dict[str, int], c: Candidate,
            now: datetime, *, acked_by: str | None) -> int | None:
    return store.insert_alert(session, {
        "agreement_id": row.id, "commitment_id": ids[c.commitment], "kind": c.kind,
        "rule": c.rule, "deadline": c.deadline, "fired_at": now, "message": c.message,
        "cause": c.cause, "acked_at": now if acked_by else None, "acked_by": acked_by,
    })


def _catch_up(row: AgreementRow, folded: list[Candidate], now: datetime) -> Candidate:
    lines = "\n".join(f"- {c.message}" for c in folded)
    return Candidate(folded[0].commitment, "catch-up", "reminders", now,
                     f"{row.slug}: {len(folded)} reminder(s) fell due while no scheduler ran:\n"
                     f"{lines}", "catch-up after downtime")


def _both(instant: datetime, tz: str) -> str:
    return f"{local(instant, tz)} ({utc_z(instant)})"
