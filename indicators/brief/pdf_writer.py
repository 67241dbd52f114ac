"""PDF: the same content as the DOCX rendered to HTML and printed by headless Chromium (no new dependency)."""
from __future__ import annotations

import base64
import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from indicators.brief.images import DOC_COLUMN, chart_png
from indicators.brief.pack import BriefPack
from indicators.export.fonts import CJK_FONT_FAMILY

LABELS = {
    "zh": {"summary": "摘要", "caveats": "数据说明", "method": "方法说明", "sources": "数据来源", "figure": "图",
           "generated": "生成日期"},
    "en": {"summary": "Summary", "caveats": "Data notes", "method": "Methodology", "sources": "Sources",
           "figure": "Figure", "generated": "Generated"},
}
CSS = """
@page { size: A4; margin: 2cm 2.5cm; }
body { font-family: %s; color: #2C3E50; font-size: 10.5pt; line-height: 1.55; }
h1 { font-size: 22pt; margin: 0 0 4pt 0; } h2 { font-size: 14pt; margin: 18pt 0 6pt 0; }
h3 { font-size: 11.5pt; margin: 14pt 0 2pt 0; break-after: avoid; }
.small { font-size: 8.5pt; color: #7F8C8D; margin: 2pt 0; }
figure { margin: 0 0 10pt 0; break-inside: avoid; } figure img { width: 16cm; display: block; }
li { margin-bottom: 3pt; } ul.refs { list-style: none; padding-left: 0; }
""" % CJK_FONT_FAMILY


def _e(text: str) -> str:
    return html.escape(str(text))


def render_html(pack: BriefPack) -> str:
    lab = LABELS["en" if pack.lang == "en" else "zh"]
    parts = [f"<!DOCTYPE html><html lang='{'en' if pack.lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>",
             f"<title>{_e(pack.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(pack.title)}</h1><p>{_e(pack.subtitle)}</p>",
             f"<p class='small'>{_e(pack.product)} · {lab['generated']} {_e(pack.generated)}</p>",
             f"<h2>{lab['summary']}</h2><ul>", *[f"<li>{_e(s)}</li>" for s in pack.summary], "</ul>"]
    if pack.caveats:
        parts += [f"<h3>{lab['caveats']}</h3><ul>", *[f"<li>{_e(s)}</li>" for s in pack.caveats], "</ul>"]
    for i, chart in enumerate(pack.charts, start=1):
        data = base64.b64encode(chart_png(chart, DOC_COLUMN, "png2x")).decode("ascii")
        parts.append(f"<figure><h3>{lab['figure']} {i}  {_e(chart.meta.title)}</h3>")
        if chart.meta.subtitle:
            parts.append(f"<p class='small'>{_e(chart.meta.subtitle)}</p>")
        parts.append(f"<img alt='{_e(chart.meta.title)}' src='data:image/png;base64,{data}'>")
        parts += [f"<p class='small'>{_e(x)}</p>" for x in (chart.meta.note, chart.meta.source) if x]
        parts.append("</figure>")
    parts.append(f"<h2>{lab['method']}</h2>")
    for heading, lines in pack.methodology:
        parts += [f"<h3>{_e(heading)}</h3>", *[f"<p>{_e(x)}</p>" for x in lines]]
    notes = list(pack.source_notes) + [""] * (len(pack.sources) - len(pack.source_notes))
    parts += [f"<h2>{lab['sources']}</h2><ul class='refs'>",
              *[f"<li>{_e(s)}" + (f"<p class='small'>{_e(n)}</p>" if n else "") + "</li>" for s, n in zip(pack.sources, notes)],
              "</ul></body></html>"]
    return "".join(parts)


def _browser() -> str:
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("PDF export needs Chromium (Debian package `chromium`); write .docx or .pptx instead")


def write_pdf(pack: BriefPack, path: str | Path, timeout: float = 120) -> Path:
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tongcheng-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(render_html(pack), encoding="utf-8")
        cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}", page.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if not path.exists() or path.stat().st_size == 0:
        raise RuntimeError(f"Chromium did not write the PDF (exit {proc.returncode}): {proc.stderr[-500:]}")
    return path
