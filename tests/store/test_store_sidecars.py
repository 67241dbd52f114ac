"""Every data/ table has an origin sidecar with the required keys; the map boundaries are fit for plotly."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from indicators.paths import DATA_DIR, STATIC_DIR
from indicators.store.build import LOADABLE_TABLES


class Origin(BaseModel):
    """The origin sidecar of a shipped table (OWID-style: producer, title, url, date accessed, licence, processing)."""

    model_config = ConfigDict(extra="allow")
    producer: str
    title: str
    url: str
    date_accessed: str
    licence: str
    processing: str

    @field_validator("producer", "title", "url", "licence", "processing")
    @classmethod
    def not_blank(cls, v: str) -> str:
        assert v.strip(), "must not be blank"
        return v

    @field_validator("date_accessed")
    @classmethod
    def iso_date(cls, v: str) -> str:
        pd.Timestamp(v)  # raises if not a date
        return v


class TableOrigin(Origin):
    table: str
    rows: int | None = None


CSV_FILES = sorted(DATA_DIR.glob("*.csv"))


def test_there_are_tables():
    assert len(CSV_FILES) >= 12


@pytest.mark.parametrize("csv_path", CSV_FILES, ids=lambda p: p.name)
def test_sidecar_exists_and_is_valid(csv_path: Path):
    meta_path = csv_path.with_suffix(".meta.yaml")
    assert meta_path.exists(), f"{csv_path.name} has no sidecar"
    meta = TableOrigin.model_validate(yaml.safe_load(meta_path.read_text(encoding="utf-8")))
    assert meta.table in LOADABLE_TABLES
    if meta.rows is not None:
        assert meta.rows == len(pd.read_csv(csv_path, dtype=str))


def test_no_sidecar_without_a_table():
    for meta_path in DATA_DIR.glob("*.meta.yaml"):
        assert meta_path.with_name(meta_path.name.replace(".meta.yaml", ".csv")).exists(), meta_path.name


def test_data_is_small():
    assert sum(p.stat().st_size for p in DATA_DIR.iterdir()) < 8_000_000


GEO = STATIC_DIR / "geo" / "prefectures.geojson"


def _signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def test_boundaries_are_clockwise_small_and_coded():
    assert GEO.stat().st_size < 2_000_000
    Origin.model_validate(yaml.safe_load(GEO.with_name("prefectures.meta.yaml").read_text(encoding="utf-8")))
    gj = json.loads(GEO.read_text(encoding="utf-8"))
    codes = set(pd.read_csv(DATA_DIR / "region.csv", dtype=str).code)
    assert len(gj["features"]) >= 360
    for f in gj["features"]:
        assert f["properties"]["code"] in codes and f["properties"]["name_zh"]
        polys = f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]
        for poly in polys:
            assert _signed_area(poly[0]) < 0, f"{f['properties']['code']}: outer ring not clockwise"
            for hole in poly[1:]:
                assert _signed_area(hole) > 0
