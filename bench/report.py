"""Timing and the printed lines: every figure next to its baseline, the ratio and the target."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(fn: Callable[[], object]) -> float:
    """Return how long one call of `fn` took, in seconds."""
    return timed_call(fn)[0]


def timed_call(fn: Callable[[], T]) -> tuple[float, T]:
    """Return how long one call of `fn` took, in seconds, and what it returned.

    What the harness holds (workloads of 100,000s of records) is frozen out of the garbage
    collector for the call: a real process does not hold it, and every full collection during
    the call would otherwise scan it all, slowing the tracker's code by up to 2x.
    """
    gc.collect()
    gc.freeze()
    try:
        start = time.perf_counter()
        value = fn()
        return time.perf_counter() - start, value
    finally:
        gc.unfreeze()


def median_time(fn: Callable[[], object], repeats: int,
                before: Callable[[], object] | None = None) -> float:
    """Return the median of `repeats` timed calls; `before` runs untimed ahead of each one."""
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        times.append(timed(fn))
    return statistics.median(times)


def secs(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def heading(text: str) -> None:
    print(f"\n{text}", flush=True)


def line(text: str) -> None:
    print(f"  {text}", flush=True)


def against(label: str, measured: float, baseline_label: str, baseline: float, *,
            max_ratio: float | None = None, max_seconds: float | None = None) -> bool:
    """Print `label: t; baseline t; ratio r (target ...) OK|MISSED`; return whether it was met."""
    ratio = measured / baseline
    text = f"{label}: {secs(measured)}; {baseline_label} {secs(baseline)}; ratio {ratio:.2f}x"
    ok = True
    if max_ratio is not None:
        ok = ratio <= max_ratio
        text += f" (target <= {max_ratio:g}x) {verdict(ok)}"
    if max_seconds is not None:
        ok = measured < max_seconds
        text += f" (target < {secs(max_seconds)}) {verdict(ok)}"
    line(text)
    return ok
