"""Writer processes for the concurrency stress test and benchmark: each makes changes to one
agreement through the services and reports what became of every one (accepted, with its ids;
refused, with the error; or an error that should never reach a user).

The clock is injected and shared: one counter in shared memory that every process reads, one
minute per reading, so the tracker sees a single monotone clock, as on one machine's wall clock.
With `lockstep`, the writers take turns in rounds: all read, then all write at once, several of
them passing the same `expect_version` for the same commitment.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import yaml

from tracker import services
from tracker.domain.records import RecordKind
from tracker.domain.states import State
from tracker.services import DomainError, StaleVersion, TransitionRefused

SLUG = "stress"
BASE = datetime(2016, 9, 10, tzinfo=UTC)
WATCHED = ["w0", "w1", "w2", "w3"]  # written with --expect-version
BLIND = "blind"  # written without it, and retracted
# One of each per round in lockstep: four writers collide on one watched commitment.
OPS = ["transition", "observation", "transition", "forecast", "blind", "observation", "group",
       "retract"]
EXPECTING = {"transition", "observation"}


def seed_doc(deadlines: int = 12) -> dict[str, Any]:
    """Return a definition: free commitments to write on, and deadlines the clock passes."""
    free = [{"slug": s, "title": s, "owed_by": ["a"]} for s in [*WATCHED, BLIND]]
    due = [{"slug": f"d{k}", "title": f"due {k}", "owed_by": ["a"],
            "due": (BASE + timedelta(minutes=40 * k)).isoformat(), "reminders": ["PT10M"]}
           for k in range(1, deadlines + 1)]
    return {
        "agreement": {"slug": SLUG, "title": "Stress", "timezone": "Asia/Damascus",
                      "parties": ["a", "b"], "announced_at": (BASE - timedelta(days=1)).isoformat()},
        "commitments": free + due,
        "scenarios": [
            {"slug": "collapse", "title": "collapse", "when": {"any_of": {"w0": "breached"}}},
            {"slug": "holds", "title": "holds", "group": "future",
             "when": {"all_of": {"w1": "fulfilled"}}},
            {"slug": "fails", "title": "fails", "group": "future",
             "when": {"any_of": {"w1": "breached"}}},
        ],
    }


def load(url: str, folder: Path, clock: SharedClock) -> None:
    """Load the stress agreement into the (migrated) database at `url`."""
    path = folder / "stress.yaml"
    path.write_text(yaml.safe_dump(seed_doc()))
    services.load(services.App(database_url=url, clock=clock), [path])


@dataclass
class SharedClock:
    """A clock every process shares: each reading is one minute after the last one anyone took."""

    counter: Synchronized  # type: ignore[type-arg]  # multiprocessing.Value('q')

    def __call__(self) -> datetime:
        with self.counter.get_lock():
            self.counter.value += 1
            minutes = self.counter.value
        return BASE + timedelta(minutes=minutes)


@dataclass
class Outcome:
    """What became of one change: `result` is accepted, stale, refused, domain or error."""

    worker: int
    round: int
    op: str
    target: str
    expect: int | None
    result: str = ""
    ids: list[int] = field(default_factory=list)
    state: str | None = None
    message: str = ""
    seconds: float = 0.0


@dataclass
class Worker:
    url: str
    index: int
    clock: SharedClock
    mine: list[int] = field(default_factory=list)  # my accepted blind transitions, newest last

    @property
    def app(self) -> services.App:
        return services.App(database_url=self.url, clock=self.clock)

    @property
    def by(self) -> str:
        return f"writer-{self.index}"

    def change(self, round_: int, op: str, read: dict[str, tuple[str, int]]) -> Outcome:
        """Make one change as `op` says, from the states and versions read before."""
        if op == "retract" and not self.mine:  # nothing of mine to retract yet
            op = "blind"
        target = WATCHED[round_ % len(WATCHED)] if op in EXPECTING else BLIND
        state, version = read[target]
        expect = version if op in EXPECTING else None
        outcome = Outcome(self.index, round_, op, target, expect)
        call = self._call(op, target, _toggled(state), expect)
        outcome.state = _toggled(state) if op in ("transition", "blind") else None
        started = time.perf_counter()
        try:
            outcome.ids = call()
            outcome.result = "accepted"
        except StaleVersion as error:
            outcome.result, outcome.message = "stale", str(error)
        except TransitionRefused as error:
            outcome.result, outcome.message = "refused", str(error)
        except DomainError as error:
            outcome.result, outcome.message = "domain", str(error)
        except Exception as error:  # noqa: BLE001 - exactly what the test looks for
            outcome.result, outcome.message = "error", f"{type(error).__name__}: {error}"
        outcome.seconds = time.perf_counter() - started
        if op == "blind" and outcome.result == "accepted":
            self.mine.append(outcome.ids[0])
        return outcome

    def _call(self, op: str, target: str, state: str,
              expect: int | None) -> Callable[[], list[int]]:
        app, by, where = self.app, self.by, f"{SLUG}/{target}"
        p = (self.index + 1) / 10
        if op in ("transition", "blind"):
            return lambda: [services.record_transition(
                app, where, state, occurred_at=self.clock(), by=by, reason="seen",
                expect_version=expect).record_id]
        if op == "observation":
            evidence = services.Evidence(urls=[f"https://example.org/{self.index}"],
                                         reliability="B", credibility=2, confidence=0.8)
            return lambda: [services.record_observation(
                app, where, occurred_at=self.clock(), by=by, summary="shelling reported",
                evidence=evidence, expect_version=expect).record_id]
        if op == "forecast":
            return lambda: services.record_forecast(app, f"{SLUG}/collapse", p, by=by,
                                                    rationale="trend").ids
        if op == "group":
            return lambda: services.record_group_forecast(
                app, f"{SLUG}/future", {"holds": p, "fails": round(1 - p, 3)}, by=by,
                rationale="trend").ids
        assert op == "retract"
        victim = self.mine.pop()
        return lambda: [services.retract(app, victim, by=by, reason="misread").record_id]

    def read(self) -> dict[str, tuple[str, int]]:
        view = services.status(self.app, SLUG)
        return {c.slug: (c.state, c.version) for c in view.commitments}

    def tick(self, round_: int) -> Outcome:
        outcome = Outcome(self.index, round_, "tick", "", None)
        started = time.perf_counter()
        try:
            services.tick(self.app)
            outcome.result = "accepted"
        except DomainError as error:
            outcome.result, outcome.message = "domain", str(error)
        except Exception as error:  # noqa: BLE001 - exactly what the test looks for
            outcome.result, outcome.message = "error", f"{type(error).__name__}: {error}"
        outcome.seconds = time.perf_counter() - started
        return outcome


def _toggled(state: str) -> str:
    return "suspended" if state == "active" else "active"


def run(url: str, index: int, changes: int, counter: Synchronized,  # type: ignore[type-arg]
        results: Queue[Any], start: Barrier, lockstep: bool = False, ticks: bool = False,
        stop: Event | None = None) -> None:
    """Make `changes` changes as writer `index`; put ("done", index, outcomes, first, last)
    on `results` (monotonic instants), or ("crash", index, traceback) if the harness failed."""
    worker = Worker(url, index, SharedClock(counter))
    outcomes: list[Outcome] = []
    try:
        start.wait(timeout=300)  # every writer has started and imported: go together
        first = time.monotonic()
        for n in range(changes):
            if stop is not None and stop.is_set():
                break
            read = worker.read()
            if lockstep:
                start.wait(timeout=300)  # everyone has read: now all write at once
            outcomes.append(worker.change(n, OPS[(index + n) % len(OPS)], read))
            if ticks and index == 0:
                outcomes.append(worker.tick(n))
            if lockstep:
                start.wait(timeout=300)  # everyone has written: the round is over
        results.put(("done", index, outcomes, first, time.monotonic()))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("crash", index, traceback.format_exc()))
        start.abort()


@dataclass
class Run:
    """Every writer's outcomes, and the wall time from the first change to the last."""

    outcomes: list[Outcome]
    seconds: float

    def of(self, *results: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.result in results]


