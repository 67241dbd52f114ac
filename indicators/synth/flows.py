"""Synthetic county-level OD flows (commuting trips), vectorised.

Each origin county gets the same ``k`` destination counties every year, drawn without replacement
with a Gumbel top-k over weights that fall with distance in code order (counties of one prefecture,
then one province, sit next to each other in code order, so this stands in for geography). Values
follow a gravity form: mass_o × mass_d × distance decay × noise, with a yearly drift.
"""
from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from indicators.synth.regions import SYNTHETIC_SOURCE_ID

OD_KIND = "commuting"
OD_UNIT = "人次"


def partners_per_origin(n_units: int, n_years: int, min_rows: int) -> int:
    """Destinations per origin so that n_units × k × n_years ≥ min_rows (at most every other unit)."""
    if n_units < 2:
        raise ValueError("need at least two units for OD flows")
    k = math.ceil(min_rows / (n_units * n_years))
    if k > n_units - 1:
        raise ValueError(f"{n_units} units × {n_years} years cannot give {min_rows} OD rows; add units or years")
    return max(k, 1)


def choose_destinations(n: int, k: int, rng: np.random.Generator, chunk: int = 512) -> np.ndarray:
    """(n, k) destination indices, distinct per row and never the origin itself."""
    off = np.arange(1, n)
    dist = np.minimum(off, n - off).astype(float)
    logw = -1.3 * np.log1p(dist)
    out = np.empty((n, k), dtype=np.int32)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        keys = logw[None, :] + rng.gumbel(size=(e - s, n - 1))
        top = np.argpartition(-keys, k - 1, axis=1)[:, :k] if k < n - 1 else np.tile(np.arange(n - 1), (e - s, 1))
        out[s:e] = (np.arange(s, e)[:, None] + off[top]) % n
    return out


def od_table(codes: np.ndarray, parents: np.ndarray, factors: np.ndarray, years: list[int], min_rows: int,
             rng: np.random.Generator) -> pa.Table:
    """Arrow table origin_code, dest_code, year, kind, value, unit, source_id, quality (≥ min_rows rows)."""
    n = len(codes)
    k = partners_per_origin(n, len(years), min_rows)
    dest = choose_destinations(n, k, rng)                       # (n, k)
    origin = np.repeat(np.arange(n, dtype=np.int32), k)
    dest = dest.reshape(-1)
    off = np.abs(dest.astype(np.int64) - origin)
    dist = np.minimum(off, n - off)
    mass = 2000.0 * np.exp(factors)
    same_city = parents[origin] == parents[dest]
    base = mass[origin] * mass[dest] / 1000.0 * (1.0 + dist) ** -1.0 * np.where(same_city, 5.0, 1.0)
    base = base * rng.lognormal(0.0, 0.5, len(base))
    n_y = len(years)
    drift = (1.0 + rng.normal(0.03, 0.02, n_y))
    drift = np.cumprod(drift) / drift[0]
    m = len(base)
    value = np.round(np.outer(drift, base) * rng.lognormal(0.0, 0.1, (n_y, m))).reshape(-1)
    total = m * n_y
    zeros = pa.array(np.zeros(total, dtype=np.int32))
    codes_arr = pa.array(codes.astype(str))
    return pa.table({
        "origin_code": pa.DictionaryArray.from_arrays(pa.array(np.tile(origin, n_y)), codes_arr),
        "dest_code": pa.DictionaryArray.from_arrays(pa.array(np.tile(dest, n_y)), codes_arr),
        "year": pa.array(np.repeat(np.asarray(years, dtype=np.int32), m)),
        "kind": pa.DictionaryArray.from_arrays(zeros, pa.array([OD_KIND])),
        "value": pa.array(value),
        "unit": pa.DictionaryArray.from_arrays(zeros, pa.array([OD_UNIT])),
        "source_id": pa.DictionaryArray.from_arrays(zeros, pa.array([SYNTHETIC_SOURCE_ID])),
        "quality": pa.DictionaryArray.from_arrays(zeros, pa.array(["synthetic"])),
    })
