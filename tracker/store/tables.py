"""SQLModel tables. Instants are stored in UTC and always come back tz-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Index,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that refuses naive values and reads back aware, in UTC, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} reached the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """Return the Core table of a model, for batched inserts that bypass the ORM."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


class AgreementRow(SQLModel, table=True):
    __tablename__ = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    title: str = Field(max_length=300)
    timezone: str = Field(max_length=64)
    definition: dict[str, Any] = Field(sa_type=JSON)
    definition_hash: str = Field(max_length=64)
    announced_at: datetime = Field(sa_type=UTCDateTime)
    loaded_at: datetime = Field(sa_type=UTCDateTime)
    projected_until: datetime = Field(sa_type=UTCDateTime)
    next_seq: int = 1


class CommitmentRow(SQLModel, table=True):
    """A commitment and its stored projection: what `status` reads without replaying the log."""

    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("agreement_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    slug: str = Field(max_length=100)
    ordinal: int
    title: str = Field(max_length=300)
    state: str = Field(max_length=16)
    since: datetime = Field(sa_type=UTCDateTime)
    cause: str = Field(sa_type=Text)
    due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    track: dict[str, Any] = Field(sa_type=JSON)
    version: int = 1
    changed_by: str = Field(max_length=100)
    changed_at: datetime = Field(sa_type=UTCDateTime)
    # The next instant the clock has something to do here (a decision or a reminder): the
    # scheduler's sweep reads only commitments whose instant has come, through this index.
    next_clock_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class ScenarioRow(SQLModel, table=True):
    __tablename__ = "scenario"
    __table_args__ = (UniqueConstraint("agreement_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    slug: str = Field(max_length=100)
    title: str = Field(max_length=300)
    group_name: str | None = Field(default=None, max_length=100)
    # When an analyst added it to the loaded agreement; None for the seed's own scenarios.
    added_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RecordRow(SQLModel, table=True):
    """One entry of the append-only log."""

    __tablename__ = "record"
    __table_args__ = (
        Index("ix_record_agreement_occurred", "agreement_id", "occurred_at"),
        Index("ix_record_agreement_recorded", "agreement_id", "recorded_at"),
        UniqueConstraint("agreement_id", "fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id")
    commitment_id: int | None = Field(default=None, foreign_key="commitment.id", index=True)
    kind: str = Field(max_length=16)
    state: str | None = Field(default=None, max_length=16)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    by: str = Field(max_length=100)
    reason: str = Field(default="", sa_type=Text)
    summary: str = Field(default="", sa_type=Text)
    confidence: float | None = None
    retracts_id: int | None = Field(default=None, foreign_key="record.id", unique=True)
    fingerprint: str | None = Field(default=None, max_length=64)
    # An analyst's start recorded with --force although its starts/requires were not met.
    forced: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Team mode: who loaded a record file's record, when `by` names who recorded it first.
    loaded_by: str | None = Field(default=None, max_length=100)


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    position: int
    url: str = Field(sa_type=Text)
    title: str = Field(default="", sa_type=Text)
    reliability: str | None = Field(default=None, max_length=1)
    credibility: int | None = None


class UndoneDecisionRow(SQLModel, table=True):
    """A clock decision a late record (or a retraction) undid: kept so that history can say
    what was believed, what replaced it and which record caused it."""

    __tablename__ = "undone_decision"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id")
    decision_id: str = Field(max_length=40)  # the stable clock id: commitment, state, at, rule
    state: str = Field(max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    rule: str | None = Field(default=None, max_length=16)
    cause: str = Field(sa_type=Text)
    derived_at: datetime = Field(sa_type=UTCDateTime)
    undone_at: datetime = Field(sa_type=UTCDateTime)  # when the undoing record was recorded
    undone_by_record_id: int | None = Field(default=None, foreign_key="record.id")
    replaced_by: str = Field(sa_type=Text)


class TimelineEntryRow(SQLModel, table=True):
    """A step of the projected timeline (derived; rewritten from a late record's instant on)."""

    __tablename__ = "timeline_entry"
    __table_args__ = (
        Index("ix_timeline_agreement_at", "agreement_id", "at", "seq"),
        Index("ix_timeline_commitment_at", "commitment_id", "at", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id")
    commitment_id: int = Field(foreign_key="commitment.id")
    seq: int
    at: datetime = Field(sa_type=UTCDateTime)
    state: str = Field(max_length=16)
    cause: str = Field(sa_type=Text)
    by: str = Field(max_length=100)
    record_id: int | None = Field(default=None, foreign_key="record.id")
    rule: str | None = Field(default=None, max_length=16)
    derived_at: datetime = Field(sa_type=UTCDateTime)
    track: dict[str, Any] = Field(sa_type=JSON)


class OverrideRow(SQLModel, table=True):
    """An analyst record the timeline no longer allows, and why (derived, like the timeline)."""

    __tablename__ = "record_override"

    record_id: int = Field(foreign_key="record.id", primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    cause: str = Field(sa_type=Text)
    by_record_id: int | None = Field(default=None, foreign_key="record.id")


class AlertRow(SQLModel, table=True):
    """One alert, stored exactly once: the unique key is (commitment, kind, rule, deadline)."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("commitment_id", "kind", "rule", "deadline", name="uq_alert_key"),
        Index("ix_alert_unacked", "acked_at", "fired_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id")
    kind: str = Field(max_length=16)  # reminder, overdue, state-changed, revised, catch-up
    rule: str = Field(max_length=32)  # the lead time (PT24H), or due, hold_for, starts, ...
    deadline: datetime = Field(sa_type=UTCDateTime)
    fired_at: datetime = Field(sa_type=UTCDateTime)
    message: str = Field(sa_type=Text)
    cause: str = Field(default="", sa_type=Text)
    acked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acked_by: str | None = Field(default=None, max_length=100)


class DeliveryRow(SQLModel, table=True):
    """One alert on one channel: attempts, the last error, when to try again."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("alert_id", "channel"),
        Index("ix_delivery_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id")
    channel: str = Field(max_length=200)  # a name safe to show: scheme and host, no secrets
    status: str = Field(max_length=16)  # pending, sent, failed (gave up)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=Text)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserRow(SQLModel, table=True):
    """A dashboard user: a name, a role (viewer, analyst, admin) and a salted password hash."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=16)
    password_hash: str = Field(sa_type=Text)  # "" when an import left it out: no sign-in then
    created_at: datetime = Field(sa_type=UTCDateTime)
    # Failed sign-ins before this instant no longer slow the user down (`tracker user unlock`).
    unlocked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A removed user signs in no more; the name stays taken, as the log still names them.
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ForecastRow(SQLModel, table=True):
    """One analyst's probability for one scenario, standing from `recorded_at` until the next.

    A group's forecasts are written together and share a `batch`, so the group's multi-category
    Brier reads them back as one vector.
    """

    __tablename__ = "forecast"
    __table_args__ = (Index("ix_forecast_agreement_recorded", "agreement_id", "recorded_at"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id")
    scenario_id: int = Field(foreign_key="scenario.id", index=True)
    forecaster: str = Field(max_length=100)
    probability: float
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    rationale: str = Field(default="", sa_type=Text)
    batch: str | None = Field(default=None, max_length=32)


class LoginSessionRow(SQLModel, table=True):
    """A signed-in session (dashboard) or a CLI token: only a hash of the secret is kept."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_name: str = Field(max_length=100, index=True)
    kind: str = Field(max_length=16)  # dashboard or cli
    origin: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttemptRow(SQLModel, table=True):
    """One sign-in attempt, kept so repeated failures can be slowed down."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_name_at", "user_name", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_name: str = Field(max_length=100)
    origin: str = Field(default="", max_length=200)
    at: datetime = Field(sa_type=UTCDateTime)
    ok: bool


class AuditEventRow(SQLModel, table=True):
    """Who did what, when, from where, and whether it was allowed. Append-only: the migration
    adds triggers that refuse UPDATE and DELETE on both databases."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),
                      UniqueConstraint("chain", "seq", name="uq_audit_event_chain_seq"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    role: str = Field(max_length=16)  # viewer, analyst, admin, or local (no users exist)
    origin: str = Field(default="", max_length=200)
    action: str = Field(max_length=40)
    target: str = Field(default="", sa_type=Text)
    outcome: str = Field(max_length=16)  # done or refused
    detail: str = Field(default="", sa_type=Text)
    # The hash chain (domain.audit_chain): the agreement's slug, or "" for events about none.
    chain: str = Field(default="", max_length=100)
    seq: int = 0
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
