"""No overlap of legend, title, subtitle, axis labels, source line, note and footer, and nothing clipped, in any
export size (slide 16:9, A4 column) and language — checked on the laid-out figure: plotly.js draws each decorated
figure in Debian's chromium (the engine kaleido exports with, same fonts) and the text blocks' boxes are compared
(``indicators.export.layout_check``). Screenshots go to test-artifacts/layout/ for a human to look at.
"""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from indicators.export import SIZES, ChartMeta, decorate
from indicators.export.layout_check import CHROMIUM, Box, LayoutChecker, outside, overlaps

from .layout_figures import figures

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "layout"
pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_the_geometry_finds_overlaps_and_clipping():
    a, b = Box("legend", 0, 0, 100, 20, "L"), Box("subtitle", 50, 10, 200, 30, "S")
    c = Box("legend", 90, 0, 120, 20, "L2")
    assert overlaps([a, b]) == [(a, b)] and overlaps([a, c]) == []          # same group may touch
    assert overlaps([a, Box("title", 100.5, 0, 150, 20, "T")]) == []         # touching edges are fine
    assert outside([Box("annotation:export_source", 10, 370, 300, 390, "src")], 605, 378)


@pytest.fixture(scope="module")
def checker():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    pytest.importorskip("playwright.sync_api")
    with LayoutChecker() as chk:
        yield chk


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exports_have_no_overlapping_or_clipped_text(checker, lang):
    problems = []
    for name, fig in figures(lang).items():
        for size in SIZES:
            decorated = decorate(fig, ChartMeta(), SIZES[size])
            found = checker.problems(decorated)
            problems += [f"{name} {size} {lang}: {p}" for p in found]
            checker.screenshot(decorated, ARTIFACTS / f"{name}_{size}_{lang}.png")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_figures_have_no_overlapping_text(checker, lang):
    """The charts as the dashboard draws them (their own height, a 760 px column)."""
    problems = []
    for name, fig in figures(lang).items():
        sized = go.Figure(fig)
        sized.update_layout(width=760)
        found = checker.problems(sized)
        problems += [f"{name} dashboard {lang}: {p}" for p in found]
    assert not problems, "\n".join(problems)
