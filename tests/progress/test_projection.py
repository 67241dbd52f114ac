"""engine.progress: projections (known linear series → known year; already met; too short), the score
formula and its configuration, status counts, the ledger as of a year."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.engine.progress import (ProgressSpec, combine, plan_progress, project, status_by_year, status_counts,
                                        task_score, tasks_as_of, yoy_changes)


def series(values: dict) -> pd.Series:
    return pd.Series(values)


def test_known_linear_series_gives_the_known_year():
    # 50 in 2015, +2 a year: reaches 70 in 2025 exactly; 80 in 2030
    s = series({y: 50 + 2 * (y - 2015) for y in range(2015, 2023)})   # last value 64 in 2022
    p = project(s, 70, ">=", 2025, base_year=2020)
    assert p.verdict == "on_pace" and p.year_met == 2025
    assert p.slope == pytest.approx(2.0) and p.projected == pytest.approx(70.0)
    assert p.lower == pytest.approx(70.0) and p.upper == pytest.approx(70.0)     # no scatter: no width
    assert p.distance_closed == pytest.approx((64 - 60) / (70 - 60))
    assert p.time_elapsed == pytest.approx((2022 - 2020) / (2025 - 2020))
    late = project(s, 80, ">=", 2025, base_year=2020)
    assert late.verdict == "not_by_deadline" and late.year_met == 2030


def test_falling_target_and_noisy_interval():
    s = series({2016: 1.50, 2017: 1.46, 2018: 1.43, 2019: 1.38, 2020: 1.36, 2021: 1.31})
    p = project(s, 1.2, "<=", 2025, base_year=2020)
    assert p.slope < 0 and p.verdict == "on_pace" and 2022 <= p.year_met <= 2025
    assert p.lower < p.projected < p.upper
    wide = project(s, 1.2, "<=", 2025, base_year=2020, spec=ProgressSpec(interval=0.99))
    assert wide.upper - wide.lower > p.upper - p.lower


def test_target_already_met_says_so():
    p = project(series({2019: 68.0, 2020: 71.5}), 70, ">=", 2025, base_year=2020)
    assert p.verdict == "met" and p.year_met is None and p.latest_value == 71.5


def test_series_too_short_says_so():
    p = project(series({2010: 60.0, 2020: 65.0}), 70, ">=", 2025, base_year=2020)
    assert p.verdict == "too_short" and p.projected is None and p.year_met is None
    assert project(series({}), 70, ">=", 2025).verdict == "no_data"
    # with min_points 2 the same two points project
    p2 = project(series({2010: 60.0, 2020: 65.0}), 70, ">=", 2025, spec=ProgressSpec(min_points=2))
    assert p2.verdict == "not_by_deadline" and p2.year_met == 2030 and p2.lower is None


def test_trend_moving_away_is_not_by_the_deadline_and_never():
    p = project(series({2018: 60.0, 2019: 59.0, 2020: 58.0, 2021: 57.0}), 70, ">=", 2025)
    assert p.verdict == "not_by_deadline" and p.year_met is None


def _areas():
    return pd.DataFrame({"plan_id": ["p"] * 3, "area_id": ["A1", "A2", "A3"], "seq": [1, 2, 3],
                         "name_zh": ["甲", "乙", "丙"], "name_en": ["a", "b", "c"]})


def _tasks():
    return pd.DataFrame({"task_id": [f"t{i}" for i in range(7)], "plan_id": "p",
                         "area_id": ["A1", "A1", "A1", "A2", "A2", "A2", "A2"],
                         "status": ["已完成", "推进中", "未知", "滞后", "未启动", "未知", "已完成"],
                         "targets": [None, "tg1", None, None, None, None, None],
                         "updated_at": pd.NaT})


def test_status_counts_and_task_score():
    counts = status_counts(_tasks(), _areas()).set_index("area_id")
    assert counts.loc["A1", ["tasks", "done", "in_progress", "unknown"]].tolist() == [3, 1, 1, 1]
    assert counts.loc["A3", "tasks"] == 0                       # an area without tasks stays, with zeros
    score, coverage = task_score(counts.loc["A1"], ProgressSpec())
    assert score == pytest.approx(100 * 1.5 / 2) and coverage == pytest.approx(2 / 3)
    assert task_score(counts.loc["A3"], ProgressSpec()) == (None, None)


def test_score_weights_are_configurable_and_logged():
    targets = pd.DataFrame({"target_id": ["tg1"], "indicator": ["x"], "comparator": [">="], "value": [70.0],
                            "unit": ["%"], "target_year": [2025], "base_year": [None]})
    data = pd.DataFrame({"metro_id": "m", "indicator": "x", "year": [2019, 2020, 2021, 2022],
                         "value": [58.0, 60.0, 62.0, 64.0]})
    plan = {"plan_id": "p", "period_start": 2021, "period_end": 2025}
    r = plan_progress(plan, _areas(), _tasks(), targets, data)
    a1 = r.areas.set_index("area_id").loc["A1"]
    assert a1["task_score"] == pytest.approx(75.0)
    assert a1["indicator_score"] == pytest.approx(100 * (64 - 60) / (70 - 60))   # base = 2020, year before the plan
    assert a1["progress_score"] == pytest.approx((75 + 40) / 2)
    assert pd.isna(r.areas.set_index("area_id").loc["A3", "progress_score"])       # nothing known: no score, not 0
    heavy = plan_progress(plan, _areas(), _tasks(), targets, data, ProgressSpec(task_weight=3, indicator_weight=1))
    assert heavy.areas.set_index("area_id").loc["A1", "progress_score"] == pytest.approx((3 * 75 + 40) / 4)
    steps = {s.name: s.params for s in heavy.log}
    assert steps["combine"]["task_weight"] == 3 and steps["task_score"]["credits"]["已完成"] == 1.0
    assert "target_projection" in steps and r.targets.iloc[0]["verdict"] == "on_pace"
    assert combine(None, None, ProgressSpec()) is None and combine(None, 40.0, ProgressSpec()) == 40.0
    with pytest.raises(ValueError):
        ProgressSpec(status_credit={"未知": 0.5})
    with pytest.raises(ValueError):
        ProgressSpec(task_weight=0, indicator_weight=0)


def test_ledger_as_of_a_year_uses_history():
    current = pd.DataFrame({"task_id": ["t1", "t2"], "plan_id": "p", "area_id": "A1", "status": ["已完成", "推进中"],
                            "updated_at": pd.to_datetime(["2025-03-01", "2024-06-01"])})
    history = pd.DataFrame({"task_id": ["t1"], "plan_id": "p", "area_id": "A1", "status": ["推进中"],
                            "updated_at": pd.to_datetime(["2024-02-01"])})
    at_2024 = tasks_as_of(current, history, 2024).set_index("task_id")["status"].to_dict()
    assert at_2024 == {"t1": "推进中", "t2": "推进中"}
    assert tasks_as_of(current, history, 2023).empty
    assert tasks_as_of(current, history, None)["status"].tolist() == ["已完成", "推进中"]


def test_year_on_year_change_only_between_consecutive_years():
    data = pd.DataFrame({"metro_id": "m", "indicator": "x", "year": [2018, 2019, 2021], "value": [10.0, 11.0, 15.0]})
    y = yoy_changes(data).set_index("year")
    assert y.loc[2019, "change"] == pytest.approx(1.0) and y.loc[2019, "change_pct"] == pytest.approx(10.0)
    assert pd.isna(y.loc[2021, "change"])      # 2020 missing: no year-on-year change claimed


def test_every_status_and_verdict_has_both_languages():
    from indicators.engine.progress import STATUS_KEYS, VERDICTS
    from indicators.i18n import strings

    keys = [f"progress.status_{k}" for k in STATUS_KEYS.values()] + \
        [f"progress.verdict_{v}" for v in (*VERDICTS, "never")]
    table = strings()
    assert all(k in table and table[k].get("zh") and table[k].get("en") for k in keys)


def test_status_year_by_year():
    current = pd.DataFrame({"task_id": ["t1", "t2", "t3"], "plan_id": "p", "area_id": "A1",
                            "status": ["已完成", "已完成", "未知"],
                            "updated_at": pd.to_datetime(["2025-03-01", "2024-06-01", None])})
    history = pd.DataFrame({"task_id": ["t1"], "plan_id": "p", "area_id": "A1", "status": ["推进中"],
                            "updated_at": pd.to_datetime(["2024-02-01"])})
    y = status_by_year(current, history, [2023, 2024, 2025]).set_index("year")
    assert y.loc[2023, ["tasks", "done", "unknown"]].tolist() == [1, 0, 1]          # only the seed row
    assert y.loc[2024, ["tasks", "done", "in_progress"]].tolist() == [3, 1, 1]
    assert y.loc[2025, "done"] == 2 and y.loc[2025, "done_change"] == 1
