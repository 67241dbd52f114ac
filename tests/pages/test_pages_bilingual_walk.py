"""Bilingual to the last line on the pages the review named (issue 12 point 7): every caption, note, title, source
line and hover on the Flows and Indicators pages is Chinese in Chinese mode and English in English mode, for every
flow kind and both indicator levels, plus the Methodology page's 对标 section."""
from __future__ import annotations

import json

import pytest

from tests.catalog.test_bilingual_walk import chinese_problem, english_problem
from tests.pages.conftest import assert_clean, open_page


def _texts(at) -> list[tuple[str, str]]:
    out = []
    for kind in ("caption", "markdown", "info", "warning", "subheader", "title"):
        out += [(kind, str(el.value)) for el in getattr(at, kind)]
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        lay = spec.get("layout", {})
        title = lay.get("title", {})
        out.append(("chart title", title.get("text", "") if isinstance(title, dict) else str(title)))
        if isinstance(title, dict) and isinstance(title.get("subtitle"), dict):
            out.append(("chart subtitle", title["subtitle"].get("text", "")))
        out += [("chart note/source", a.get("text", "")) for a in lay.get("annotations", [])]
        for tr in spec.get("data", []):
            for k in ("hovertext", "text", "name"):
                v = tr.get(k)
                out += [(f"chart {k}", str(x)) for x in (v if isinstance(v, list) else [v] if v else [])]
    return out


def _problems(at, lang: str) -> list[str]:
    check = chinese_problem if lang == "zh" else english_problem
    return [f"{kind}: {p!r} in {text[:160]!r}" for kind, text in _texts(at) if (p := check(text))]


def _page(page: str, lang: str):
    at = open_page(page, {"lang": lang})
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_flows_page_every_kind(app_db, lang):
    at = _page("pages/5_flows.py", lang)
    key = "flow_kind" if lang == "zh" else "flow_kind_en"
    kinds = list(at.segmented_control(key=key).options)
    assert len(kinds) >= 5        # migration, rail minutes (2007/2017), rail cut, Tencent, gravity
    bad = []
    for i in range(len(kinds)):
        at.segmented_control(key=key).set_value(_kind_value(at, key, i)).run()
        assert_clean(at)
        assert at.segmented_control(key=key).value == _kind_value(at, key, i)
        bad += [f"[{i}] {b}" for b in _problems(at, lang)]
    assert not bad, "\n".join(bad)


def _kind_value(at, key, i):
    """The i-th flow kind (segmented controls hold formatted labels in .options; the values are the store's kinds)."""
    from indicators.ui.flows_view import kinds
    value = kinds()[i]
    assert at.segmented_control(key=key).options[i]      # a label is shown for it
    return value


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("level", ["city", "metro"])
def test_indicators_page(app_db, lang, level):
    at = _page("pages/4_indicators.py", lang)
    key = "ind_level" if lang == "zh" else "ind_level_en"
    if level == "metro":
        at.segmented_control(key=key).set_value("metro").run()
        assert_clean(at)
    bad = _problems(at, lang)
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_methodology_reconcile_section(app_db, lang):
    at = _page("pages/7_methodology.py", lang)
    title = "对标：与已发布评价比较" if lang == "zh" else "Benchmarking against published assessments (对标)"
    assert title in [e.label for e in at.expander]               # drawn when opened (a page switch stays fast)
    at.session_state["meth_reconcile_box"] = True
    at.run()
    assert_clean(at)
    texts = [t for k, t in _texts(at)]
    assert any(("肯德尔 τ" if lang == "zh" else "Kendall τ") in t for t in texts)
    bad = _problems(at, lang)
    assert not bad, "\n".join(bad)
