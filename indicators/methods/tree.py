"""An index as a tree of parent links (the COINr / JRC COIN layout) and level-by-level aggregation.

A tree row: code, parent, level (1 = indicator, higher = aggregates), direction (±1, indicators only),
weight (relative to its siblings). ``aggregate_tree`` computes every aggregate from its children's
scores, lowest level first, with the children's weights.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from indicators.methods.aggregate import AGGREGATORS


@dataclass(frozen=True)
class TreeNode:
    code: str
    parent: str | None
    level: int
    weight: float = 1.0
    direction: int = 1
    name: str = ""


@dataclass(frozen=True)
class IndexTree:
    """Nodes keyed by code. Indicators are level 1; the root is the single node without a parent."""

    nodes: tuple[TreeNode, ...]

    @classmethod
    def from_table(cls, meta: pd.DataFrame) -> "IndexTree":
        """From a COIN metadata table (columns iCode/code, Parent, Level, Direction, Weight, Type)."""
        cols = {c.lower(): c for c in meta.columns}
        code_col = cols.get("icode") or cols["code"]
        nodes = []
        for _, r in meta.iterrows():
            typ = str(r.get(cols.get("type", "Type"), "Indicator"))
            if typ not in ("Indicator", "Aggregate"):
                continue
            parent = r[cols["parent"]]
            nodes.append(TreeNode(
                code=str(r[code_col]),
                parent=None if pd.isna(parent) or parent == "" else str(parent),
                level=int(r[cols["level"]]),
                weight=float(r[cols["weight"]]) if "weight" in cols and not pd.isna(r[cols["weight"]]) else 1.0,
                direction=int(r[cols["direction"]]) if "direction" in cols and not pd.isna(r[cols["direction"]]) else 1,
                name=str(r[cols["iname"]]) if "iname" in cols else "",
            ))
        tree = cls(tuple(nodes))
        tree.validate()
        return tree

    def validate(self) -> None:
        codes = [n.code for n in self.nodes]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValueError(f"duplicate codes in the index tree: {sorted(dup)}")
        known = set(codes)
        for n in self.nodes:
            if n.parent is not None and n.parent not in known:
                raise ValueError(f"{n.code}: parent {n.parent!r} is not in the tree")
            if n.weight < 0:
                raise ValueError(f"{n.code}: negative weight")
        roots = [n for n in self.nodes if n.parent is None]
        if len(roots) != 1:
            raise ValueError(f"the tree needs exactly one root, found {[r.code for r in roots]}")

    @property
    def by_code(self) -> dict[str, TreeNode]:
        return {n.code: n for n in self.nodes}

    @property
    def root(self) -> str:
        return next(n.code for n in self.nodes if n.parent is None)

    @property
    def indicators(self) -> list[str]:
        return [n.code for n in self.nodes if n.level == 1]

    @property
    def max_level(self) -> int:
        return max(n.level for n in self.nodes)

    def children(self, code: str) -> list[str]:
        return [n.code for n in self.nodes if n.parent == code]

    def codes_at(self, level: int) -> list[str]:
        return [n.code for n in self.nodes if n.level == level]

    def directions(self) -> dict[str, int]:
        return {n.code: n.direction for n in self.nodes if n.level == 1}

    def weights(self) -> dict[str, float]:
        return {n.code: n.weight for n in self.nodes}

    def with_weights(self, weights: Mapping[str, float]) -> "IndexTree":
        """A copy with some node weights replaced."""
        return IndexTree(tuple(TreeNode(n.code, n.parent, n.level, float(weights.get(n.code, n.weight)), n.direction, n.name)
                               for n in self.nodes))

    def effective_weights(self) -> dict[str, float]:
        """Each node's share of the root: product of sibling-normalised weights down the tree."""
        w = self.weights()
        out: dict[str, float] = {self.root: 1.0}
        for level in range(self.max_level, 1, -1):
            for code in self.codes_at(level):
                kids = self.children(code)
                tot = sum(w[k] for k in kids)
                for k in kids:
                    out[k] = out.get(code, 0.0) * (w[k] / tot if tot > 0 else 0.0)
        return out


def aggregate_tree(scores: pd.DataFrame, tree: IndexTree, method: str = "amean",
                   weights: Mapping[str, float] | None = None, dat_thresh: float | None = None) -> pd.DataFrame:
    """Append every aggregate (level 2 … root) to the indicator ``scores`` (units × indicators).

    ``weights`` overrides node weights; missing children drop out with their weights.
    """
    w = tree.weights()
    if weights:
        w.update({k: float(v) for k, v in weights.items()})
    agg = AGGREGATORS.get(method)
    out = {c: scores[c].to_numpy(dtype=float) for c in scores.columns}
    for level in range(2, tree.max_level + 1):
        for code in tree.codes_at(level):
            kids = [k for k in tree.children(code) if k in out]
            if not kids:
                out[code] = np.full(len(scores), np.nan)
                continue
            x = np.column_stack([out[k] for k in kids])
            vals = agg(x, np.array([w[k] for k in kids]))
            if dat_thresh is not None:
                share = (~np.isnan(x)).sum(axis=1) / x.shape[1]
                vals = np.where(share < dat_thresh - 1e-12, np.nan, vals)
            out[code] = vals
    return pd.DataFrame(out, index=scores.index)
