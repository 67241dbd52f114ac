"""DOCX: title, generated summary of the numbers, the same charts (A4 column, 300 dpi) with title, subtitle and
source note, methodology from the build log, sources."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from indicators.brief.images import DOC_COLUMN, chart_png
from indicators.brief.pack import BriefPack

EA_FONT = "Microsoft YaHei"
GREY = RGBColor(0x7F, 0x8C, 0x8D)
LABELS = {
    "zh": {"summary": "摘要", "caveats": "数据说明", "charts": "图表", "method": "方法说明", "sources": "数据来源",
           "generated": "生成日期", "figure": "图"},
    "en": {"summary": "Summary", "caveats": "Data notes", "charts": "Charts", "method": "Methodology",
           "sources": "Sources", "generated": "Generated", "figure": "Figure"},
}


def _east_asian(style_or_run, name: str = EA_FONT) -> None:
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _setup_styles(doc) -> None:
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            try:
                _east_asian(style)
            except Exception:  # noqa: BLE001 - a style without run properties
                continue
    doc.styles["Normal"].font.size = Pt(10.5)


def _small(doc, text: str, italic: bool = False):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    run.font.italic = italic
    return para


def write_docx(pack: BriefPack, path: str | Path) -> Path:
    lab = LABELS["en" if pack.lang == "en" else "zh"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    _setup_styles(doc)

    doc.add_heading(pack.title, level=0)
    doc.add_paragraph(pack.subtitle)
    _small(doc, f"{pack.product} · {lab['generated']} {pack.generated}")

    doc.add_heading(lab["summary"], level=1)
    for sentence in pack.summary:
        doc.add_paragraph(sentence, style="List Bullet")
    if pack.caveats:
        doc.add_heading(lab["caveats"], level=2)
        for sentence in pack.caveats:
            doc.add_paragraph(sentence, style="List Bullet")

    doc.add_heading(lab["charts"], level=1)
    for i, chart in enumerate(pack.charts, start=1):
        doc.add_heading(f"{lab['figure']} {i}  {chart.meta.title}", level=2)
        if chart.meta.subtitle:
            _small(doc, chart.meta.subtitle)
        png = chart_png(chart, DOC_COLUMN, "png_print")
        doc.add_picture(io.BytesIO(png), width=Cm(16.0))
        for line in (chart.meta.note, chart.meta.source):
            if line:
                _small(doc, line)

    doc.add_heading(lab["method"], level=1)
    for heading, lines in pack.methodology:
        doc.add_heading(heading, level=2)
        for line in lines:
            doc.add_paragraph(line)

    doc.add_heading(lab["sources"], level=1)
    notes = list(pack.source_notes) + [""] * (len(pack.sources) - len(pack.source_notes))
    for line, note in zip(pack.sources, notes):
        doc.add_paragraph(line)
        if note:
            _small(doc, note)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
