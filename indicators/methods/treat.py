"""Outlier treatment by skewness and kurtosis (COINr's ``Treat`` defaults, re-implemented).

* skew: type-2 sample skewness G1 (== scipy.stats.skew(bias=False)); kurt: type-2 excess kurtosis G2.
* a column passes when |skew| < skew_thresh OR kurt < kurt_thresh (defaults 2 and 3.5).
* a failing column is winsorised: while failing and fewer than ``winmax`` points are treated, the
  point(s) equal to the current extreme (max if skew ≥ 0, else min) take the next value inwards.
* if it still fails, the log fallback log(x − min + 0.01·(max − min)) is applied to the ORIGINAL values.
NaNs are ignored (signalling NaNs are quietened first). Every column's report says what was done.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.methods.frames import quiet_nan


def skew(x) -> float:
    """Type-2 sample skewness (e1071 type 2 / Excel SKEW); NaNs dropped; needs 3 values."""
    v = quiet_nan(x)
    v = v[~np.isnan(v)]
    n = len(v)
    if n < 3:
        return float("nan")
    d = v - v.mean()
    m2 = np.sum(d ** 2)
    if m2 == 0:
        return float("nan")
    g = np.sqrt(n) * np.sum(d ** 3) / m2 ** 1.5
    return float(g * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x) -> float:
    """Type-2 sample excess kurtosis (e1071 type 2 / Excel KURT); NaNs dropped; needs 4 values."""
    v = quiet_nan(x)
    v = v[~np.isnan(v)]
    n = len(v)
    if n < 4:
        return float("nan")
    d = v - v.mean()
    m2 = np.sum(d ** 2)
    if m2 == 0:
        return float("nan")
    r = n * np.sum(d ** 4) / m2 ** 2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes_skew_kurt(x, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> bool:
    """True when |skew| < skew_thresh OR kurt < kurt_thresh (a column with too few values passes)."""
    s, k = skew(x), kurt(x)
    if np.isnan(s) or np.isnan(k):
        return True
    return bool(abs(s) < skew_thresh or k < kurt_thresh)


@dataclass
class TreatReport:
    """What treatment did to one column."""

    column: str
    skew_before: float
    kurt_before: float
    passed_before: bool
    winsorised: int = 0
    winsorised_positions: list[int] = field(default_factory=list)
    log_applied: bool = False
    skew_after: float = float("nan")
    kurt_after: float = float("nan")
    passed_after: bool = True

    @property
    def action(self) -> str:
        if self.passed_before:
            return "none"
        return "log" if self.log_applied else "winsorised"


def winsorise(x, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5):
    """Winsorise until the column passes or ``winmax`` points are treated.

    Returns (values, n_winsorised, positions) — positions are 0-based indices of the treated points
    (the points tied at the extreme in the last step, which include all earlier ones on that side).
    """
    v = quiet_nan(x)
    passing = passes_skew_kurt(v, skew_thresh, kurt_thresh)
    nwin = 0
    imax: np.ndarray = np.array([], dtype=int)
    imin: np.ndarray = np.array([], dtype=int)
    while not passing and nwin < winmax:
        ok = ~np.isnan(v)
        if skew(v) >= 0:
            top = np.max(v[ok])
            imax = np.flatnonzero(ok & (v == top))
            rest = v[ok & (v != top)]
            if rest.size == 0:
                break
            v[imax] = np.max(rest)
        else:
            bot = np.min(v[ok])
            imin = np.flatnonzero(ok & (v == bot))
            rest = v[ok & (v != bot)]
            if rest.size == 0:
                break
            v[imin] = np.min(rest)
        nwin = len(imax) + len(imin)
        passing = passes_skew_kurt(v, skew_thresh, kurt_thresh)
    positions = sorted(set(imax.tolist()) | set(imin.tolist()))
    return v, nwin, positions


def log_ct(x) -> np.ndarray:
    """COIN Tool log: log(x − min + 0.01·(max − min)), NaNs kept."""
    v = quiet_nan(x)
    lo, hi = np.nanmin(v), np.nanmax(v)
    return np.log(v - lo + 0.01 * (hi - lo))


def treat_column(x, name: str = "", winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
                 log_fallback: bool = True) -> tuple[np.ndarray, TreatReport]:
    """Treat one column: leave it, winsorise it, or (if winsorising fails) log-transform the original."""
    v = quiet_nan(x)
    rep = TreatReport(name, skew(v), kurt(v), passes_skew_kurt(v, skew_thresh, kurt_thresh))
    if rep.passed_before:
        rep.skew_after, rep.kurt_after, rep.passed_after = rep.skew_before, rep.kurt_before, True
        return v, rep
    w, nwin, pos = winsorise(v, winmax, skew_thresh, kurt_thresh)
    rep.winsorised, rep.winsorised_positions = nwin, pos
    if passes_skew_kurt(w, skew_thresh, kurt_thresh) or not log_fallback:
        out = w
    else:
        out = log_ct(v)
        rep.log_applied = True
        rep.winsorised, rep.winsorised_positions = nwin, pos
    rep.skew_after, rep.kurt_after = skew(out), kurt(out)
    rep.passed_after = passes_skew_kurt(out, skew_thresh, kurt_thresh)
    return out, rep


def treat(frame: pd.DataFrame, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
          per_column: dict[str, dict] | None = None, log_fallback: bool = True) -> tuple[pd.DataFrame, list[TreatReport]]:
    """Treat every column of ``frame``; ``per_column`` overrides parameters (or {'none': True}) per column."""
    out = {}
    reports: list[TreatReport] = []
    for col in frame.columns:
        spec = dict(winmax=winmax, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh, log_fallback=log_fallback)
        spec.update((per_column or {}).get(col, {}))
        if spec.pop("none", False):
            out[col] = quiet_nan(frame[col].to_numpy(dtype=float, na_value=np.nan))
            continue
        out[col], rep = treat_column(frame[col].to_numpy(dtype=float, na_value=np.nan), str(col), **spec)
        reports.append(rep)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns), reports
