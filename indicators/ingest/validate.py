"""Validation of canonical records: structure with pydantic (column-wise, fast), plausibility per
indicator (share > 100 %, negative where impossible, population 0), duplicate keys in the file."""
from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicators.ingest.errors import ImportReport
from indicators.ingest.indicator_lookup import IndicatorTable
from indicators.ingest.options import MIN_YEAR, Quality, max_year

RegionCode = Annotated[str, Field(pattern=r"^\d{6}$")]
IndicatorId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
SourceId = Annotated[str, Field(min_length=1, max_length=200)]
FiniteValue = Annotated[float, Field(allow_inf_nan=False)]


def observation_batch_model(last_year: int) -> type[BaseModel]:
    Year = Annotated[int, Field(ge=MIN_YEAR, le=last_year)]

    class ObservationBatch(BaseModel):
        """Columns of observation rows, each cell validated (pydantic-core runs the loop: ~0.1 µs/cell)."""

        model_config = ConfigDict(extra="forbid")
        code: list[RegionCode]
        year: list[Year]
        indicator: list[IndicatorId]
        value: list[FiniteValue]
        source_id: list[SourceId]
        quality: list[Quality]

    return ObservationBatch


_FIELD_LABEL = {"code": "region", "year": "year", "indicator": "indicator", "value": None, "source_id": "source",
                "quality": "quality"}


def validate_structure(clean: pd.DataFrame, report: ImportReport) -> np.ndarray:
    """Boolean mask of rows that fail the pydantic batch model (and are reported).

    Year and value are validated row by row; the text columns (region code, indicator, source, quality)
    repeat a handful of values, so their distinct values are validated and failures mapped back to rows."""
    bad = np.zeros(len(clean), dtype=bool)
    if clean.empty:
        return bad
    model = observation_batch_model(max_year())
    distinct = {name: pd.unique(clean[name].to_numpy(dtype=object)).tolist() for name in ("code", "indicator",
                                                                                          "source_id", "quality")}
    data = {"year": clean["year"].to_numpy().tolist(), "value": clean["value"].to_numpy(dtype=float).tolist(), **distinct}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        rows, cols, reasons, values = [], [], [], []
        for err in exc.errors(include_url=False):
            loc = err.get("loc", ())
            if len(loc) < 2 or not isinstance(loc[1], int):
                continue
            field, pos = loc[0], loc[1]
            if field in distinct:
                hit = np.flatnonzero(clean[field].to_numpy(dtype=object) == distinct[field][pos])
            else:
                hit = np.array([pos])
            hit = hit[~bad[hit]]
            bad[hit] = True
            for p in hit:
                rows.append(clean["row"].iat[p])
                cols.append(_FIELD_LABEL.get(field) or clean["column"].iat[p])
                reasons.append(_reason(field, err))
                values.append(err.get("input"))
        report.error_many(rows, cols, reasons, values)
    return bad


def _reason(field: str, err: dict) -> str:
    if field == "year":
        return f"year outside {MIN_YEAR}..{max_year()}"
    return f"{field}: {err.get('msg', 'invalid')}"


def check_plausible(clean: pd.DataFrame, table: IndicatorTable, report: ImportReport) -> np.ndarray:
    """Values outside an indicator's plausible range (canonical unit): share > 100 %, negative, population 0."""
    bad = np.zeros(len(clean), dtype=bool)
    if clean.empty:
        return bad
    for indicator, positions in clean.groupby("indicator", sort=False).indices.items():
        info = table.by_id.get(indicator)
        if info is None:
            continue
        values = clean["value"].to_numpy()[positions]
        low_bad = np.zeros(len(positions), dtype=bool)
        if info.min_value is not None:
            low_bad = values <= info.min_value if info.min_exclusive else values < info.min_value
        high_bad = values > info.max_value if info.max_value is not None else np.zeros(len(positions), dtype=bool)
        for mask, reason in ((low_bad, _low_reason(info)), (high_bad, f"above the plausible maximum {info.max_value:g} {info.unit}"
                                                            if info.max_value is not None else "")):
            if mask.any():
                hit = positions[mask]
                report.error_many(clean["row"].to_numpy()[hit], clean["column"].to_numpy()[hit],
                                  [f"{indicator}: {reason}"] * len(hit), clean["value"].to_numpy()[hit])
                bad[hit] = True
    return bad


def _low_reason(info) -> str:
    if info.min_value == 0 and info.min_exclusive:
        return f"must be greater than 0 {info.unit} (a zero or negative {info.id} is impossible)"
    if info.min_value == 0:
        return "negative value where only ≥ 0 is possible"
    return f"below the plausible minimum {info.min_value:g} {info.unit}"


KEY = ["code", "year", "indicator", "source_id"]


def check_duplicates(clean: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, np.ndarray]:
    """Same key twice in the file: identical values are merged (warning); different values are errors
    naming every row involved. Returns (deduplicated frame, mask of conflicting rows in the input)."""
    bad = np.zeros(len(clean), dtype=bool)
    if clean.empty:
        return clean, bad
    dup = clean.duplicated(KEY, keep=False).to_numpy()
    if not dup.any():
        return clean, bad
    groups = clean[dup].groupby(KEY, sort=False)
    spread = groups["value"].agg(lambda v: float(np.nanmax(v) - np.nanmin(v)))
    scale = groups["value"].agg(lambda v: float(np.nanmax(np.abs(v))))
    conflicting_keys = spread[spread > 1e-9 * np.maximum(scale, 1.0)].index
    if len(conflicting_keys):
        key_frame = clean[KEY].copy()
        key_index = pd.MultiIndex.from_frame(key_frame)
        bad = key_index.isin(conflicting_keys) & dup
        sub = clean[bad]
        for key, part in sub.groupby(KEY, sort=False):
            listing = ", ".join(f"row {r}: {v:g}" for r, v in zip(part["row"], part["value"]))
            report.error_many(part["row"].to_numpy(), part["column"].to_numpy(),
                              [f"duplicate {key[0]} {key[1]} {key[2]} with different values ({listing})"] * len(part),
                              part["value"].to_numpy())
    same = dup & ~bad
    if same.any():
        report.warn(None, None, f"{int(same.sum())} rows repeat another row with the same value: imported once")
    return clean[~bad].drop_duplicates(KEY, keep="first"), bad
