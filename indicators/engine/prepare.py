"""Preparation, the cacheable expensive step of the index: load the metro panel from the store (or take
any units × indicators frame), apply the framework's missing-data and outlier rules, and normalise over
the whole panel → :class:`~indicators.engine.types.PreparedPanel`.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, Framework, load_catalog, load_frameworks
from indicators.engine.evidence import carry_latest, cell_evidence, indicator_bounds
from indicators.engine.log import BuildLog
from indicators.engine.types import OWN_TREND_MAX_YEARS, PreparedPanel
from indicators.methods.impute import impute_own_trend
from indicators.methods.normalise import normalize
from indicators.methods.treat import treat

_FRAMEWORKS_SEEN: list[tuple[Catalog, tuple, dict[str, Framework]]] = []   # newest first


def _framework_files() -> tuple:
    """(path, mtime, size) of every framework file load_frameworks reads: the key of the parsed set."""
    from indicators.catalog.loader import FRAMEWORKS_DIR, user_frameworks_dir

    files = []
    for d in (FRAMEWORKS_DIR, user_frameworks_dir()):
        try:
            for p in sorted(Path(d).glob("*.yaml")):
                st = p.stat()
                files.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            files.append((str(d), None, None))
    return tuple(files)


def _frameworks(catalog: Catalog) -> dict[str, Framework]:
    """load_frameworks(catalog), parsed again only when a framework file changes (YAML parsing is slow)."""
    files = _framework_files()
    for cat, key, fws in list(_FRAMEWORKS_SEEN):
        if cat is catalog and key == files:
            return fws
    fws = load_frameworks(catalog)
    _FRAMEWORKS_SEEN.insert(0, (catalog, files, fws))
    del _FRAMEWORKS_SEEN[4:]
    return fws


def _resolve_framework(framework: str | Framework, catalog: Catalog) -> Framework:
    if isinstance(framework, Framework):
        return framework
    fws = _frameworks(catalog)
    if framework not in fws:
        raise KeyError(f"unknown framework {framework!r}; known: {', '.join(sorted(fws))}")
    return fws[framework].model_copy(deep=True)


def _membership(framework: Framework, indicators: list[str]) -> tuple[np.ndarray, np.ndarray]:
    m = np.zeros((len(indicators), len(framework.dimensions)))
    for j, dim in enumerate(framework.dimensions):
        for ref in dim.indicators:
            m[indicators.index(ref.id), j] = ref.weight
    return m, np.array([d.weight for d in framework.dimensions], dtype=float)


def _targets_for(catalog: Catalog, indicators: list[str]) -> dict[str, float]:
    return {i: catalog.indicators[i].target.value for i in indicators
            if i in catalog.indicators and catalog.indicators[i].target is not None}


def _reference_years(con, fw: Framework, panel: pd.DataFrame | None) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(framework's declared reference years, the store's observed year span)."""
    declared = tuple(int(y) for y in fw.reference.years) if fw.reference.years else None
    store = None
    if con is not None:
        from indicators.store import queries
        try:
            store = queries.observed_year_span(con)
        except Exception:   # a connection-like object without the table: no store span
            store = None
    if store is None and panel is not None and len(panel):
        store = (int(panel["year"].min()), int(panel["year"].max()))
    return declared, store


def _flow_periods(con, catalog: Catalog, indicators: list[str]) -> dict[str, dict[int, str]]:
    """indicator → {year: period} for flow indicators measured on dates (vintage labels)."""
    if con is None:
        return {}
    from indicators.store import queries
    try:
        periods = queries.flow_periods(con)
    except Exception:
        return {}
    out: dict[str, dict[int, str]] = {}
    for i in indicators:
        d = catalog.indicators.get(i)
        if d is None or d.level != "flow":
            continue
        rows = periods[periods["kind"] == d.aggregation.flow_kind]
        if len(rows):
            out[i] = {int(y): str(p) for y, p in zip(rows["year"], rows["period"])}
    return out