def run_writers(url: str, folder: Path, *, writers: int, changes: int, lockstep: bool = False,
                ticks: bool = False) -> Run:
    """Load the stress agreement into `url`, run `writers` processes, return what they did."""
    return start_writers(url, folder, writers=writers, changes=changes, lockstep=lockstep,
                         ticks=ticks).wait()


@dataclass
class Writers:
    """Writer processes under way; `stop()` asks them to finish their current change."""

    processes: list[Any]
    results: Queue[Any]
    stopping: Event
    # Process.start() drops its arguments: the shared objects must outlive the children's start.
    shared: tuple[Any, ...] = ()

    def stop(self) -> None:
        self.stopping.set()

    def wait(self) -> Run:
        reports = gather(self.processes, self.results, started=True)
        outcomes = [o for r in reports for o in r[2]]
        return Run(outcomes, max(r[4] for r in reports) - min(r[3] for r in reports))


def start_writers(url: str, folder: Path, *, writers: int, changes: int, lockstep: bool = False,
                  ticks: bool = False) -> Writers:
    """Load the stress agreement into `url` and start `writers` processes on it."""
    context = fresh_processes()
    counter = context.Value("q", 0)
    load(url, folder, SharedClock(counter))
    results, start, stopping = context.Queue(), context.Barrier(writers), context.Event()
    processes = [context.Process(target=run, daemon=True, args=(
        url, i, changes, counter, results, start, lockstep, ticks, stopping))
        for i in range(writers)]
    for process in processes:
        process.start()
    return Writers(processes, results, stopping, (counter, start))


