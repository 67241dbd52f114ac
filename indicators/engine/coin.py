"""Build a composite index defined COINr-style: a data table + an indicator-tree table.

Data table: one row per unit (``uCode``), indicator columns, optional group columns (``*_group``)
and denominator columns. Tree table (iMeta): iCode, Parent, Level, Direction, Weight, Type
(Indicator / Aggregate / Group / Denominator), Denominator.

Each step reads a named data set and writes a new one (Raw → Denominated → Imputed → Screened →
Treated → Normalised → Aggregated), records its parameters in ``coin.log``, and ``regen(coin)``
replays the log from the raw tables. Steps: ``denominate``, ``impute``, ``screen``, ``treat``,
``normalise``, ``aggregate`` (see STEPS).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from indicators.engine.log import BuildLog, Step
from indicators.methods.denominate import denominate as _denominate, screen_units
from indicators.methods.frames import numeric_frame
from indicators.methods.impute import impute_group_mean
from indicators.methods.normalise import normalize
from indicators.methods.registry import Registry
from indicators.methods.treat import treat as _treat
from indicators.methods.tree import IndexTree, aggregate_tree


@dataclass
class Coin:
    """The index under construction: raw tables, tree, named data sets, analysis notes and the log."""

    data: pd.DataFrame          # all columns, indexed by unit code
    meta: pd.DataFrame          # the tree table as given
    tree: IndexTree
    datasets: dict[str, pd.DataFrame] = field(default_factory=dict)
    analysis: dict[str, Any] = field(default_factory=dict)
    log: BuildLog = field(default_factory=BuildLog)

    @property
    def indicators(self) -> list[str]:
        return self.tree.indicators

    def denominators(self) -> dict[str, str]:
        if "Denominator" not in self.meta.columns:
            return {}
        m = self.meta[self.meta["Type"] == "Indicator"]
        return {str(r["iCode"]): str(r["Denominator"]) for _, r in m.iterrows()
                if isinstance(r["Denominator"], str) and r["Denominator"]}


StepFn = Callable[..., None]
STEPS: Registry[StepFn] = Registry("build step")


def new_coin(data: pd.DataFrame, meta: pd.DataFrame, unit_col: str = "uCode") -> Coin:
    """Start a coin: check the tables and store the indicator columns as data set 'Raw'."""
    tree = IndexTree.from_table(meta)
    data = data.set_index(unit_col, drop=False) if unit_col in data.columns else data
    missing = [c for c in tree.indicators if c not in data.columns]
    if missing:
        raise ValueError(f"indicators in the tree but not in the data: {missing}")
    coin = Coin(data=data, meta=meta, tree=tree)
    coin.datasets["Raw"] = numeric_frame(data[tree.indicators])
    return coin


@STEPS.register("denominate", "指标分母化", "denominate")
def _step_denominate(coin: Coin, dset: str = "Raw", write_to: str = "Denominated") -> None:
    spec = coin.denominators()
    dens = sorted(set(spec.values()))
    coin.datasets[write_to] = _denominate(coin.datasets[dset], coin.data.loc[coin.datasets[dset].index, dens], spec)


@STEPS.register("impute", "缺失值插补", "impute")
def _step_impute(coin: Coin, dset: str, method: str = "group_mean", group_col: str | None = None,
                 write_to: str = "Imputed") -> None:
    if method != "group_mean":
        raise ValueError(f"unknown imputation method {method!r} for a cross-section; use 'group_mean'")
    x = coin.datasets[dset]
    filled, mask = impute_group_mean(x, coin.data.loc[x.index, group_col])
    coin.datasets[write_to] = filled
    coin.analysis[write_to] = {"imputed_cells": int(mask.to_numpy().sum())}


@STEPS.register("screen", "按数据可得性筛选单元", "screen units")
def _step_screen(coin: Coin, dset: str, dat_thresh: float = 0.9, write_to: str = "Screened") -> None:
    kept, removed = screen_units(coin.datasets[dset], dat_thresh)
    coin.datasets[write_to] = kept
    coin.analysis[write_to] = {"removed_units": removed}


@STEPS.register("treat", "异常值处理", "treat outliers")
def _step_treat(coin: Coin, dset: str, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
                per_column: dict | None = None, write_to: str = "Treated") -> None:
    treated, reports = _treat(coin.datasets[dset], winmax, skew_thresh, kurt_thresh, per_column)
    coin.datasets[write_to] = treated
    coin.analysis[write_to] = reports


@STEPS.register("normalise", "标准化", "normalise")
def _step_normalise(coin: Coin, dset: str, method: str = "minmax", params: dict | None = None,
                    write_to: str = "Normalised") -> None:
    x = coin.datasets[dset]
    coin.datasets[write_to] = normalize(x, method, coin.tree.directions(), **(params or {}))


@STEPS.register("aggregate", "逐级加权汇总", "aggregate level by level")
def _step_aggregate(coin: Coin, dset: str, method: str = "amean", weights: dict | None = None,
                    dat_thresh: float | None = None, write_to: str = "Aggregated") -> None:
    coin.datasets[write_to] = aggregate_tree(coin.datasets[dset], coin.tree, method, weights, dat_thresh)


def run_step(coin: Coin, name: str, **params: Any) -> Coin:
    """Run one step, writing its output data set and recording (name, params) in the log."""
    STEPS.get(name)(coin, **params)
    coin.log.add(name, **params)
    return coin


def build(data: pd.DataFrame, meta: pd.DataFrame, steps: list[Step] | BuildLog, unit_col: str = "uCode") -> Coin:
    """A new coin with ``steps`` applied in order."""
    coin = new_coin(data, meta, unit_col)
    for s in steps:
        run_step(coin, s.name, **s.params)
    return coin


def regen(coin: Coin, unit_col: str = "uCode") -> Coin:
    """Rebuild from the raw tables by replaying the coin's log (COINr ``Regen``)."""
    return build(coin.data.reset_index(drop=True) if unit_col in coin.data.columns else coin.data,
                 coin.meta, list(coin.log), unit_col)