def prepare_panel(con, framework: str | Framework = "qigeyi", years: tuple[int, int] | range | list[int] = (2010, 2023),
                  normalisation: str | None = None, missing_rule: str | None = None,
                  catalog: Catalog | None = None, metros: list[str] | None = None,
                  panel: pd.DataFrame | None = None, base_year: int | None = None,
                  outliers: str | None = None, include_implausible: bool = False,
                  scope: str | None = "plan") -> PreparedPanel:
    """Load + aggregate + carry/impute + normalise for a framework (the cacheable, expensive step).

    ``years``: (first, last) inclusive — the years returned. The normalisation reference is the same whichever
    years are asked for: every year the store holds plus the framework's ``reference.years`` (and the asked
    years when they lie outside both), so ``compute --years 2023-2023`` gives the dashboard's 2023 numbers; the
    log's ``normalise`` step names the reference and the goalposts. ``normalisation`` / ``missing_rule``
    override the framework's. ``panel`` (optional): a precomputed metro_indicator_panel long frame (skips the
    store). ``base_year``: for normalisation 'fixed_base'. ``outliers``: 'none' or 'winsorise'.
    ``include_implausible``: keep inputs the data flag as implausible (left out by default; the log says which).
    ``scope``: 'plan' (default: metros as their plans draw them, county level) or 'extended' (whole prefectures /
    the wider area); None = the prefecture view of metro_member (engine/scope.py).
    """
    catalog = catalog or load_catalog()
    fw = _resolve_framework(framework, catalog)
    y0, y1 = (min(years), max(years)) if not isinstance(years, tuple) else years
    y0, y1 = int(y0), int(y1)
    indicators = fw.indicator_ids()
    declared, store_span = _reference_years(con, fw, panel)
    spans = [s for s in (declared, store_span, (y0, y1)) if s]
    r0, r1 = min(s[0] for s in spans), max(s[1] for s in spans)
    if panel is None:
        from indicators.engine.panel import metro_indicator_panel
        panel = metro_indicator_panel(con, indicators, r0, r1, catalog, include_implausible=include_implausible,
                                      scope=scope)
    if metros is None:
        from indicators.store import queries
        metros = sorted(queries.metros(con)["metro_id"].astype(str)) if con is not None else sorted(panel["metro_id"].unique())
    log = BuildLog()
    log.add("load", framework=fw.id, years=[y0, y1], metros=list(metros), include_implausible=bool(include_implausible),
            scope=scope)
    if not include_implausible and con is not None:
        from indicators.store import queries
        try:
            bad = queries.implausible_flows(con)
        except Exception:
            bad = pd.DataFrame()
        log.add("exclude", rule="inputs flagged implausible in the data are left out",
                flows=[f"{r.kind} {r.origin_code}->{r.dest_code} {int(r.year)}: {r.value:g}" for r in bad.itertuples()])
    units = pd.MultiIndex.from_product([list(metros), list(range(r0, r1 + 1))], names=["metro_id", "year"])
    wide = panel.pivot_table(index=["metro_id", "year"], columns="indicator", values="value", aggfunc="first")
    raw = wide.reindex(index=units, columns=indicators)
    prov = panel.set_index(["metro_id", "year", "indicator"])[["quality", "source_ids", "members_used", "members_total"]]
    evidence = cell_evidence(panel, catalog, units, indicators)
    vintage = np.where(raw.notna().to_numpy(), units.get_level_values("year").to_numpy(dtype=float)[:, None], np.nan)
    carried = np.zeros(raw.shape, dtype=bool)
    if fw.carry is not None:
        raw, vintage, evidence, carried = carry_latest(raw, vintage, evidence, fw.carry.latest_within)
    log.add("carry", rule=(f"latest_within: {fw.carry.latest_within}" if fw.carry else "none"),
            carried_cells=int(carried.sum()))
    reference = {"kind": "panel", "years": [r0, r1], "declared": list(declared) if declared else None,
                 "store_years": list(store_span) if store_span else None}
    full = _prepare(raw, fw, catalog, normalisation, missing_rule, prov, log, year_level="year", base_year=base_year,
                    outliers=outliers, evidence=evidence, vintage=vintage, carried=carried, reference=reference)
    full.meta["periods"] = _flow_periods(con, catalog, indicators)
    keep = (full.units.get_level_values("year") >= y0) & (full.units.get_level_values("year") <= y1)
    if keep.all():
        return full
    return replace(full, units=full.units[keep], raw=full.raw[keep], normalised=full.normalised[keep],
                   imputed=full.imputed[keep], evidence=full.evidence[keep], vintage=full.vintage[keep],
                   carried=full.carried[keep])


