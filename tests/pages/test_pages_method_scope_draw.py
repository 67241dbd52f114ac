"""Issue 11: on the Methodology page the metro boundary can be one more uncertain input of the Monte Carlo — a
checkbox (kept in the URL) widens the rank intervals of metros that move between scopes, and the chart's
subtitle and note say so in the page language."""
from __future__ import annotations

import pytest

from tests.pages.conftest import assert_clean, charts, decode, open_page


def _intervals(spec) -> dict[str, float]:
    out = {}
    for tr in spec["data"]:
        if tr.get("mode") == "lines":
            x = decode(tr["x"])
            out[decode(tr["y"])[0]] = float(x[1]) - float(x[0])
    return out


@pytest.mark.parametrize("lang, sub, note", [("zh", "含范围不确定性", "范围也作为不确定因素"),
                                             ("en", "boundary varied", "The boundary is uncertain too")])
def test_scope_draw_checkbox_widens_intervals_and_says_so(app_db, lang, sub, note):
    at = open_page("pages/7_methodology.py", {"lang": lang})
    assert_clean(at)
    before = charts(at)["meth_robust"]
    assert sub not in before["layout"]["title"]["subtitle"]["text"]
    assert not any(note in c.value for c in at.caption)
    at.checkbox(key="meth_scope_draw").check().run()
    assert_clean(at)
    after = charts(at)["meth_robust"]
    subtitle = after["layout"]["title"]["subtitle"]["text"]
    assert sub in subtitle and subtitle.endswith("规划范围" if lang == "zh" else "plan scope"), subtitle
    assert any(note in c.value for c in at.caption)
    assert at.query_params["meth_scope_draw"] in ("1", ["1"], "true", ["true"])
    w0, w1 = _intervals(before), _intervals(after)
    assert set(w0) == set(w1) and len(w0) >= 5
    assert sum(w1.values()) > sum(w0.values())          # the boundary adds uncertainty to the ranking
