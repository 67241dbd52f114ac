"""A geometric check of a laid-out figure: draw it with plotly.js in Debian's chromium (the engine kaleido uses,
same fonts), read the bounding box of every text block — title, subtitle, legend, tick labels, axis titles,
colour bar, annotations (source line, note, footer, in-plot notes) — and report pairs of different blocks that
overlap, and blocks that stick out of the figure.

``LayoutChecker`` keeps one browser page open for many figures::

    with LayoutChecker() as check:
        problems = check.problems(decorated_fig)          # [] when nothing overlaps or is clipped
        check.screenshot(decorated_fig, "out.png")        # for a human to look at

Playwright and chromium are test/bench tools: this module imports Playwright only when a checker is opened.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go

from indicators.paths import STATIC_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--allow-file-access-from-files"]
TOLERANCE_PX = 1.0

# Which text blocks of one chart form one group (blocks within a group may touch, e.g. neighbouring ticks).
_JS_BOXES = """
(gd) => {
  const out = [];
  const add = (group, el) => {
    if (!el) return;
    const r = el.getBoundingClientRect();
    if (r.width > 0.5 && r.height > 0.5)
      out.push({group, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, text: (el.textContent || '').slice(0, 60)});
  };
  gd.querySelectorAll('.gtitle').forEach(e => add('title', e));
  gd.querySelectorAll('.gtitle-subtitle').forEach(e => add('subtitle', e));
  gd.querySelectorAll('g.legend').forEach(e => add('legend', e.querySelector('.scrollbox') || e));
  gd.querySelectorAll('.xtick text').forEach(e => add('xtick', e));
  gd.querySelectorAll('.ytick text').forEach(e => add('ytick', e));
  gd.querySelectorAll('[class^="g-x"][class$="title"] text').forEach(e => add('xtitle', e));
  gd.querySelectorAll('[class^="g-y"][class$="title"] text').forEach(e => add('ytitle', e));
  gd.querySelectorAll('.colorbar').forEach(e => add('colorbar', e));
  const anns = (gd.layout.annotations || []);
  gd.querySelectorAll('g.annotation').forEach(e => {
    const i = +e.getAttribute('data-index');
    const a = anns[i] || {};
    add('annotation:' + (a.name || i), e.querySelector('.annotation-text-g') || e);
  });
  return {width: gd._fullLayout.width, height: gd._fullLayout.height, boxes: out};
}
"""


@dataclass(frozen=True)
class Box:
    group: str
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def intersects(self, other: "Box", tol: float = TOLERANCE_PX) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tol
                and min(self.y1, other.y1) - max(self.y0, other.y0) > tol)


def overlaps(boxes: list[Box], ignore: set[frozenset] | None = None) -> list[tuple[Box, Box]]:
    """Pairs of boxes from different groups that overlap (``ignore``: group pairs allowed to)."""
    ignore = ignore or set()
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a.group == b.group or frozenset((a.group, b.group)) in ignore:
                continue
            if a.intersects(b):
                out.append((a, b))
    return out


def outside(boxes: list[Box], width: float, height: float, tol: float = TOLERANCE_PX) -> list[Box]:
    """Boxes that stick out of the figure (a clipped label or source line)."""
    return [b for b in boxes if b.x0 < -tol or b.y0 < -tol or b.x1 > width + tol or b.y1 > height + tol]


class LayoutChecker:
    """One chromium page with plotly.js loaded; figures are drawn into it one after another."""

    def __init__(self, executable: str = CHROMIUM):
        self.executable = executable
        self._pw = self._browser = self._page = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> "LayoutChecker":
        from playwright.sync_api import sync_playwright

        self._tmp = tempfile.TemporaryDirectory()
        plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        html = Path(self._tmp.name) / "layout.html"
        html.write_text(f"<!doctype html><html><head><meta charset='utf-8'><script src='{plotly_js.as_uri()}'></script>"
                        "<style>body{margin:0;background:white}</style></head><body><div id='gd'></div></body></html>",
                        encoding="utf-8")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS, headless=True)
        self._page = self._browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        self._page.goto(html.as_uri())
        self._page.wait_for_function("typeof Plotly !== 'undefined'")
        return self

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def draw(self, fig: go.Figure | dict) -> dict:
        spec = json.loads(fig.to_json()) if isinstance(fig, go.Figure) else fig
        payload = json.dumps({"data": spec.get("data", []), "layout": spec.get("layout", {})},
                             default=_json_default)
        topo = (STATIC_DIR / "topojson").as_uri() + "/"
        self._page.evaluate(
            """([payload, topo]) => { const s = JSON.parse(payload); const gd = document.getElementById('gd');
                 Plotly.purge(gd);
                 return Plotly.newPlot(gd, s.data, s.layout, {staticPlot: true, topojsonURL: topo}).then(() => true); }""",
            [payload, topo])
        self._page.wait_for_timeout(50)
        return self._page.evaluate(f"({_JS_BOXES})(document.getElementById('gd'))")

    def boxes(self, fig: go.Figure | dict) -> tuple[list[Box], float, float]:
        got = self.draw(fig)
        return [Box(**b) for b in got["boxes"]], float(got["width"]), float(got["height"])

    def problems(self, fig: go.Figure | dict, ignore: set[frozenset] | None = None) -> list[str]:
        """Human-readable overlaps and clipped blocks; empty when the layout is clean."""
        boxes, width, height = self.boxes(fig)
        out = [f"{a.group} «{a.text}» overlaps {b.group} «{b.text}»" for a, b in overlaps(boxes, ignore)]
        out += [f"{b.group} «{b.text}» is outside the {width:.0f}×{height:.0f} figure" for b in outside(boxes, width, height)]
        return out

    def screenshot(self, fig: go.Figure | dict, path: Path) -> Path:
        got = self.draw(fig)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._page.locator("#gd .main-svg").first.screenshot(path=str(path))
        _ = got
        return path


def _json_default(obj):
    import numpy as np

    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    return str(obj)