def fresh_processes() -> Any:
    """Return a multiprocessing context whose processes share nothing with this one (no engine,
    no connection): forked from a server that imported the tracker once, so eight start fast."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def gather(processes: list[Any], results: Queue[Any], timeout: float = 900,
           started: bool = False) -> list[Any]:
    """Start `processes` (unless `started`), return their reports in process order; raise if
    one crashed."""
    for process in [] if started else processes:
        process.start()
    reports: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while len(reports) < len(processes):
            try:
                reports.append(results.get(timeout=1))
            except queue.Empty:
                dead = [p for p in processes if p.exitcode not in (None, 0)]
                if dead or time.monotonic() > deadline:
                    raise RuntimeError(f"writers died without a report: {dead}") from None
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    crashed = [r for r in reports if r[0] == "crash"]
    if crashed:
        raise RuntimeError(f"a writer's harness crashed: {crashed[0][2]}")
    return sorted(reports, key=lambda r: r[1])


def retract_at_once(url: str, index: int, record_id: int,
                    counter: Synchronized,  # type: ignore[type-arg]
                    results: Queue[Any], start: Barrier) -> None:
    """Retract record `record_id` at the same moment as the other processes; report how."""
    worker = Worker(url, index, SharedClock(counter))
    worker.mine = [record_id]
    try:
        start.wait(timeout=300)
        results.put(("done", index, [worker.change(0, "retract", {BLIND: ("active", 0)})], 0.0,
                     0.0))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("crash", index, traceback.format_exc()))
        start.abort()


def hang_in_transaction(url: str, pipe: Connection) -> None:
    """Append a transition inside a unit of work, say so on `pipe`, then wait there forever
    (until the parent kills this process): a writer that dies before it commits."""
    from tracker.services.alerting import AlertPolicy
    from tracker.services.appending import NewRecord, append
    from tracker.services.recording import agreement_or_fail
    from tracker.store.db import unit_of_work

    now = BASE + timedelta(days=30)
    app = services.App(database_url=url, clock=lambda: now)
    with unit_of_work(url) as session:
        row = agreement_or_fail(session, SLUG, lock=True)
        new = NewRecord(RecordKind.TRANSITION, BLIND, now, now, "doomed", "",
                        state=State.SUSPENDED, reason="never committed")
        done = append(session, row, [new], now=now, policy=AlertPolicy.of(app))
        session.flush()
        pipe.send(done.ids)
        pipe.recv()  # the parent never answers: it kills us here, mid-transaction
