"""Issue 12 on the pages: the dashboard's 2023 index equals `compute --years 2023-2023`, unranked metros are
listed, and the Methodology note lists per dimension the indicators with data that year and their vintage."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.pages.conftest import assert_clean, charts, decode, open_page


@pytest.mark.parametrize("framework", ["chengdu_eight", "ndrc_six", "qigeyi"])
def test_dashboard_2023_equals_compute_of_2023_alone(app_db, framework, tmp_path):
    from indicators.cli import main

    at = open_page(query={"fw": framework, "year": "2023"})
    assert_clean(at)
    bar = charts(at)["ov_ranking"]["data"][0]
    shown = sorted(np.round(decode(bar["x"]), 6))
    out = tmp_path / "c.csv"
    assert main(["compute", "--framework", framework, "--years", "2023-2023", "--out", str(out), "--db", str(app_db)]) == 0
    df = pd.read_csv(out)
    ranked = df[(df["dimension"] == "index") & df["ranked"]]
    assert shown == sorted(np.round(ranked["score"].to_numpy(), 6))


@pytest.mark.parametrize("lang, heading, vintage", [("zh", "各维度当年所用指标", "年"), ("en", "Indicators used per dimension", "20")])
def test_methodology_lists_indicators_and_vintage_per_dimension(app_db, lang, heading, vintage):
    at = open_page("pages/7_methodology.py", query={"fw": "chengdu_eight", "year": "2023", "lang": lang})
    assert_clean(at)
    assert any(heading in h.value for h in at.subheader)
    notes = next(d.value for d in at.dataframe if "indicators" in d.value.columns and "warning" in d.value.columns)
    assert len(notes) == 8                                     # every dimension of the framework, with or without data
    with_data = notes[notes["metros"] > 0]
    assert len(with_data) >= 3 and with_data["indicators"].str.contains(vintage).all()
    snapshot = "快照" if lang == "zh" else "snapshot"
    assert notes["indicators"].str.contains(snapshot).any()    # the Baidu 2020 flows say what they are
