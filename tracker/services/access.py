"""Who may do what. Roles are checked here, in the services, whatever page or command asked.

With no user in the database the tracker is in *local mode*: one person on their own machine,
every use case allowed, `--by` free text. Once a user exists it is in *team mode*: a write needs
the credentials of a signed-in session (the dashboard) or a token (`tracker login`, for the CLI),
the user's role must include the use case's role, and the name in the log is that user's.

Every change is written to the append-only audit log inside its own transaction; every refused
attempt is written there too, in a transaction of its own, so a forged request leaves a trace.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from ..domain.audit_chain import GLOBAL
from ..domain.errors import DomainError
from ..domain.timefmt import utc_z
from ..names import refuse_hidden
from ..store import access as store
from ..store import users as user_store
from ..store.db import retrying, unit_of_work
from ..store.tables import LoginAttemptRow, LoginSessionRow
from .app import App
from .roles import ROLES, UserView

CLOCK = "clock"  # the scheduler's built-in identity
CLOCK_ACTIONS = ("tick", "deliver")
FREE_FAILURES = 5  # failed sign-ins of one name from one place before each next one must wait
MAX_WAIT = timedelta(minutes=15)
HARD_LOCK = 50  # failures of one name from one place within LOCK_WINDOW that lock it there
LOCK_WINDOW = timedelta(days=1)
CLI_TOKEN_DAYS = 30
PASSWORDS = PasswordHasher()  # argon2id, salted: the password's text is never stored

P = ParamSpec("P")
R = TypeVar("R")


class AccessDenied(DomainError):
    """The caller may not do this: not signed in, session over, or a role too small."""


@dataclass(frozen=True)
class Actor:
    name: str  # empty in local mode for use cases without --by
    role: str  # viewer, analyst, admin; "local" when no user exists


@dataclass(frozen=True)
class SignedIn:
    user: UserView
    token: str  # shown once; only its hash is stored
    expires_at: datetime


def sign_in(app: App, name: str, password: str, *, kind: str = "dashboard",
            lifetime: timedelta | None = None) -> SignedIn:
    """Open a session for `name` (a dashboard sign-in, or a CLI token) if `password` is theirs.

    A name or password with a control or invisible character is refused before any query of
    the user (the refusal is counted and audited, the name quoted). The attempt is counted as
    failed *before* the password is checked, in a transaction that queues behind every other
    attempt on the same name from the same place: twenty guesses sent at once get five checks,
    not twenty. A right password then turns it into a success.
    """
    now = app.wall_clock()
    name = _typed_name(app, name, password, now)
    attempt = _count_attempt(app, name, now)
    user = authenticate(app, name, password)
    token = secrets.token_urlsafe(32)
    expires = now + (lifetime or app.session_lifetime)
    with unit_of_work(app.database_url) as session:
        if user is not None:
            store.mark_attempt_ok(session, attempt)
            session.add(LoginSessionRow(token_hash=_hash(token), user_name=name, kind=kind,
                                        origin=app.origin, created_at=now, expires_at=expires))
        _audit(session, app, Actor(name, user.role if user else "?"), f"sign-in ({kind})", name,
               "done" if user else "refused", "" if user else "wrong name or password")
    if user is None:
        raise AccessDenied("sign-in: that name and password do not match a user")
    return SignedIn(user, token, expires)


def _typed_name(app: App, name: str, password: str, now: datetime) -> str:
    """Return the name as users are stored (NFKC, trimmed); refuse hidden characters in it or
    the password, counting the attempt under the quoted name (so it is throttled too)."""
    try:
        refuse_hidden(name, field="name")
        if any(unicodedata.category(c) == "Cc" for c in password):
            raise DomainError("password: holds a control character; type it without")
    except DomainError as error:
        quoted = ascii(name)[:100]  # nothing a database cannot store, nothing that moves a cursor
        _count_attempt(app, quoted, now)
        _refused(app, Actor(quoted, "?"), "sign-in", quoted, str(error).split(":", 1)[0]
                 + ": control or invisible character")
        raise AccessDenied(f"sign-in: {error}") from None
    return unicodedata.normalize("NFKC", name).strip()[:100]


def _count_attempt(app: App, name: str, now: datetime) -> int:
    """Record a (so far failed) attempt on `name` from `app.origin` and return its id; refuse
    while that name and place must wait, or are locked.

    The throttle is keyed by the name and the network peer (the OS account for the CLI), never by
    what the client says it is, so a stranger's guesses slow down only their own attempts. After
    FREE_FAILURES, each attempt waits twice as long as the one before (1 s, 2 s, 4 s ... at most
    MAX_WAIT); after HARD_LOCK failures in a day the pair is locked until an admin unlocks the
    name (`tracker user unlock NAME`) or the day has passed."""
    with unit_of_work(app.database_url) as session:
        if user_store.user_count(session) == 0:
            raise AccessDenied("sign-in: no users exist, so the tracker is in local mode and "
                               "needs no sign-in; `tracker user add NAME --role admin` starts "
                               "team mode")
        store.queue_behind_attempts_on(session, f"{name}\n{app.origin}")
        user = user_store.user_by_name(session, name)
        since = max([now - LOCK_WINDOW, *([user.unlocked_at] if user and user.unlocked_at else [])])
        failures = store.failures_since(session, name, since, now, origin=app.origin)
        retry = _retry_at(failures)
        if retry is None or retry <= now:
            row = LoginAttemptRow(user_name=name, origin=app.origin, at=now, ok=False)
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id
    locked = len(failures) >= HARD_LOCK
    _refused(app, Actor(name, "?"), "sign-in", name,
             "locked: too many failed attempts" if locked else "throttled: wait")
    if locked:
        raise AccessDenied(f"sign-in: {len(failures)} failed attempts for {name!r} from here in a "
                           f"day, so it is locked from here until {utc_z(retry)}; an admin can "
                           f"unlock it now: `tracker user unlock {name}`")
    raise AccessDenied(f"sign-in: too many failed attempts for {name!r}; try again after "
                       f"{utc_z(retry)}")


def _retry_at(failures: list[datetime]) -> datetime | None:
    """Return when the next attempt may come after these failures (oldest first), else None."""
    if len(failures) >= HARD_LOCK:
        return failures[-HARD_LOCK] + LOCK_WINDOW
    if len(failures) < FREE_FAILURES:
        return None
    wait = min(timedelta(seconds=2 ** (len(failures) - FREE_FAILURES)), MAX_WAIT)
    return failures[-1] + wait


def authenticate(app: App, name: str, password: str) -> UserView | None:
    """Return the user when `password` is theirs, else None (the same for an unknown name, a
    removed user, and one an import left without a password)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        row = user_store.user_by_name(session, name.strip())
    if row is None or row.removed_at is not None or not row.password_hash:
        PASSWORDS.hash(password)  # spend the same time, so a wrong name is not told apart
        return None
    try:
        PASSWORDS.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return UserView(name=row.name, role=row.role)


