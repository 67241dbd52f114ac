"""Catalog and frameworks: structure, cross-references, errors that name file and line, user frameworks."""
from __future__ import annotations

from pathlib import Path

import pytest

from indicators.catalog import (CatalogError, framework_from_yaml, load_catalog, load_framework, load_frameworks,
                                save_framework)
from indicators.catalog.loader import CATALOG_PATH, FRAMEWORKS_DIR

VOCABULARY = """gdp gdp_primary gdp_secondary gdp_tertiary gdp_per_capita resident_population land_area_km2
census_population census_urban_population urbanization_rate pm25_mean pm25_good_day_share good_air_day_rate
rd_intensity rail_length_km rail_density joint_patents public_expenditure_per_capita schooling_years
life_expectancy water_quality_share commuters metro_gdp core_gdp_share core_rest_gdp_pc_ratio gdp_pc_cv
gdp_pc_theil tertiary_share pop_density core_bound_outflow_share internal_flow_share gravity_linkage_mean
rail_minutes_to_core_mean share_members_within_60min""".split()

SEVEN = ["一个群", "一张网", "一条链", "一站享", "一盘棋", "一把尺", "一张卡"]
EIGHT = ["发展布局", "设施互通", "创新协同", "产业协作", "开放共进", "公共服务共建共享", "生态共建污染共治", "体制改革机制创新"]


def test_catalog_has_the_shared_vocabulary():
    cat = load_catalog()
    missing = [i for i in VOCABULARY if i not in cat.indicators]
    assert not missing
    for ind in cat.indicators.values():
        assert ind.name_zh and ind.name_en and ind.unit and ind.description and ind.source


def test_targets_of_the_store_are_catalog_indicators_with_the_same_value(default_db):
    from indicators.store import queries
    from indicators.store.db import connect
    con = connect(default_db, read_only=True)
    try:
        targets = queries.targets(con)
    finally:
        con.close()
    cat = load_catalog()
    for _, t in targets.iterrows():
        assert t["indicator"] in cat.indicators, t["indicator"]
        ct = cat.indicators[t["indicator"]].target
        if t["scope_kind"] == "metro":
            continue   # a metro's own plan target (issue 12: 成都都市圈 2025) differs from the catalog's region-wide one
        assert ct is not None and ct.value == pytest.approx(t["value"]) and ct.comparator == t["comparator"]


def test_shipped_frameworks_validate_and_keep_empty_dimensions():
    fws = load_frameworks(include_user=False)
    assert {"qigeyi", "chengdu_eight", "ndrc_six"} <= set(fws)
    assert [d.name_zh for d in fws["qigeyi"].dimensions] == SEVEN
    assert [d.name_zh for d in fws["chengdu_eight"].dimensions] == EIGHT
    cat = load_catalog()
    for fw in fws.values():
        for d in fw.dimensions:
            assert d.weight > 0 and d.indicators, (fw.id, d.id)
            for r in d.indicators:
                assert r.id in cat.indicators and r.weight > 0


def test_unknown_key_names_file_and_line(tmp_path):
    text = (FRAMEWORKS_DIR / "ndrc_six.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if "name_en: Unified market" in line)
    lines.insert(i + 1, "    colour: red")
    bad = tmp_path / "bad.yaml"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_framework(bad)
    assert err.value.file == str(bad) and err.value.line == i + 2
    assert str(err.value).startswith(f"{bad}:{i + 2}:") and "colour" in str(err.value)


def test_unknown_indicator_and_bad_weight_name_the_line():
    text = "\n".join([
        "id: mine", "name_zh: 我的", "name_en: mine", "dimensions:",
        "  - id: a", "    name_zh: 甲", "    name_en: A", "    indicators:",
        "      - {id: gdp_per_capita}",
        "      - {id: not_an_indicator}",
    ])
    with pytest.raises(CatalogError) as err:
        framework_from_yaml(text, name="mine.yaml")
    assert err.value.line == 10 and "not_an_indicator" in str(err.value)
    with pytest.raises(CatalogError) as err:
        framework_from_yaml(text.replace("{id: not_an_indicator}", "{id: tertiary_share, weight: -1}"), name="mine.yaml")
    assert err.value.line == 10 and "greater than 0" in str(err.value)


def test_catalog_errors_name_the_line(tmp_path):
    text = CATALOG_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "indicators.yaml"
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == "direction: lower")
    lines[i] = lines[i].replace("lower", "sideways")
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(bad)
    assert err.value.line == i + 1 and "direction" in str(err.value)
    dup = tmp_path / "dup.yaml"
    dup.write_text("indicators:\n  - id: a\n    id: b\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(dup)
    assert err.value.line == 3 and "duplicate" in str(err.value)


def test_save_and_reload_user_framework(tmp_path, monkeypatch):
    monkeypatch.setenv("TONGCHENG_USER_FRAMEWORKS", str(tmp_path / "user"))
    fw = framework_from_yaml("\n".join([
        "id: my_balance", "name_zh: 均衡发展", "name_en: Balance", "missing_rule: own_trend", "dimensions:",
        "  - id: balance", "    name_zh: 均衡", "    name_en: balance", "    weight: 2", "    indicators:",
        "      - {id: gdp_pc_cv, weight: 2}", "      - {id: gdp_pc_theil}",
        "  - id: empty", "    name_zh: 空", "    name_en: empty", "    indicators:", "      - {id: joint_patents}",
    ]))
    path = save_framework(fw)
    assert path == tmp_path / "user" / "my_balance.yaml"
    again = load_frameworks()["my_balance"]
    assert again.model_dump(exclude={"origin"}) == fw.model_dump(exclude={"origin"})
    with pytest.raises(ValueError):
        save_framework(load_frameworks()["qigeyi"], tmp_path)
