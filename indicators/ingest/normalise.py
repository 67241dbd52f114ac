"""Raw long records → canonical records (code, year, indicator, value in the canonical unit, source_id,
quality, note). Work is done once per distinct raw value (region names, years, units repeat a lot) and
vectorised over rows; every failure becomes an error naming the row and column."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from indicators.ingest.cell_text import NumberParseError, normalise_label, parse_number, parse_year
from indicators.ingest.errors import ImportReport
from indicators.ingest.indicator_lookup import IndicatorTable, UnknownIndicator, resolve_indicator
from indicators.ingest.options import QUALITY_FLAGS
from indicators.ingest.region_resolve import RegionIndex, resolve_region
from indicators.ingest.source_ids import source_id_for
from indicators.ingest.units import UnitError, normalise_unit, split_bracketed_unit, unit_factor

CLEAN_COLUMNS = ["code", "year", "indicator", "value", "source_id", "quality", "note", "row", "column"]


@dataclass
class Context:
    regions: RegionIndex
    indicators: IndicatorTable
    existing_sources: Mapping[str, str | None]   # source_id -> title


def _key(value) -> object:
    """Hashable key for a raw cell (NaN and None collapse to None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _map_unique(series: pd.Series | tuple[pd.Series, ...], func) -> tuple[pd.Series, pd.Series]:
    """Apply ``func(raw) -> (result, error|None)`` once per distinct value; (results, errors) per row.
    Missing cells (None/NaN) are passed to ``func`` as None. A tuple of series maps distinct tuples."""
    if isinstance(series, tuple):
        parts = [pd.factorize(s.to_numpy(dtype=object), use_na_sentinel=True) for s in series]
        combined = np.zeros(len(series[0]), dtype=np.int64)
        for codes, uniques in parts:
            combined = combined * (len(uniques) + 1) + (codes + 1)
        keys, inverse = np.unique(combined, return_inverse=True)
        first = np.zeros(len(keys), dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(combined))[::-1]
        values = [tuple(_key(p[1][p[0][i]]) if p[0][i] >= 0 else None for p in parts) for i in first]
        results = np.empty(len(keys), dtype=object)
        errors = np.empty(len(keys), dtype=object)
        for i, value in enumerate(values):
            results[i], errors[i] = func(value)
        index = series[0].index
        return (pd.Series(results[inverse], index=index, dtype=object),
                pd.Series(errors[inverse], index=index, dtype=object))
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    errors = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(list(uniques) + [None]):
        results[i], errors[i] = func(_key(u))
    return (pd.Series(results[codes], index=series.index, dtype=object),
            pd.Series(errors[codes], index=series.index, dtype=object))


def map_unique_values(series: pd.Series, func) -> pd.Series:
    """``func(raw)`` once per distinct value (None for missing cells), broadcast to every row."""
    return _map_unique(series, lambda raw: (func(raw), None))[0]


def parse_values(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(float values with NaN for missing, had-percent-sign flags, error reasons or None)."""
    n = len(raw)
    percent = pd.Series(np.zeros(n, dtype=bool), index=raw.index)
    errors = pd.Series([None] * n, index=raw.index, dtype=object)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.astype(float)
        bad = np.isinf(values.to_numpy())
        errors[bad] = "infinite value"
        return values, percent, errors
    as_text = raw.astype(object)
    quick = pd.to_numeric(as_text.where(as_text.map(type) != bool, None), errors="coerce")
    quick = quick.astype(float)
    slow = quick.isna() | np.isinf(quick)
    if slow.any():
        parsed, slow_errors = _map_unique(as_text[slow], _number_or_error)
        quick[slow] = parsed.map(lambda p: p[0] if p else np.nan).astype(float)
        percent[slow] = parsed.map(lambda p: bool(p[1]) if p else False).astype(bool)
        errors[slow] = slow_errors
    return quick, percent, errors


def _number_or_error(raw):
    try:
        value, pct = parse_number(raw)
        return ((value if value is not None else np.nan), pct), None
    except NumberParseError as exc:
        return None, str(exc)


def normalise_records(long: pd.DataFrame, ctx: Context, report: ImportReport) -> tuple[pd.DataFrame, int]:
    """(clean frame, number of missing values) — rows with any error are reported and dropped."""
    if long.empty:
        return pd.DataFrame(columns=CLEAN_COLUMNS), 0
    bad = np.zeros(len(long), dtype=bool)
    rows = long["row"].to_numpy()

    def fail(mask: np.ndarray, column, reasons, values) -> None:
        nonlocal bad
        mask = np.asarray(mask, dtype=bool) & ~bad   # one error per record is enough
        if not mask.any():
            return
        if mask.all() and isinstance(reasons, np.ndarray) and len(set(reasons.tolist())) == 1 \
                and str(reasons[0]).startswith("no "):
            # the file lacks this information altogether: one error, not one per row
            report.error(None, column if isinstance(column, str) else str(column[0]), str(reasons[0]))
            bad = bad | mask
            return
        col = column[mask] if isinstance(column, np.ndarray) else [column] * int(mask.sum())
        reasons_arr = reasons[mask] if isinstance(reasons, np.ndarray) else [reasons] * int(mask.sum())
        report.error_many(rows[mask], col, reasons_arr, np.asarray(values, dtype=object)[mask])
        bad = bad | mask

    values, percent, value_errors = parse_values(long["value_raw"])
    missing_mask = values.isna().to_numpy() & value_errors.isna().to_numpy()
    err = value_errors.notna().to_numpy()
    fail(err, long["column"].to_numpy(), value_errors.to_numpy(dtype=object), long["value_raw"].to_numpy())

    regions, region_errors = _map_unique(long["region_raw"], lambda raw: _region(raw, ctx.regions))
    region_label = _role_label(long, "region")
    fail(region_errors.notna().to_numpy(), region_label, region_errors.to_numpy(dtype=object), long["region_raw"].to_numpy())

    years, year_errors = _map_unique(long["year_raw"], _year)
    fail(year_errors.notna().to_numpy(), long["year_column"].to_numpy(), year_errors.to_numpy(dtype=object),
         long["year_raw"].to_numpy())

    ind_units, ind_errors = _map_unique(long["indicator_raw"], lambda raw: _indicator(raw, ctx.indicators))
    inds = ind_units.map(lambda pair: pair[0] if pair else None)
    bracket_units = ind_units.map(lambda pair: pair[1] if pair else None)
    if bracket_units.notna().any():   # '地区生产总值（亿元）' in an indicator column: its unit, unless a unit is given
        unit_given = long["unit_raw"].map(lambda u: bool(normalise_label(u)))
        long = long.assign(unit_raw=long["unit_raw"].where(unit_given, bracket_units),
                           unit_column=long["unit_column"].where(unit_given, long["indicator_column"]))
    fail(ind_errors.notna().to_numpy(), long["indicator_column"].to_numpy(), ind_errors.to_numpy(dtype=object),
         long["indicator_raw"].to_numpy())

    factors, unit_errors = _map_unique((inds, long["unit_raw"]), lambda pair: _factor(pair, ctx.indicators))
    unit_err = unit_errors.notna().to_numpy() & inds.notna().to_numpy()
    fail(unit_err, long["unit_column"].to_numpy(), unit_errors.to_numpy(dtype=object), long["unit_raw"].to_numpy())

    pct_wrong = percent.to_numpy().copy()
    if pct_wrong.any():
        not_percent = map_unique_values(inds, lambda i: i in ctx.indicators.by_id
                                        and normalise_unit(ctx.indicators.by_id[i].unit) != "%")
        pct_wrong &= not_percent.to_numpy(dtype=bool)
    fail(pct_wrong, long["column"].to_numpy(), "a percentage for an indicator not measured in %", long["value_raw"].to_numpy())

    sources, source_errors = _map_unique(long["source_raw"], lambda raw: _source(raw, ctx.existing_sources))
    fail(source_errors.notna().to_numpy(), "source", source_errors.to_numpy(dtype=object), long["source_raw"].to_numpy())

    qualities, quality_errors = _map_unique(long["quality_raw"], _quality)
    fail(quality_errors.notna().to_numpy(), "quality", quality_errors.to_numpy(dtype=object), long["quality_raw"].to_numpy())

    keep = ~bad & ~missing_mask
    factor_values = pd.to_numeric(factors.where(unit_errors.isna(), np.nan), errors="coerce").to_numpy(dtype=float)
    clean = pd.DataFrame({
        "code": regions.to_numpy(dtype=object)[keep],
        "year": years.to_numpy(dtype=object)[keep],
        "indicator": inds.to_numpy(dtype=object)[keep],
        "value": values.to_numpy(dtype=float)[keep] * factor_values[keep],
        "source_id": sources.to_numpy(dtype=object)[keep],
        "quality": qualities.to_numpy(dtype=object)[keep],
        "note": map_unique_values(long["note_raw"], lambda v: normalise_label(v) or None).to_numpy(dtype=object)[keep],
        "row": rows[keep],
        "column": long["column"].to_numpy(dtype=object)[keep],
    })
    if len(clean):
        clean["year"] = clean["year"].astype("int64")
    return clean, int(missing_mask.sum())


def _role_label(long: pd.DataFrame, role: str):
    return long.attrs.get(f"{role}_label", role)


def _region(raw, index: RegionIndex):
    if raw is None:
        return None, "region is blank"
    res = resolve_region(raw, index)
    return res.code, res.error


def _year(raw):
    if raw is None:
        return None, "no year: add a 年份/year column, year columns (2019年), or give the year option"
    year = parse_year(raw)
    if year is None:
        return None, "not a year"
    return year, None


def _indicator(raw, table: IndicatorTable):
    """((indicator id, unit written in brackets or None), error)."""
    if raw is None:
        return None, "no indicator: add a 指标/indicator column, indicator columns, or give the indicator option"
    try:
        return (resolve_indicator(raw, table), None), None
    except UnknownIndicator as exc:
        label, unit = split_bracketed_unit(normalise_label(raw))
        if unit:
            try:
                return (resolve_indicator(label, table), unit), None
            except UnknownIndicator:
                pass
        return None, str(exc)


def _factor(pair, table: IndicatorTable):
    indicator, unit = pair if pair is not None else (None, None)
    if indicator is None:
        return None, None
    info = table.by_id[indicator]
    try:
        return unit_factor(None if unit is None else str(unit), info.unit), None
    except UnitError as exc:
        return None, str(exc)


def _source(raw, existing: Mapping[str, str | None]):
    text = normalise_label(raw)
    if not text:
        return None, "no source: give the source option (--source TEXT) or a 来源/source column"
    return source_id_for(text, existing), None


def _quality(raw):
    text = normalise_label(raw).lower() or "official"
    if text not in QUALITY_FLAGS:
        return None, f"quality must be one of {', '.join(QUALITY_FLAGS)}"
    return text, None