def sign_out(app: App, token: str) -> bool:
    """End the session holding `token`, audited; return False if it had ended already."""
    with unit_of_work(app.database_url) as session:
        row = store.session_by_hash(session, _hash(token))
        if row is None or row.ended_at is not None:
            return False
        row.ended_at = app.wall_clock()
        session.add(row)
        user = user_store.user_by_name(session, row.user_name)
        _audit(session, app, Actor(row.user_name, user.role if user else "?"),
               f"sign-out ({row.kind})", row.user_name, "done", "")
        return True


@retrying
def session_user(app: App, token: str) -> UserView | None:
    """Return the user of an open, unexpired session, with their role as it stands now."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return _session_user(session, token, app.wall_clock())


def current_actor(app: App) -> Actor:
    """Return who is acting through `app`; refuse in team mode without a live session, and any
    clock override there (a team's tracker runs on real time, whoever asks)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        if user_store.user_count(session) == 0:
            return Actor("", "local")
        if app.clock_override:
            raise AccessDenied(f"{app.clock_override}: users exist, so the tracker is in team "
                               "mode, where every command runs on real time; drop --now and "
                               "unset TRACKER_NOW (to look at another instant use --as-of or "
                               "--known-at)")
        if app.identity == CLOCK:
            return Actor(CLOCK, CLOCK)
        if app.token is None:
            raise AccessDenied("sign-in: users exist, so the tracker is in team mode and this "
                               "needs a signed-in user; for the CLI run `tracker login NAME` and "
                               "set TRACKER_TOKEN to the token it prints")
        user = _session_user(session, app.token, app.wall_clock())
    if user is None:
        raise AccessDenied("sign-in: your session or token has expired or was ended; sign in "
                           "again (`tracker login NAME` for the CLI)")
    return Actor(user.name, user.role)


def readable(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a read use case need a viewer in team mode (everything that reads agreement data);
    a refusal is audited, a read is not."""
    return guarded(f"read {what}", role="viewer", audited=False)


def guarded(action: str, role: str, *, about: str = "nothing",
            audited: bool = True) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a use case check the actor's role first and leave an audit event.

    The use case's first argument is the App, its second (if any) what it acts on; a `by`
    keyword is checked against the actor and replaced by the user's name in team mode. Check and
    use case are re-run whole when the database drops the transaction (store.db.retrying): each
    guarded use case is one unit of work, so running it again is safe. `about="agreement"`: the
    target starts with the agreement's slug, and the event goes on that agreement's chain.
    """
    def wrap(use_case: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(use_case)
        @retrying  # the role check reads the database too: a restart must not fail it
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            app = args[0]
            assert isinstance(app, App)
            target = _target(args[1]) if len(args) > 1 else ""
            inside = _acting.get()
            if inside is not None and _may(inside, action, role):
                return use_case(*args, **kwargs)  # checked already by the use case around it
            actor = _allowed(app, action, role, target, kwargs)
            if not audited:
                acting = _acting.set(actor)
                try:
                    return use_case(*args, **kwargs)
                finally:
                    _acting.reset(acting)
            if actor.role != "local":
                # A team's log is recorded on real time: `--now` replays history for one person,
                # it must not let a user date a record in the future and lock the others out.
                app = replace(app, clock=app.wall_clock)
            chain = target.split("/", 1)[0] if about == "agreement" else GLOBAL
            token = _pending.set(_Pending(app, actor, action, target, chain))
            acting = _acting.set(actor)
            try:
                return use_case(app, *args[1:], **kwargs)  # type: ignore[arg-type]
            finally:
                _acting.reset(acting)
                _pending.reset(token)
        return run
    return wrap


def audit_log(app: App, *, limit: int = 200, actor: str | None = None,
              outcome: str | None = None) -> list[dict[str, Any]]:
    """Return the newest audit events first (admins only, in team mode)."""
    who = current_actor(app)
    if who.role not in ("admin", "local"):
        _refused(app, who, "read audit log", "", f"role {who.role} is not admin")
        raise AccessDenied(f"audit: {who.name} is {who.role}; only an admin reads the audit log")
    with unit_of_work(app.database_url, read_only=True) as session:
        rows = store.audit_events(session, limit=limit, actor=actor, outcome=outcome)
        return [r.model_dump() for r in rows]


def _target(value: object) -> str:
    """Return what a use case acts on, as the audit log shows it (paths by name, not repr)."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _allowed(app: App, action: str, role: str, target: str, kwargs: dict[str, Any]) -> Actor:
    try:
        actor = current_actor(app)
    except AccessDenied as error:
        # Nobody is signed in: a claimed --by goes to the detail, never to the actor column.
        claimed = f" (claimed --by {str(kwargs['by'])[:100]!r})" if kwargs.get("by") else ""
        _refused(app, Actor("?", "?"), action, target, f"{error}{claimed}")
        raise
    if actor.role == "local":
        return Actor(str(kwargs.get("by") or ""), "local")
    if not _may(actor, action, role):
        _refused(app, actor, action, target, f"needs {role}")
        if actor.role == CLOCK:
            raise AccessDenied(f"role: the scheduler acts as {CLOCK}, which may only "
                               f"{' and '.join(CLOCK_ACTIONS)}, not {action}")
        raise AccessDenied(f"role: {actor.name} is {actor.role}, and {action} needs {role} or "
                           "above; ask an admin for that role")
    by = kwargs.get("by")
    if by and str(by).strip() != actor.name:
        _refused(app, actor, action, target, f"--by {by!r}")
        raise AccessDenied(f"--by: in team mode you act as {actor.name} (your sign-in), not "
                           f"{by!r}; drop --by")
    if "by" in kwargs:
        kwargs["by"] = actor.name
    return actor


def _may(actor: Actor, action: str, role: str) -> bool:
    """Return True if `actor` may take `action`, which needs `role` (admin ⊃ analyst ⊃ viewer;
    the scheduler's built-in identity, clock, may only tick and deliver)."""
    if actor.role == "local":
        return True
    if actor.role == CLOCK:
        return action in CLOCK_ACTIONS
    return ROLES.index(actor.role) >= ROLES.index(role)


def unaudited() -> None:
    """Drop the audit event of the use case under way: it found nothing to change (or writes
    its own events with audit_here)."""
    pending = _pending.get()
    if pending is not None:
        _pending.set(replace(pending, main=False))


def audit_about(slug: str) -> None:
    """Put the use case's event on agreement `slug`'s chain (found while it ran)."""
    pending = _pending.get()
    if pending is not None:
        _pending.set(replace(pending, chain=slug))


def acting_user() -> str | None:
    """Return the signed-in user the use case under way acts as; None in local mode."""
    actor = _acting.get()
    return actor.name if actor is not None and actor.role not in ("local", CLOCK) else None


def audit_detail(detail: str) -> None:
    """Say in the use case's event what it did (e.g. the role a user was given)."""
    pending = _pending.get()
    if pending is not None:
        _pending.set(replace(pending, detail=detail))


def audit_now(app: App, *, action: str, target: str, detail: str = "") -> None:
    """Write an event of the use case under way in a transaction of its own (a backup, a test
    notice: actions that change no row to write it beside)."""
    with unit_of_work(app.database_url) as session:
        audit_here(session, action=action, target=target, chain=GLOBAL, detail=detail)


def in_team_mode(app: App) -> bool:
    """Return True once a user exists."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return user_store.user_count(session) > 0


def audit_here(session: Any, *, action: str, target: str, chain: str, detail: str = "") -> None:
    """Write an event of the use case under way now, in its transaction (tick: one per
    agreement the clock changed), as its actor did it."""
    pending = _pending.get()
    assert pending is not None, "audit_here runs inside a guarded use case"
    _audit(session, pending.app, pending.actor, action, target, "done", detail, chain=chain)


@dataclass(frozen=True)
class _Pending:
    app: App
    actor: Actor
    action: str
    target: str
    chain: str
    detail: str = ""
    main: bool = True  # False: the commit writes no event of its own


# Who the use case under way acts as, once checked: the reads it makes inside are theirs too.
_acting: ContextVar[Actor | None] = ContextVar("acting", default=None)
# The use case under way in this thread: its commit writes the audit event (see below).
_pending: ContextVar[_Pending | None] = ContextVar("pending_audit", default=None)


@event.listens_for(OrmSession, "before_commit")
def _audit_on_commit(session: OrmSession) -> None:
    """Write the pending use case's audit event in the same transaction as its change."""
    pending = _pending.get()
    if pending is not None and pending.main:
        _pending.set(replace(pending, main=False))  # one event per use case, even if it commits twice
        _audit(session, pending.app, pending.actor, pending.action, pending.target, "done",
               pending.detail, chain=pending.chain)


def _audit(session: Any, app: App, actor: Actor, action: str, target: str, outcome: str,
           detail: str, *, chain: str = GLOBAL) -> None:
    store.add_audit(session, {"at": app.wall_clock(), "actor": actor.name[:100] or "?",
                              "role": actor.role, "origin": app.origin[:200], "action": action,
                              "target": target[:1000], "outcome": outcome,
                              "detail": detail[:1000], "chain": chain[:100]})


def audit_owner_action(session: Any, app: App, action: str, target: str, detail: str) -> None:
    """Write the event of an action only the database's owner can take (import, restore into
    an empty database): nobody is signed in, and no user existed when it began."""
    _audit(session, app, Actor("", "local"), action, target, "done", detail)


def _refused(app: App, actor: Actor, action: str, target: str, detail: str) -> None:
    with unit_of_work(app.database_url) as session:
        _audit(session, app, actor, action, target, "refused", detail)


def _session_user(session: Any, token: str, now: datetime) -> UserView | None:
    row = store.session_by_hash(session, _hash(token))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    user = user_store.user_by_name(session, row.user_name)
    if user is None or user.removed_at is not None:
        return None
    return UserView(name=user.name, role=user.role)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
