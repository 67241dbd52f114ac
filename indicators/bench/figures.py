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
    cpu: float | None = None      # CPU time of the process over the same runs (same unit), when measured

    def line(self) -> str:
        if self.value is None:
            return f"{self.name}: n/a {self.unit} ({self.note or 'not measured'})"
        line = f"{self.name}: {format_value(self.value)} {self.unit}"
        if self.cpu is not None:
            line += f"\n{self.name}_cpu: {format_value(self.cpu)} {self.unit}"
        return line


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


def with_target(name: str, value: float, unit: str, limit: float | None, note: str = "",
                cpu: float | None = None) -> Figure:
    """A figure with an upper-bound target (value must be below ``limit``); judged on wall time."""
    if limit is None:
        return Figure(name, value, unit, note, cpu=cpu)
    return Figure(name, value, unit, note, f"< {format_value(limit)} {unit}", value < limit, cpu)


def median_timing(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None,
                  warmup: int = 0) -> tuple[float, float]:
    """(median wall s, median process CPU s) of ``fn()`` over ``runs`` runs (``setup()`` before each, untimed).

    CPU time counts every thread of this process (DuckDB and BLAS use both cores), so on a busy machine
    it shows what the work costs when wall time is inflated by other processes.
    """
    for _ in range(warmup):
        if setup:
            setup()
        fn()
    walls, cpus = [], []
    for _ in range(max(1, runs)):
        if setup:
            setup()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def median_seconds(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None,
                   warmup: int = 0) -> float:
    """Median wall time of ``fn()`` over ``runs`` runs (``setup()`` before each, untimed)."""
    return median_timing(fn, runs, setup, warmup)[0]


def summary(figures: list[Figure]) -> list[str]:
    """Closing lines: targets met / missed / not measured."""
    targeted = [f for f in figures if f.target]
    met = [f for f in targeted if f.met]
    missed = [f for f in targeted if f.met is False]
    missing = [f for f in figures if f.value is None]
    out = [f"summary: {len(figures)} figures, {len(met)}/{len(targeted)} targets met (wall time), {len(missing)} n/a"]
    for f in targeted:
        state = "n/a" if f.value is None else ("met" if f.met else "MISSED")
        out.append(f"  {f.name}: {state} (target {f.target})")
    for f in missed:
        if f.note:
            out.append(f"  note {f.name}: {f.note}")
    return out