def _prepare(raw: pd.DataFrame, fw: Framework, catalog: Catalog | None, normalisation: str | None,
             missing_rule: str | None, provenance: pd.DataFrame, log: BuildLog, year_level: str | None,
             directions: Mapping[str, int] | None = None, targets: Mapping[str, float] | None = None,
             base_year: int | None = None, outliers: str | None = None, evidence: np.ndarray | None = None,
             vintage: np.ndarray | None = None, carried: np.ndarray | None = None,
             reference: dict | None = None) -> PreparedPanel:
    indicators = list(raw.columns)
    rule = missing_rule or fw.missing_rule
    imputed = np.zeros(raw.shape, dtype=bool)
    bounds = indicator_bounds(catalog, indicators, raw) if catalog else \
        {i: ((0.0 if raw[i].notna().any() and float(raw[i].min()) >= 0 else -np.inf), np.inf) for i in indicators}
    clipped = 0
    if rule == "own_trend":
        if year_level is None:
            raise ValueError("the own-trend rule needs a (unit, year) panel")
        base = raw.mask(carried) if carried is not None and carried.any() else raw   # the trend rests on own-year values
        filled, mask = impute_own_trend(base, 0, 1, max_extrapolate=OWN_TREND_MAX_YEARS)
        mask_np = mask.to_numpy() & raw.isna().to_numpy()     # a carried cell keeps its carried value
        lo = np.array([bounds[i][0] for i in indicators])[None, :]
        hi = np.array([bounds[i][1] for i in indicators])[None, :]
        vals = filled.to_numpy(dtype=float)
        out_of = mask_np & ((vals < lo) | (vals > hi))
        clipped = int(out_of.sum())
        vals = np.where(mask_np, np.clip(vals, lo, hi), raw.to_numpy(dtype=float))   # estimates stay within bounds
        raw, imputed = pd.DataFrame(vals, index=raw.index, columns=raw.columns), mask_np
        if evidence is not None:
            evidence = np.where(imputed, "estimated", evidence)
        if vintage is not None:
            vintage = np.where(imputed, np.nan, vintage)
    elif rule != "reweight":
        raise ValueError(f"unknown missing-data rule {rule!r}; use 'reweight' or 'own_trend'")
    log.add("missing", rule=rule, max_extrapolate=OWN_TREND_MAX_YEARS if rule == "own_trend" else None,
            imputed_cells=int(imputed.sum()), clipped_to_bounds=clipped,
            bounds={i: [float(b[0]), float(b[1])] for i, b in bounds.items() if np.isfinite(b[1])})
    outlier_rule = outliers or fw.outliers
    treated_report: list[dict] = []
    if outlier_rule == "winsorise":
        treated, reports = treat(raw)
        raw = treated
        treated_report = [{"indicator": r.column, "action": r.action, "winsorised": r.winsorised,
                           "log": r.log_applied, "skew_before": round(r.skew_before, 4), "kurt_before": round(r.kurt_before, 4)}
                          for r in reports if r.action != "none"]
    elif outlier_rule != "none":
        raise ValueError(f"unknown outlier rule {outlier_rule!r}; use 'none' or 'winsorise'")
    log.add("outliers", rule=outlier_rule, treated=treated_report)
    method = normalisation or fw.normalisation
    if directions is None:
        directions = {i: catalog.indicators[i].sign for i in indicators}
    if targets is None:
        targets = _targets_for(catalog, indicators) if catalog else {}
    params = {}
    if method == "distance_to_target" or any(d == 0 for d in directions.values()):
        params["targets"] = dict(targets)
    if method == "fixed_base":
        params["base_year"] = base_year
    norm = normalize(raw, method, directions, **params)
    goalposts = {}
    fixed = dict(fw.reference.goalposts) if fw.reference else {}
    if fixed and method != "minmax":
        raise ValueError(f"framework {fw.id}: fixed goalposts need normalisation 'minmax', not {method!r}")
    for i in indicators:
        if i in fixed:
            worst_v, best_v = (float(v) for v in fixed[i])
            norm[i] = ((raw[i] - worst_v) / (best_v - worst_v) * 100.0).clip(0.0, 100.0)
            goalposts[i] = {"worst": worst_v, "best": best_v, "fixed": True}
        elif method == "minmax" and raw[i].notna().any():
            lo_v, hi_v = float(raw[i].min()), float(raw[i].max())
            d = directions.get(i, 1)
            goalposts[i] = {"worst": lo_v if d >= 0 else hi_v, "best": hi_v if d >= 0 else lo_v, "fixed": False}
    ref = dict(reference or {"kind": "frame", "years": None})
    log.add("normalise", method=method, over="whole panel (all units and years)", reference=ref,
            goalposts=goalposts, directions={k: int(v) for k, v in directions.items()},
            targets={k: float(v) for k, v in (params.get("targets") or {}).items()}, base_year=params.get("base_year"))
    membership, dim_w = _membership(fw, indicators)
    return PreparedPanel(
        units=raw.index if isinstance(raw.index, pd.MultiIndex) else pd.MultiIndex.from_arrays([raw.index], names=[raw.index.name or "unit"]),
        indicators=indicators,
        dimensions=[d.id for d in fw.dimensions],
        dimension_names={d.id: (d.name_zh, d.name_en) for d in fw.dimensions},
        raw=raw.to_numpy(dtype=float),
        normalised=norm.to_numpy(dtype=float),
        imputed=imputed,
        membership=membership,
        dimension_weights=dim_w,
        min_coverage=fw.min_coverage,
        provenance=provenance,
        log=log,
        framework_id=fw.id,
        year_level=year_level,
        meta={"aggregation": fw.aggregation, "normalisation": method, "missing_rule": rule, "reference": ref,
              "coverage_floor": fw.coverage_floor if fw.coverage_floor is not None else fw.min_coverage,
              "min_metros": fw.min_metros, "carry": fw.carry.latest_within if fw.carry else None},
        evidence=evidence, vintage=vintage, carried=carried,
    )


