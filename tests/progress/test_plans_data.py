"""The shipped plans, areas, plan targets and seed tasks: they load, carry the seeds' counts, cite a seed
line that holds their text, report no status the seeds do not report, and re-derive identically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators.paths import DATA_DIR, PROJECT_ROOT
from indicators.store import plans as plan_reads

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")


@pytest.fixture(scope="module")
def con(default_db):
    from indicators.store.db import shared_connection

    return shared_connection(default_db)      # other tests of the session hold it read-write


def test_shipped_plans_and_seed_tasks_load(con):
    plans = plan_reads.plans(con).set_index("plan_id")
    assert {"yrd_3yr_2024_2026", "yrd_metro_tc_2025", "yrd_14th_fyp_2021_2025", "chengdu_3yr_2020_2022",
            "chengdu_3yr_2023_2025", "yrd_3yr_2018_2020", "yrd_3yr_2021_2023"} <= set(plans.index)
    assert plans.loc["yrd_3yr_2024_2026", "tasks_stated"] == 165
    assert plans.loc["yrd_metro_tc_2025", "tasks_stated"] == 30
    assert plans.loc["yrd_metro_tc_2025", "period_basis"] == "inferred"
    assert (plans.loc["chengdu_3yr_2020_2022", "projects_stated"], plans.loc["chengdu_3yr_2023_2025", "projects_stated"]) == (202, 197)
    areas = plan_reads.areas(con)
    yrd24 = areas[areas["plan_id"] == "yrd_3yr_2024_2026"]
    assert len(yrd24) == 9 and yrd24["tasks_stated"].sum() == 165
    assert yrd24["tasks_stated"].tolist() == [20, 20, 25, 23, 22, 17, 10, 15, 13]
    assert len(areas[areas["plan_id"] == "yrd_metro_tc_2025"]) == 8          # 七个一 + 组织实施
    for pid in ("chengdu_3yr_2020_2022", "chengdu_3yr_2023_2025"):
        assert areas[areas["plan_id"] == pid]["name_zh"].tolist() == [
            "发展布局", "设施互通", "创新协同", "产业协作", "开放共进", "公共服务共建共享", "生态共建污染共治", "体制改革机制创新"]
    tasks = plan_reads.tasks(con)
    assert set(tasks["status"]) == {"未知"}                                  # no seed reports a task status
    assert tasks[["lead_unit", "deadline", "evidence_text", "evidence_date"]].isna().all().all()
    assert tasks["source_id"].notna().all() and tasks["source_line"].notna().all()
    per_plan = tasks.groupby("plan_id").size()
    assert per_plan["yrd_3yr_2024_2026"] <= 165 and per_plan["yrd_14th_fyp_2021_2025"] == 33
    targets = plan_reads.plan_targets(con, "yrd_14th_fyp_2021_2025")
    assert len(targets) == 9 and set(targets["source_id"]) == {"seed_003"}


@needs_seeds
def test_every_row_cites_a_seed_line_holding_its_text():
    from indicators.store.derive.plans import SEED_FILES, SeedText

    seeds = {sid: SeedText.read(SEEDS, sid) for sid in SEED_FILES}
    for name, text_col in (("plan", "source_quote"), ("plan_area", "source_quote"), ("plan_target", "source_quote"),
                           ("plan_task", "title")):
        table = pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        for r in table.itertuples():
            seed = seeds[r.source_id]
            text = getattr(r, text_col)
            probe = text[:12]
            flat = seed.flat.replace(" ", "")
            pos = flat.find(probe.replace(" ", ""))
            assert pos >= 0, (name, r.Index, probe)
            # the cited line is where the text starts (or, for a quote repeated in the seed, one of its places)
            lines = {seed.line_of[i] for i in range(len(seed.flat)) if seed.flat.startswith(probe, i)} or \
                {int(r.source_line)}
            assert int(r.source_line) in lines, (name, r.Index, probe, r.source_line, lines)


@needs_seeds
def test_plans_rederive_identically(tmp_path):
    from indicators.store.derive.plans import run_seeds

    run_seeds(SEEDS, tmp_path)
    for name in ("plan", "plan_area", "plan_target", "plan_task"):
        a = pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        b = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(a, b)
