"""Figures (name, value, unit), median timing, and the one-line output format."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None          # None = not available
    unit: str
    note: str = ""                # why n/a, or how it was measured
    target: str = ""              # e.g. "< 100 ms"
    met: bool | None = None       # target met? None when there is no target or no value

    def line(self) -> str:
        if self.value is None:
            return f"{self.name}: n/a {self.unit} ({self.note or 'not measured'})"
        return f"{self.name}: {format_value(self.value)} {self.unit}"


def format_value(v: float) -> str:
    if v == 0 or abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def na(name: str, unit: str, reason: str, target: str = "") -> Figure:
    return Figure(name, None, unit, reason, target)


def with_target(name: str, value: float, unit: str, limit: float | None, note: str = "") -> Figure:
    """A figure with an upper-bound target (value must be below ``limit``)."""
    if limit is None:
        return Figure(name, value, unit, note)
    return Figure(name, value, unit, note, f"< {format_value(limit)} {unit}", value < limit)


def median_seconds(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None,
                   warmup: int = 0) -> float:
    """Median wall time of ``fn()`` over ``runs`` runs (``setup()`` before each, untimed)."""
    for _ in range(warmup):
        if setup:
            setup()
        fn()
    times = []
    for _ in range(max(1, runs)):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def summary(figures: list[Figure]) -> list[str]:
    """Closing lines: targets met / missed / not measured."""
    targeted = [f for f in figures if f.target]
    met = [f for f in targeted if f.met]
    missed = [f for f in targeted if f.met is False]
    missing = [f for f in figures if f.value is None]
    out = [f"summary: {len(figures)} figures, {len(met)}/{len(targeted)} targets met, {len(missing)} n/a"]
    for f in targeted:
        state = "n/a" if f.value is None else ("met" if f.met else "MISSED")
        out.append(f"  {f.name}: {state} (target {f.target})")
    for f in missed:
        if f.note:
            out.append(f"  note {f.name}: {f.note}")
    return out
