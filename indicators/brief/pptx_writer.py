"""PPTX: cover, key points, one chart per slide (title, subtitle, picture, source note), methodology from the
build log, sources. 16:9 (13.33 × 7.5 in)."""
from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from indicators.brief.images import SLIDE_BODY, chart_png
from indicators.brief.pack import BriefPack

EA_FONT = "Microsoft YaHei"   # PowerPoint's CJK face; other systems substitute their CJK font (Noto on Debian)
INK = RGBColor(0x2C, 0x3E, 0x50)
GREY = RGBColor(0x7F, 0x8C, 0x8D)
ACCENT = RGBColor(0xC0, 0x39, 0x2B)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
LINES_PER_SLIDE = 15

LABELS = {
    "zh": {"points": "要点", "caveats": "数据说明", "method": "方法说明", "sources": "数据来源",
           "source": "来源", "generated": "生成日期", "cont": "（续）"},
    "en": {"points": "Key points", "caveats": "Data notes", "method": "Methodology", "sources": "Sources",
           "source": "Source", "generated": "Generated", "cont": " (cont.)"},
}


def _font(run, size: float, colour: RGBColor = INK, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    rpr = run._r.get_or_add_rPr()  # noqa: SLF001 - python-pptx has no API for the East Asian typeface
    for tag in ("a:latin", "a:ea"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", EA_FONT)


def _text(slide, left, top, width, height, lines: list[str] | str, size: float, colour: RGBColor = INK,
          bold: bool = False, name: str | None = None, bullet: bool = False, space_after: float = 0):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate([lines] if isinstance(lines, str) else lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = ("• " + line) if bullet else line
        _font(run, size, colour, bold)
        if space_after:
            para.space_after = Pt(space_after)
    return box


def _title(slide, text: str, subtitle: str = "") -> None:
    _text(slide, MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(0.6), text, 26, INK, True, name="Title")
    if subtitle:
        _text(slide, MARGIN, Inches(0.9), SLIDE_W - 2 * MARGIN, Inches(0.4), subtitle, 14, GREY, name="Subtitle")


def _footer(slide, pack: BriefPack, page: int) -> None:
    _text(slide, SLIDE_W - Inches(5.5), SLIDE_H - Inches(0.4), Inches(5.0), Inches(0.3),
          f"{pack.product} · {pack.generated} · {page}", 9, GREY, name="Footer").text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _chunks(lines: list[str], n: int) -> list[list[str]]:
    return [lines[i:i + n] for i in range(0, len(lines), n)] or [[]]


def _width(text: str) -> float:
    """Display width in CJK characters (Latin letters and digits count half)."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _fit(items: list, lines_of, max_lines: float, heading=lambda item: False) -> list[list]:
    """Split ``items`` into slides so that the wrapped lines of each slide stay within ``max_lines``; a
    heading never ends a slide (it moves to the next one with its first line)."""
    out: list[list] = [[]]
    used = 0.0
    for item in items:
        n = lines_of(item)
        if out[-1] and used + n > max_lines:
            carry = [out[-1].pop()] if out[-1] and heading(out[-1][-1]) else []
            out.append(carry)
            used = sum(lines_of(x) for x in carry)
        out[-1].append(item)
        used += n
    return [chunk for chunk in out if chunk] or [[]]


def _lines(text: str, size: float, width_in: float) -> int:
    per_line = max(1.0, width_in * 72 / size)      # CJK characters per line at this font size
    return max(1, int(-(-_width(text) // per_line)))


def write_pptx(pack: BriefPack, path: str | Path) -> Path:
    lab = LABELS["en" if pack.lang == "en" else "zh"]
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    page = 0

    def new_slide():
        nonlocal page
        page += 1
        return prs.slides.add_slide(blank)

    # Cover
    s = new_slide()
    bar = s.shapes.add_shape(1, 0, Inches(2.3), Inches(0.25), Inches(2.2))
    bar.fill.solid()
    bar.fill.fore_color.rgb = ACCENT
    bar.line.fill.background()
    _text(s, Inches(0.8), Inches(2.3), Inches(11.5), Inches(1.0), pack.title, 40, INK, True, name="Title")
    sub_lines = _lines(pack.subtitle, 20, 11.3)
    _text(s, Inches(0.8), Inches(3.4), Inches(11.5), Inches(0.4 * sub_lines + 0.2), pack.subtitle, 20, GREY,
          name="Subtitle")
    _text(s, Inches(0.8), Inches(3.5 + 0.4 * sub_lines + 0.2), Inches(11.5), Inches(0.5),
          f"{pack.product} · {lab['generated']} {pack.generated}", 12, GREY, name="Generated")

    # Key points (summary + caveats), split over slides if long
    points = pack.summary + pack.caveats
    body_w = (SLIDE_W - 2 * MARGIN) / 914400
    for i, chunk in enumerate(_fit(points, lambda x: _lines("• " + x, 16, body_w) + 0.45, 15)):
        s = new_slide()
        _title(s, lab["points"] + (lab["cont"] if i else ""))
        _text(s, MARGIN, Inches(1.4), SLIDE_W - 2 * MARGIN, Inches(5.4), chunk, 16, INK, bullet=True,
              name="Points", space_after=10)
        _footer(s, pack, page)

    # One chart per slide
    for chart in pack.charts:
        s = new_slide()
        _title(s, chart.meta.title, chart.meta.subtitle)
        png = chart_png(chart, SLIDE_BODY, "png2x")
        s.shapes.add_picture(io.BytesIO(png), MARGIN, Inches(1.4), width=Inches(SLIDE_BODY.width_in),
                             height=Inches(SLIDE_BODY.height_in))
        note = [x for x in (chart.meta.note, chart.meta.source) if x]
        _text(s, MARGIN, Inches(6.62), Inches(7.2), Inches(0.6), note, 10, GREY, name="Source")
        _footer(s, pack, page)

    # Methodology in prose (generated from the index build log and the year's indicators)
    lines: list[str] = []
    for heading, body in pack.methodology:
        lines += [f"【{heading}】" if pack.lang != "en" else f"[{heading}]", *body]
    for i, chunk in enumerate(_fit(lines, lambda x: _lines(x, 14, body_w) + 0.4, 20,
                                   heading=lambda x: x.startswith(("【", "[")))):
        s = new_slide()
        _title(s, lab["method"] + (lab["cont"] if i else ""))
        box = _text(s, MARGIN, Inches(1.3), SLIDE_W - 2 * MARGIN, Inches(5.6), chunk, 14, INK, name="Methodology",
                    space_after=6)
        for para in box.text_frame.paragraphs:
            if para.runs and para.runs[0].text.startswith(("【", "[")):
                para.runs[0].font.bold = True
        _footer(s, pack, page)

    # Sources: a numbered reference list, the compilation in small print under each
    notes = list(pack.source_notes) + [""] * (len(pack.sources) - len(pack.source_notes))
    refs = list(zip(pack.sources, notes))
    fit = _fit(refs, lambda r: _lines(r[0], 12, body_w) + (0.8 * _lines(r[1], 9, body_w) if r[1] else 0) + 0.3, 27)
    for i, chunk in enumerate(fit):
        s = new_slide()
        _title(s, lab["sources"] + (lab["cont"] if i else ""))
        box = s.shapes.add_textbox(MARGIN, Inches(1.3), SLIDE_W - 2 * MARGIN, Inches(5.6))
        box.name = "Sources"
        frame = box.text_frame
        frame.word_wrap = True
        first = True
        for main, note in chunk:
            for text, size, colour in ((main, 12, INK), (note, 9, GREY)):
                if not text:
                    continue
                para = frame.paragraphs[0] if first else frame.add_paragraph()
                first = False
                run = para.add_run()
                run.text = text if size == 12 else "    " + text
                _font(run, size, colour)
                para.space_after = Pt(6 if size == 9 or not note else 1)
        _footer(s, pack, page)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path