def results_table(coin: Coin, dset: str = "Aggregated") -> pd.DataFrame:
    """Aggregates of ``dset`` sorted by the root score, with Rank (1 = highest; ties share the minimum)."""
    agg = coin.datasets[dset]
    root = coin.tree.root
    levels = sorted({n.level for n in coin.tree.nodes if n.level > 1}, reverse=True)
    cols = [c for lev in levels for c in coin.tree.codes_at(lev)]
    out = agg[cols].copy()
    out.insert(0, "Rank", out[root].rank(ascending=False, method="min").astype("Int64"))
    return out.sort_values(root, ascending=False)


def group_ranks(coin: Coin, group_col: str, dset: str = "Aggregated") -> pd.DataFrame:
    """Ranks of every aggregate within each group of ``group_col`` (1 = highest, ties = min)."""
    agg = coin.datasets[dset]
    aggs = [n.code for n in coin.tree.nodes if n.level > 1]
    g = coin.data.loc[agg.index, group_col]
    ranks = agg[aggs].groupby(g).rank(ascending=False, method="min")
    ranks.insert(0, group_col, g)
    return ranks


def example_steps(variant: str = "full") -> list[Step]:
    """COINr's example recipes: 'full' = build_example_coin(); 'overview' = the vignette without imputation."""
    if variant == "full":
        return [Step("denominate", {"dset": "Raw"}),
                Step("impute", {"dset": "Denominated", "method": "group_mean", "group_col": "EurAsia_group"}),
                Step("screen", {"dset": "Imputed", "dat_thresh": 0.9}),
                Step("treat", {"dset": "Screened"}),
                Step("normalise", {"dset": "Treated", "method": "minmax", "params": {"lower": 0, "upper": 100}}),
                Step("aggregate", {"dset": "Normalised", "method": "amean"})]
    if variant == "overview":
        return [Step("denominate", {"dset": "Raw"}),
                Step("screen", {"dset": "Denominated", "dat_thresh": 0.9}),
                Step("treat", {"dset": "Screened"}),
                Step("normalise", {"dset": "Treated", "method": "minmax", "params": {"lower": 0, "upper": 100}}),
                Step("aggregate", {"dset": "Normalised", "method": "amean"})]
    raise ValueError(f"unknown example variant {variant!r}")
