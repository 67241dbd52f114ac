"""Robustness of the ranking: Monte Carlo over the analyst's choices, and drop-one influence.

``sensitivity(prepared_or_frame, n_draws, seed, ...)`` draws, independently per draw:
* indicator and dimension weights: nominal × U(1 − noise, 1 + noise) (default ±25 %, as COINr's UA);
* the normalisation: one of ``normalisations`` (default min-max / rank / z-score→0–100 clipped);
* the aggregation: arithmetic or geometric mean;
* the missing-data rule: re-weight or own-trend imputation (panels with years only);
* dropping one indicator (or none), each equally likely;
* optionally the metro boundaries: ``alt_panel`` = the same framework prepared on the other scope (plan /
  extended, issue 11); each draw then picks one of the two scopes, equally likely.
Everything is computed as matrices of draws × units (no Python loop over draws), for the units of
one year. Output per unit: nominal rank, median rank, 5–95 % rank interval, mean rank, and the
probability of each rank. ``indicator_influence`` removes one indicator at a time and reports the mean
and largest absolute rank change it causes (COINr ``remove_elements``).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from indicators.engine.robustness_common import (DEFAULT_NORMALISATIONS, SensitivityResult, _as_prepared, _ranks,
                                                 _select_rows)
from indicators.engine.robustness_fast import sensitivity_fast
from indicators.engine.weighting import score_arrays

__all__ = ["DEFAULT_NORMALISATIONS", "SensitivityResult", "indicator_influence", "sensitivity"]


def sensitivity(prepared, n_draws: int = 1000, seed: int = 0, year: int | None = None, weight_noise: float = 0.25,
                normalisations=DEFAULT_NORMALISATIONS, aggregations=("amean", "gmean"),
                vary_missing: bool | None = None, drop_one: bool = True, alt_panel=None) -> SensitivityResult:
    """Monte Carlo rank intervals (see the module doc). Deterministic for a given ``seed``.

    Runs :func:`indicators.engine.robustness_fast.sensitivity_fast`: the same draws and results as
    :func:`indicators.engine.robustness_reference.sensitivity_reference` (the direct matrix formulation kept as the specification), computed
    in blocks of draws with one matrix product per block and rank counts instead of a units × draws rank
    matrix. Ties: scores equal to within 2⁻⁴⁰ relative are ranked in unit order (the reference's stable
    sort ranks exactly equal scores in unit order).
    """
    return sensitivity_fast(prepared, n_draws=n_draws, seed=seed, year=year, weight_noise=weight_noise,
                            normalisations=normalisations, aggregations=aggregations, vary_missing=vary_missing,
                            drop_one=drop_one, alt_panel=alt_panel)


def indicator_influence(prepared, year: int | None = None) -> pd.DataFrame:
    """Drop one indicator at a time: mean and max |rank change| of the index (largest first)."""
    p = _as_prepared(prepared)
    rows, year = _select_rows(p, year)
    p = replace(p, min_coverage=0.0)    # dropping an indicator lowers coverage; rank on the same units
    base = _ranks(score_arrays(p, p.membership, p.dimension_weights)[2][rows][:, None])[:, 0]
    out = []
    for i, ind in enumerate(p.indicators):
        m = p.membership.copy()
        m[i, :] = 0.0
        r = _ranks(score_arrays(p, m, p.dimension_weights)[2][rows][:, None])[:, 0]
        ch = np.abs(r - base)
        has_data = bool(np.isfinite(p.normalised[rows, i]).any())
        ok = np.isfinite(ch)
        out.append({"indicator": ind, "mean_abs_rank_change": float(ch[ok].mean()) if ok.any() else np.nan,
                    "max_abs_rank_change": float(ch[ok].max()) if ok.any() else np.nan,
                    "has_data": has_data, "year": year})
    return pd.DataFrame(out).sort_values("mean_abs_rank_change", ascending=False, na_position="last").reset_index(drop=True)
