"""The derive scripts are repeatable: re-deriving from ../shared gives the committed tables."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.paths import DATA_DIR
from indicators.store.derive.common import DEFAULT_SHARED, short_name

needs_shared = pytest.mark.skipif(not (DEFAULT_SHARED / "facts").exists(), reason="../shared/data not present")


@pytest.mark.parametrize("name, short", [("成都市", "成都"), ("凉山彝族自治州", "凉山"), ("海西蒙古族藏族自治州", "海西"),
                                         ("新疆维吾尔自治区", "新疆"), ("大兴安岭地区", "大兴安岭"), ("锡林郭勒盟", "锡林郭勒"),
                                         ("伊犁哈萨克自治州", "伊犁"), ("白沙黎族自治县", "白沙"), ("北京市", "北京")])
def test_short_names(name, short):
    assert short_name(name) == short


def _read(name):
    return pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def _same(a: pd.DataFrame, b: pd.DataFrame):
    a = a.astype(str).replace({"nan": "", "None": "", "<NA>": ""}).reset_index(drop=True)
    b = b.astype(str).replace({"nan": "", "None": "", "<NA>": ""}).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


@needs_shared
def test_regions_rederive_identically(tmp_path):
    from indicators.store.derive import regions

    region, alias = regions.derive(DEFAULT_SHARED)
    committed = _read("region")
    assert list(region.code) == list(committed.code)
    assert list(region.name_en) == list(committed.name_en)
    assert len(alias) == len(_read("region_alias"))


@needs_shared
def test_observations_rederive_identically():
    from indicators.store.derive import observations

    facts = observations.derive_facts(DEFAULT_SHARED)
    committed = pd.read_csv(DATA_DIR / "observation.csv", dtype={"code": str})
    assert len(facts) == len(committed)
    assert (facts.value.values == committed.value.values).all()
    assert (facts.quality.values == committed.quality.values).all()
    shared = pd.read_csv(DEFAULT_SHARED / "facts/city_observations.csv")
    assert len(committed) == len(shared)  # nothing dropped, nothing added


@needs_shared
def test_jianyang_break_comes_from_the_crosswalk():
    from indicators.store.derive import breaks
    from indicators.store.derive.common import read_data

    cw = breaks.from_crosswalk(DEFAULT_SHARED, read_data("region"))
    rows = cw[(cw.year == 2016) & cw.code.isin(["510100", "512000"])]
    assert len(rows) == 2 and rows.description.str.contains("简阳").all()
