"""Use case `audit verify`, and the check import and restore make: do the audit log's hash
chains hold? Shows no event's content, so it needs no sign-in (like `doctor`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from ..domain import audit_chain
from ..domain.errors import DomainError
from ..store import access as store
from ..store import users as user_store
from ..store.db import retrying, unit_of_work
from .app import App


class ChainHead(BaseModel):
    chain: str  # the agreement's slug, or "" for events about no agreement
    rows: int
    hash: str  # the last row's: note it down to tell later whether the log was rewritten


class ChainReport(BaseModel):
    rows: int
    chains: list[ChainHead]
    broken: str | None  # where the first chain breaks, or None when every one holds


@retrying
def verify_audit(app: App) -> ChainReport:
    """Return every chain's head and the first break, reading the log row by row."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return chain_report(session)


def chain_report(session: Session) -> ChainReport:
    counted = _Counted(store.audit_chain_rows(session))
    broken = audit_chain.verify(counted)
    return ChainReport(rows=counted.rows, broken=str(broken) if broken else None,
                       chains=[ChainHead(chain=c, rows=seq, hash=h)
                               for c, (seq, h) in sorted(counted.heads.items())])


def refuse_broken_chain(session: Session, source: object) -> None:
    """Raise if the audit log just written from `source` (an import, a restore) breaks."""
    broken = chain_report(session).broken
    if broken is not None:
        raise DomainError(f"{source}: {broken}; the file was altered after it was written, so "
                          "nothing was taken from it")


class _Counted:
    """Pass rows through to `verify`, keeping the count and each chain's last (seq, hash)."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.source = rows
        self.rows = 0
        self.heads: dict[str, tuple[int, str]] = {}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.source:
            self.rows += 1
            self.heads[str(row["chain"])] = (int(row["seq"]), str(row["hash"]))
            yield row


def refuse_users_unlike_log(session: Session, source: object) -> None:
    """Raise if a user's role differs from the one the audit log last gave them: a role edited
    into an export (vic made admin) has no event behind it."""
    given: dict[str, str] = {}
    for row in store.audit_chain_rows(session):
        if row["outcome"] == "done" and row["action"] in ("add user", "change role") \
                and str(row["detail"]).startswith("role: "):
            given[str(row["target"])] = str(row["detail"]).removeprefix("role: ")
    for user in user_store.users(session):
        if user.name in given and given[user.name] != user.role:
            raise DomainError(f"{source}: user {user.name!r} is {user.role}, but the audit log "
                              f"last made them {given[user.name]}; the file was altered after "
                              "it was written, so nothing was taken from it")
