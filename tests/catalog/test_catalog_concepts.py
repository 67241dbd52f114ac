"""Indicators measure what their names say (issue 12 point 3): every catalog entry states what it measures, its
evidence class, why it belongs in its dimension and its concept (zh and en), cites sources that exist; a framework
that counts one concept twice fails unless it declares it."""
from __future__ import annotations

import csv

import pytest

from indicators.catalog import load_catalog, load_frameworks
from indicators.catalog.concepts import double_counted, unused_declarations
from indicators.catalog.models import EVIDENCE_CLASSES, Framework
from indicators.paths import DATA_DIR

CATALOG = load_catalog()
SHIPPED = load_frameworks(CATALOG, include_user=False)
def _source_ids() -> set[str]:
    """Every source_id of the shipped tables loaded into ``source`` (source.csv and any other file whose sidecar
    says table: source)."""
    import yaml
    ids = set()
    for path in DATA_DIR.glob("*.csv"):
        meta = path.with_suffix(".meta.yaml")
        if meta.exists() and (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("table") == "source":
            ids |= {r["source_id"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    return ids


SOURCE_IDS = _source_ids()
REQUIRED = ("description", "description_en", "source", "source_en", "measures_zh", "measures_en",
            "dimension_reason_zh", "dimension_reason_en", "concept")


@pytest.mark.parametrize("iid", sorted(CATALOG.indicators))
def test_every_indicator_states_what_it_measures(iid):
    ind = CATALOG.get(iid)
    empty = [f for f in REQUIRED if not str(getattr(ind, f) or "").strip()]
    assert not empty, f"{iid}: empty {empty}"
    assert ind.evidence_class in EVIDENCE_CLASSES


@pytest.mark.parametrize("iid", sorted(CATALOG.indicators))
def test_no_indicator_without_a_source(iid):
    ind = CATALOG.get(iid)
    unknown = [s for s in ind.source_ids if s not in SOURCE_IDS]
    assert not unknown, f"{iid}: source_ids {unknown} are not rows of data/source.csv"
    if not ind.source_ids:   # nothing shipped: the text must say where to import it from
        assert "导入" in ind.source and "import" in ind.source_en, f"{iid}: no source_ids and no import instruction"


def test_snapshot_and_modelled_indicators_say_so():
    """The evidence class matches what the data are: flows from a few days or one timetable are snapshots,
    the gravity term is modelled, the PM2.5 day share is a proxy."""
    expect = {"core_bound_outflow_share": "snapshot", "internal_flow_share": "snapshot",
              "tencent_core_bound_share": "snapshot", "rail_minutes_to_core_mean": "snapshot",
              "rail_minutes_cut_to_core": "snapshot", "gravity_linkage_mean": "modelled",
              "pm25_good_day_share": "proxy", "gdp_growth_comovement": "proxy"}
    got = {i: CATALOG.get(i).evidence_class for i in expect}
    assert got == expect


def test_timetable_minutes_are_named_as_such():
    for iid in ("rail_minutes_to_core_mean", "share_members_within_60min"):
        ind = CATALOG.get(iid)
        assert "时刻表" in ind.name_zh and "timetable" in ind.name_en.lower()
        assert "通勤圈覆盖率" not in ind.name_zh


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_shipped_frameworks_count_each_concept_once(fid):
    fw = SHIPPED[fid]
    problems = double_counted(fw, CATALOG)
    assert not problems, "\n".join(p.message(fid) for p in problems)
    assert not unused_declarations(fw, CATALOG), f"{fid}: declares shared concepts it does not count twice"
    for s in fw.shared_concepts:
        assert s.reason_zh.strip() and s.reason_en.strip()


def _fw(dimensions, shared=()):
    return Framework.model_validate({"id": "t", "name_zh": "t", "name_en": "t", "dimensions": dimensions,
                                     "shared_concepts": list(shared)})


@pytest.mark.parametrize("dims, shared, flagged", [
    # the review's case: three dispersion measures of per-capita GDP
    ([{"id": "a", "name_zh": "a", "name_en": "a", "indicators": [{"id": "gdp_pc_theil"}, {"id": "gdp_pc_cv"}]},
      {"id": "b", "name_zh": "b", "name_en": "b", "indicators": [{"id": "core_rest_gdp_pc_ratio"}]}], (),
     {"gdp_pc_dispersion": ("gdp_pc_theil", "gdp_pc_cv", "core_rest_gdp_pc_ratio")}),
    # the same, declared with a reason: accepted
    ([{"id": "a", "name_zh": "a", "name_en": "a", "indicators": [{"id": "gdp_pc_theil"}, {"id": "gdp_pc_cv"}]}],
     ({"concept": "gdp_pc_dispersion", "reason_zh": "对照", "reason_en": "comparison"},), {}),
    # level and change of the gap are different concepts
    ([{"id": "a", "name_zh": "a", "name_en": "a", "indicators": [{"id": "gdp_pc_theil"}, {"id": "gdp_pc_sigma_convergence"}]}],
     (), {}),
    # two summaries of one timetable
    ([{"id": "a", "name_zh": "a", "name_en": "a", "indicators": [{"id": "rail_minutes_to_core_mean"}]},
      {"id": "b", "name_zh": "b", "name_en": "b", "indicators": [{"id": "share_members_within_60min"}]}], (),
     {"rail_time_to_core": ("rail_minutes_to_core_mean", "share_members_within_60min")}),
    # PM2.5 mean and worst member, and the proxy beside the official rate
    ([{"id": "a", "name_zh": "a", "name_en": "a", "indicators": [{"id": "pm25_mean"}, {"id": "pm25_worst_member"},
                                                                  {"id": "pm25_good_day_share"}, {"id": "good_air_day_rate"}]}],
     (), {"pm25_level": ("pm25_mean", "pm25_worst_member"), "good_air_days": ("pm25_good_day_share", "good_air_day_rate")}),
])
def test_double_counting_is_detected(dims, shared, flagged):
    got = {d.concept: d.indicators for d in double_counted(_fw(dims, shared), CATALOG)}
    assert got == flagged


def test_flows_are_not_in_reform_or_industry_dimensions():
    """Flows of people sit under connectivity/flows dimensions, never 体制改革 or 产业分工."""
    flows = {i for i, d in CATALOG.indicators.items() if d.level == "flow"}
    for fw in SHIPPED.values():
        for dim in fw.dimensions:
            if dim.id in ("reform", "industry", "market", "chain"):
                assert not flows & {r.id for r in dim.indicators}, f"{fw.id}.{dim.id} holds a flow indicator"


def test_each_shipped_framework_contains_an_observed_or_snapshot_integration_measure_after_2020():
    """The review: from 2021 on no framework contained an observed integration measure. Every shipped framework
    now has at least one integration measure computed from yearly observed statistics (convergence or co-movement)."""
    yearly = {"gdp_pc_sigma_convergence", "gdp_pc_beta_convergence", "gdp_growth_comovement"}
    for fw in SHIPPED.values():
        assert yearly & set(fw.indicator_ids()), fw.id
