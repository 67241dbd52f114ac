"""Which indicators an index score rests on in a year, and whether two years are comparable (pure).

Reads a prepared panel (``indicators.engine.types.PreparedPanel``: units = (metro_id, year), raw values,
per-cell evidence class, vintage and carried flags, ``meta['periods']`` for flows measured on dates).
A metro's index **make-up** in a year is the set of indicators with a value for it; a year-on-year change
is stated only when the make-up is the same in both years (otherwise 口径变化、不可比).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IndicatorData:
    indicator: str
    labels: tuple[str, ...]      # vintage labels of the values used ('2022年', '2020年1月快照（沿用至2022年）')
    metros: tuple[str, ...]      # selected metros with a value
    evidence: tuple[str, ...]    # evidence classes of the values used


def _rows(prepared, metro_id: str, year: int) -> np.ndarray:
    units = prepared.units
    metros = units.get_level_values(0).astype(str)
    years = units.get_level_values(prepared.year_level or -1).astype(int)
    return np.flatnonzero((metros == str(metro_id)) & (years == int(year)))


def makeup(prepared, metro_id: str, year: int) -> frozenset[str]:
    """Indicators with a value for ``metro_id`` in ``year`` (empty when the unit is not in the panel)."""
    rows = _rows(prepared, metro_id, year)
    if not len(rows):
        return frozenset()
    have = ~np.isnan(np.asarray(prepared.raw, dtype=float)[rows[0]])
    return frozenset(np.asarray(prepared.indicators, dtype=object)[have].tolist())


def comparable(prepared, metro_id: str, year: int, other_year: int) -> bool:
    """True when the metro's index rests on the same indicators in both years (and has some)."""
    a, b = makeup(prepared, metro_id, year), makeup(prepared, metro_id, other_year)
    return bool(a) and a == b


def year_composition(prepared, metro_ids: list[str], year: int, lang: str = "zh") -> list[IndicatorData]:
    """Every indicator with a value for at least one of ``metro_ids`` in ``year``, in framework order."""
    from indicators.engine.evidence import vintage_label

    raw = np.asarray(prepared.raw, dtype=float)
    ev = prepared.evidence
    vint = prepared.vintage
    carried = prepared.carried
    periods = (prepared.meta or {}).get("periods", {}) if hasattr(prepared, "meta") else {}
    out = []
    for j, ind in enumerate(prepared.indicators):
        labels, metros, classes = [], [], []
        for m in metro_ids:
            rows = _rows(prepared, m, year)
            if not len(rows) or np.isnan(raw[rows[0], j]):
                continue
            r = rows[0]
            e = ev[r, j] if ev is not None else "observed"
            v = vint[r, j] if vint is not None else float(year)
            c = bool(carried[r, j]) if carried is not None else False
            imputed = bool(prepared.imputed[r, j]) if getattr(prepared, "imputed", None) is not None else False
            if imputed:
                e, v = "estimated", np.nan
            period = None
            if not (isinstance(v, float) and np.isnan(v)):
                period = periods.get(ind, {}).get(int(v))
            labels.append(vintage_label(v, e, period, c, lang, for_year=int(year)))
            metros.append(str(m))
            classes.append(str(e or "observed"))
        if metros:
            out.append(IndicatorData(ind, tuple(dict.fromkeys(labels)), tuple(metros), tuple(dict.fromkeys(classes))))
    return out