def prepare_frame(frame: pd.DataFrame, dimensions: Mapping[str, list[str]] | None = None,
                  directions: Mapping[str, int] | None = None, normalisation: str = "minmax",
                  dimension_weights: Mapping[str, float] | None = None,
                  indicator_weights: Mapping[str, float] | None = None, min_coverage: float = 0.0,
                  missing_rule: str = "reweight", targets: Mapping[str, float] | None = None,
                  base_year: int | None = None, outliers: str = "none") -> PreparedPanel:
    """Prepare any units × indicators DataFrame (any unit level; a (unit, year) MultiIndex for panels).

    ``dimensions``: dimension → indicator columns (default: one dimension 'all' holding every column).
    """
    from indicators.catalog.models import Dimension, IndicatorRef

    dims = dict(dimensions or {"all": list(frame.columns)})
    iw = dict(indicator_weights or {})
    dw = dict(dimension_weights or {})
    fw = Framework(id="custom_frame", name_zh="自定义", name_en="custom", missing_rule=missing_rule,
                   min_coverage=min_coverage, normalisation=normalisation,
                   dimensions=[Dimension(id=d, name_zh=d, name_en=d, weight=float(dw.get(d, 1.0)),
                                         indicators=[IndicatorRef(id=c, weight=float(iw.get(c, 1.0))) for c in cols])
                               for d, cols in dims.items()])
    cols = fw.indicator_ids()
    raw = frame[cols].astype(float)
    year_level = "year" if isinstance(frame.index, pd.MultiIndex) and "year" in (frame.index.names or []) else None
    log = BuildLog()
    log.add("frame", units=int(len(frame)), indicators=cols, dimensions={k: list(v) for k, v in dims.items()})
    return _prepare(raw, fw, None, normalisation, missing_rule, pd.DataFrame(), log, year_level,
                    directions=dict(directions or {c: 1 for c in cols}), targets=targets or {},
                    base_year=base_year, outliers=outliers)
