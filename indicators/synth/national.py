"""Write a synthetic national dataset to its own DuckDB file (never the default database).

Steps: reference regions and metros from the built store (real codes) → generated counties →
values (numpy) → Parquet files → DuckDB ``read_parquet`` loads (observations into ``observation``,
OD flows into ``od_flow`` through :func:`indicators.store.od.import_od`). Every generated row carries
source ``synthetic_national`` and quality ``synthetic``; the file's ``meta`` table says
``dataset = synthetic_national``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from indicators.store.od import import_od
from indicators.paths import BUILD_DIR, default_db_path
from indicators.store.db import connect
from indicators.store.synthetic import dataset_mark, load_observations_parquet, write_reference_tables
from indicators.synth.flows import od_table
from indicators.synth.regions import (REGION_COLUMNS, SYNTHETIC_SOURCE_ID, Reference, generate_counties,
                                      load_reference, select_prefectures)
from indicators.synth.spec import FULL, NationalSpec
from indicators.synth.values import generate_values, indicator_frame, indicator_table, observations_table, unit_factors
from indicators.store.db import connect as store_connect

DATASET_MARK = "synthetic_national"
DEFAULT_OUT = BUILD_DIR / "national_synthetic.duckdb"

_SOURCE_ROW = (SYNTHETIC_SOURCE_ID, "合成全国测试数据（非统计数据）/ Synthetic national-scale test data (not statistics)",
               "tongcheng indicators.synth", "indicators/synth", "generated", None, None,
               "Randomly generated values for performance tests; region codes real where the store has them, "
               "county codes generated. Never use as data.")


@dataclass
class GenerationResult:
    db_path: Path
    parquet_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    from_store: bool = False


def _is_protected(path: Path) -> bool:
    try:
        targets = {default_db_path().resolve(), (BUILD_DIR / "tongcheng.duckdb").resolve()}
    except OSError:
        targets = set()
    return path.resolve() in targets


def _is_synthetic_db(path: Path) -> bool:
    try:
        con = store_connect(path, read_only=True)
    except duckdb.Error:
        return False
    try:
        return dataset_mark(con) == DATASET_MARK
    except duckdb.Error:
        return False
    finally:
        con.close()


def prepare_out(out: Path) -> None:
    """Refuse the default database; replace an earlier synthetic file; refuse any other existing file."""
    if _is_protected(out):
        raise ValueError(f"{out} is the default database; synthetic data goes to its own file (--out)")
    if out.exists():
        if not _is_synthetic_db(out):
            raise ValueError(f"{out} exists and is not a synthetic dataset; choose another --out")
        out.unlink()
    wal = out.with_name(out.name + ".wal")
    if wal.exists():
        wal.unlink()


def generate_national(out: str | Path = DEFAULT_OUT, spec: NationalSpec = FULL, *, source_db: str | Path | None = None,
                      parquet_dir: str | Path | None = None, load_od: bool = True,
                      reference: Reference | None = None) -> GenerationResult:
    """Generate the dataset described by ``spec`` into ``out``; returns counts and stage timings."""
    out = Path(out)
    prepare_out(out)
    pdir = Path(parquet_dir) if parquet_dir else out.with_name(out.stem + "_parquet")
    pdir.mkdir(parents=True, exist_ok=True)
    res = GenerationResult(db_path=out, parquet_dir=pdir)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        res.seconds[name] = now - clock
        clock = now

    if reference is None:
        if source_db is None and default_db_path().exists():
            source_db = default_db_path()
        reference = load_reference(source_db)
    res.from_store = reference.from_store
    rng = np.random.default_rng(spec.seed)
    prefs = select_prefectures(reference, spec.max_prefectures)
    counties = generate_counties(prefs, spec.counties_per_prefecture, rng)
    units = pd.concat([prefs, counties], ignore_index=True)
    codes = units["code"].to_numpy(dtype=str)
    parents = np.where(units["level"] == "county", units["parent_code"].astype(str), "").astype(str)
    factors = unit_factors(codes, parents, rng)
    indicators = indicator_table(spec.n_indicators)
    lap("regions")

    values = generate_values(codes, factors, spec.years, indicators, rng)
    obs = observations_table(codes, spec.years, indicators, values)
    obs_path = pdir / "observation.parquet"
    pq.write_table(obs, obs_path)
    lap("observations_parquet")

    is_county = units["level"].to_numpy() == "county"
    c_codes, c_parents, c_factors = codes[is_county], parents[is_county], factors[is_county]
    od = od_table(c_codes, c_parents, c_factors, spec.od_year_list, spec.od_rows, rng)
    od_path = pdir / "od_flow.parquet"
    pq.write_table(od, od_path)
    lap("od_parquet")

    con = connect(out)
    try:
        con.execute("SET enable_progress_bar = false")
        _write_reference(con, reference, prefs, counties, indicator_frame(indicators), spec)
        lap("reference_tables")
        load_observations_parquet(con, str(obs_path))
        lap("observations_load")
        if load_od:
            import_od(con, od_path)
            lap("od_load")
    finally:
        con.close()
    res.counts = {"prefectures": len(prefs), "counties": len(counties), "years": len(spec.years),
                  "indicators": len(indicators), "observations": obs.num_rows, "od_rows": od.num_rows}
    return res


def _write_reference(con: duckdb.DuckDBPyConnection, ref: Reference, prefs: pd.DataFrame, counties: pd.DataFrame,
                     indicators: pd.DataFrame, spec: NationalSpec) -> None:
    regions = pd.concat([ref.provinces, prefs, counties], ignore_index=True)[REGION_COLUMNS]
    regions["land_area_km2"] = pd.to_numeric(regions["land_area_km2"], errors="coerce")
    for col in ("seat_lon", "seat_lat"):
        regions[col] = pd.to_numeric(regions[col], errors="coerce")
    for col in ("valid_from", "valid_to"):
        regions[col] = pd.to_numeric(regions[col], errors="coerce").astype("Int64")
    src = ref.sources[ref.sources["source_id"] != SYNTHETIC_SOURCE_ID] if len(ref.sources) else ref.sources
    meta = [("dataset", DATASET_MARK), ("spec", repr(spec)), ("warning", "synthetic values, not statistics")]
    write_reference_tables(con, list(_SOURCE_ROW), src, regions, ref.metros, ref.members, indicators, meta)
