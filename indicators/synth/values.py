"""Synthetic indicator values: units × years × indicators, vectorised with numpy.

Each value is base × exp(loading × development + growth × t + noise), where `development` is one
latent factor per unit (a county shares its prefecture's factor plus its own noise), so the index built
on the data has structure to find. Percent indicators are squeezed into their range with a logistic.
Nothing here is a statistic: every row is flagged ``synthetic``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from indicators.synth.regions import SYNTHETIC_SOURCE_ID


@dataclass(frozen=True)
class SynthIndicator:
    indicator: str
    unit: str
    direction: int        # +1 higher is better, -1 lower is better
    base: float           # typical value (or the midpoint for percent indicators)
    growth: float         # yearly log growth
    kind: str             # 'level' | 'percent'
    dimension: str        # which 同城化 dimension it stands in for (an id of DIMENSION_NAMES_ZH)


# Ids from the shared vocabulary first, then numbered synthetic ones up to the requested count.
_NAMED = [
    SynthIndicator("gdp", "亿元", 1, 2500.0, 0.07, "level", "foundation"),
    SynthIndicator("gdp_primary", "亿元", 1, 200.0, 0.03, "level", "foundation"),
    SynthIndicator("gdp_secondary", "亿元", 1, 1000.0, 0.06, "level", "industry"),
    SynthIndicator("gdp_tertiary", "亿元", 1, 1300.0, 0.08, "level", "industry"),
    SynthIndicator("gdp_per_capita", "元", 1, 60000.0, 0.06, "level", "foundation"),
    SynthIndicator("resident_population", "万人", 1, 400.0, 0.005, "level", "foundation"),
    SynthIndicator("urbanization_rate", "%", 1, 60.0, 0.01, "percent", "foundation"),
    SynthIndicator("pm25_mean", "µg/m³", -1, 40.0, -0.04, "level", "environment"),
    SynthIndicator("pm25_good_day_share", "%", 1, 85.0, 0.01, "percent", "environment"),
    SynthIndicator("good_air_day_rate", "%", 1, 80.0, 0.01, "percent", "environment"),
    SynthIndicator("rd_intensity", "%", 1, 2.0, 0.04, "percent", "innovation"),
    SynthIndicator("rail_length_km", "km", 1, 300.0, 0.05, "level", "infrastructure"),
    SynthIndicator("rail_density", "km/万km²", 1, 250.0, 0.05, "level", "infrastructure"),
    SynthIndicator("joint_patents", "件", 1, 150.0, 0.10, "level", "innovation"),
    SynthIndicator("public_expenditure_per_capita", "元", 1, 15000.0, 0.05, "level", "public_services"),
    SynthIndicator("schooling_years", "年", 1, 10.0, 0.005, "level", "public_services"),
    SynthIndicator("life_expectancy", "岁", 1, 77.0, 0.002, "level", "public_services"),
    SynthIndicator("water_quality_share", "%", 1, 75.0, 0.01, "percent", "environment"),
    SynthIndicator("commuters", "人", 1, 20000.0, 0.06, "level", "infrastructure"),
]
DIMENSION_NAMES_ZH = {"foundation": "发展基础", "infrastructure": "设施互通", "innovation": "创新协同", "industry": "产业协作",
                      "public_services": "公共服务", "environment": "生态共保", "opening": "开放共进"}
_DIMENSIONS = list(DIMENSION_NAMES_ZH)


def indicator_table(n: int) -> list[SynthIndicator]:
    """``n`` indicators: the named vocabulary first, then ``syn_001`` … with varied units and directions."""
    out = list(_NAMED[:n])
    rng = np.random.default_rng(7)
    k = 0
    while len(out) < n:
        k += 1
        is_pct = k % 3 == 0
        out.append(SynthIndicator(
            indicator=f"syn_{k:03d}", unit="%" if is_pct else "指数", direction=-1 if k % 5 == 0 else 1,
            base=float(50.0 if is_pct else 10 ** rng.uniform(0, 4)), growth=float(rng.uniform(-0.02, 0.08)),
            kind="percent" if is_pct else "level", dimension=_DIMENSIONS[k % len(_DIMENSIONS)]))
    return out


def indicator_frame(indicators: list[SynthIndicator]) -> pd.DataFrame:
    """Metadata of the synthetic indicators (equal weights within the set)."""
    df = pd.DataFrame([i.__dict__ for i in indicators])
    df["dimension_zh"] = df["dimension"].map(DIMENSION_NAMES_ZH)
    df["weight"] = 1.0 / len(df)
    return df


def unit_factors(codes: np.ndarray, parents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One latent development factor per unit; counties = parent's factor + own noise."""
    uniq, inv = np.unique(np.where(parents == "", codes, parents), return_inverse=True)
    city = rng.normal(0.0, 0.6, len(uniq))
    own = rng.normal(0.0, 0.3, len(codes))
    return city[inv] + np.where(parents == "", 0.0, own - 0.4)


def generate_values(codes: np.ndarray, factors: np.ndarray, years: list[int], indicators: list[SynthIndicator],
                    rng: np.random.Generator) -> np.ndarray:
    """Array of shape (units, years, indicators)."""
    n_u, n_y, n_i = len(codes), len(years), len(indicators)
    t = np.arange(n_y, dtype=float)[None, :, None]
    base = np.array([i.base for i in indicators])[None, None, :]
    growth = np.array([i.growth for i in indicators])[None, None, :]
    direction = np.array([i.direction for i in indicators], dtype=float)[None, None, :]
    is_pct = np.array([i.kind == "percent" for i in indicators])[None, None, :]
    loading = rng.uniform(0.4, 1.0, n_i)[None, None, :] * direction
    f = factors[:, None, None]
    noise = rng.normal(0.0, 0.15, (n_u, n_y, n_i)) + rng.normal(0.0, 0.2, (n_u, 1, n_i))
    z = loading * f + growth * (t - n_y + 1) + noise
    level = base * np.exp(z)
    mid = np.clip(base / 100.0, 0.01, 0.99)
    logit = np.log(mid / (1 - mid)) + z
    pct = 100.0 / (1.0 + np.exp(-logit))
    return np.round(np.where(is_pct, pct, level), 4)


def observations_table(codes: np.ndarray, years: list[int], indicators: list[SynthIndicator],
                       values: np.ndarray) -> pa.Table:
    """Long-form Arrow table in the store's observation layout (dictionary-encoded strings)."""
    n_u, n_y, n_i = values.shape
    n = n_u * n_y * n_i
    u_idx = np.repeat(np.arange(n_u, dtype=np.int32), n_y * n_i)
    y = np.tile(np.repeat(np.asarray(years, dtype=np.int32), n_i), n_u)
    i_idx = np.tile(np.arange(n_i, dtype=np.int32), n_u * n_y)
    zeros = pa.array(np.zeros(n, dtype=np.int32))
    return pa.table({
        "code": pa.DictionaryArray.from_arrays(pa.array(u_idx), pa.array(codes.astype(str))),
        "year": pa.array(y),
        "indicator": pa.DictionaryArray.from_arrays(pa.array(i_idx), pa.array([i.indicator for i in indicators])),
        "value": pa.array(values.reshape(-1)),
        "source_id": pa.DictionaryArray.from_arrays(zeros, pa.array([SYNTHETIC_SOURCE_ID])),
        "quality": pa.DictionaryArray.from_arrays(zeros, pa.array(["synthetic"])),
    })
