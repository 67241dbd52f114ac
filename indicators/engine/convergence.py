"""Convergence and co-movement across a metro's member cities: rules that look back over a window of years.

Registered as city → metro aggregation rules (``aggregation_rules.RULES``), so the catalog names them like any
other rule; each reads the wide city panel ``W`` indexed by (metro_id, year, code) and needs the ``window``
years before every year it reports (``panel`` builds ``W`` over the longer span for them: a year's value is
the same whichever years are asked for).

* ``sigma_convergence`` (σ-convergence): yearly change of the dispersion of log per-capita values across
  members, 100 × (σ_t − σ_{t−w}) / w with σ the (unweighted, ddof 0) standard deviation of ln(num/den) over
  the members that report both ends. In log points a year; negative = members are converging.
* ``beta_convergence`` (β-convergence): OLS slope of members' average yearly growth of per-capita values,
  100 × (ln y_t − ln y_{t−w}) / w, on their initial level ln y_{t−w}. Negative = poorer members grow faster.
* ``growth_comovement``: mean over member pairs of the Pearson correlation of yearly growth rates of
  ``input`` (ln x_s − ln x_{s−1}, s = t−w+1 … t), each pair over the years both report (at least
  ``MIN_COMMON_GROWTH_YEARS``). Higher = members' economies move together.

Members missing an input at either end are left out, never counted as zero; a metro-year with fewer than
``MIN_MEMBERS`` (σ, β) or two (co-movement) usable members has no value. Partial members count whole.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.aggregation_rules import KEYS, RULES

MIN_MEMBERS = 3
MIN_COMMON_GROWTH_YEARS = 5
WINDOW_RULES = ("sigma_convergence", "beta_convergence", "growth_comovement")


def _wide(W: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """metro_id → (year × code) matrix of one column of ``W`` (NaN where missing or not a member)."""
    if column not in W.columns:
        return {}
    s = W[column].astype(float)
    out = {}
    for metro, g in s.groupby(level="metro_id", sort=False):
        out[metro] = g.droplevel("metro_id").unstack("code")
    return out


def _per_capita(W: pd.DataFrame, numerator: str, denominator: str) -> dict[str, pd.DataFrame]:
    num, den = _wide(W, numerator), _wide(W, denominator)
    out = {}
    for metro in num:
        if metro not in den:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            y = num[metro] / den[metro].where(den[metro] > 0)
        out[metro] = np.log(y.where(y > 0))
    return out


def _series(values: dict[tuple, float], index: pd.Index | None = None) -> pd.Series:
    s = pd.Series(values, dtype=float)
    if len(s):
        s.index = pd.MultiIndex.from_tuples(list(s.index), names=KEYS)
    else:
        s.index = pd.MultiIndex.from_arrays([[], []], names=KEYS)
    return s


def _ends(lny: pd.DataFrame, year: int, window: int) -> tuple[np.ndarray, np.ndarray] | None:
    if year not in lny.index or year - window not in lny.index:
        return None
    a, b = lny.loc[year - window].to_numpy(float), lny.loc[year].to_numpy(float)
    ok = np.isfinite(a) & np.isfinite(b)
    return a[ok], b[ok]


def sigma_change(start: np.ndarray, end: np.ndarray, window: int) -> float:
    """100 × (sd(end) − sd(start)) / window over the same members (log values in, log points a year out)."""
    if len(start) < MIN_MEMBERS:
        return np.nan
    return 100.0 * (float(np.std(end)) - float(np.std(start))) / window


def beta_slope(start: np.ndarray, end: np.ndarray, window: int) -> float:
    """OLS slope of 100 × (end − start) / window on start (log values in)."""
    if len(start) < MIN_MEMBERS or np.ptp(start) == 0:
        return np.nan
    growth = 100.0 * (end - start) / window
    x = start - start.mean()
    return float((x * (growth - growth.mean())).sum() / (x * x).sum())


def mean_pairwise_correlation(growth: pd.DataFrame, min_common: int = MIN_COMMON_GROWTH_YEARS) -> float:
    """Mean Pearson correlation over column pairs, each over the rows both have (≥ ``min_common``)."""
    cols = list(growth.columns)
    rs = []
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            pair = growth[[cols[i], cols[j]]].dropna()
            if len(pair) < min_common:
                continue
            a, b = pair.iloc[:, 0].to_numpy(float), pair.iloc[:, 1].to_numpy(float)
            if np.std(a) == 0 or np.std(b) == 0:
                continue
            rs.append(float(np.corrcoef(a, b)[0, 1]))
    return float(np.mean(rs)) if rs else np.nan


def _years(W: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in W.index.get_level_values("year")})


def _keys_of(W: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([W.index.get_level_values(k) for k in KEYS]).unique()


def _by_group(W: pd.DataFrame, values: dict[tuple, float]) -> pd.Series:
    keys = _keys_of(W)
    return _series(values).reindex(keys)


@RULES.register("sigma_convergence", "σ收敛(人均值离散度年变化)", "σ-convergence (yearly change in dispersion)")
def rule_sigma_convergence(W: pd.DataFrame, numerator: str, denominator: str, window: int = 5, **_) -> pd.Series:
    """100 × (σ_t − σ_{t−w}) / w of ln(num/den) across members reporting both ends (log points a year)."""
    window = int(window)
    out = {}
    for metro, lny in _per_capita(W, numerator, denominator).items():
        for year in lny.index:
            ends = _ends(lny, int(year), window)
            out[(metro, int(year))] = np.nan if ends is None else sigma_change(*ends, window)
    return _by_group(W, out)


@RULES.register("beta_convergence", "β收敛(增长对初始水平的斜率)", "β-convergence (growth on initial level)")
def rule_beta_convergence(W: pd.DataFrame, numerator: str, denominator: str, window: int = 5, **_) -> pd.Series:
    """OLS slope of members' yearly log growth (×100) over the window on their initial ln(num/den)."""
    window = int(window)
    out = {}
    for metro, lny in _per_capita(W, numerator, denominator).items():
        for year in lny.index:
            ends = _ends(lny, int(year), window)
            out[(metro, int(year))] = np.nan if ends is None else beta_slope(*ends, window)
    return _by_group(W, out)


@RULES.register("growth_comovement", "成员增长同步性(两两相关均值)", "growth co-movement (mean pairwise correlation)")
def rule_growth_comovement(W: pd.DataFrame, input: str, window: int = 8, **_) -> pd.Series:
    """Mean pairwise correlation of members' yearly log growth of ``input`` over the ``window`` years to t."""
    window = int(window)
    out = {}
    for metro, x in _wide(W, input).items():
        lnx = np.log(x.where(x > 0)).sort_index()
        growth = lnx.diff()
        # a growth rate needs the year before: keep only consecutive years
        years = lnx.index.to_numpy()
        gap = np.r_[np.nan, np.diff(years)]
        growth = growth[gap == 1]
        for year in lnx.index:
            g = growth[(growth.index > year - window) & (growth.index <= year)]
            out[(metro, int(year))] = mean_pairwise_correlation(g) if len(g) else np.nan
    return _by_group(W, out)


def lookback(agg: dict) -> int:
    """Years before the first reported year a rule needs (0 for ordinary rules)."""
    return int(agg.get("window") or 0) if agg.get("rule") in WINDOW_RULES else 0
