"""Bake title, subtitle, note, source line and product footer into a copy of a figure, laid out for an
export size. Pure: plotly only, no rendering."""
from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go

from indicators.export.fonts import with_cjk_family
from indicators.export.meta import ChartMeta
from indicators.export.sizes import ExportSize

SOURCE_ANNOTATION = "source_line"   # the name indicators.viz.theme gives its source annotation
BAKED_NAMES = {SOURCE_ANNOTATION, "export_note", "export_source", "export_footer"}
GREY = "#7F8C8D"
INK = "#2C3E50"


@dataclass(frozen=True)
class Typography:
    base: int
    title: int
    subtitle: int
    small: int
    side: int        # left/right margin, px


def typography_for(size: ExportSize) -> Typography:
    """Font sizes that read well at the physical size: a slide is seen from afar, an A4 column up close."""
    if size.width >= 1000:
        return Typography(base=16, title=26, subtitle=16, small=12, side=48)
    return Typography(base=10, title=14, subtitle=10, small=8, side=22)


_TAGS = re.compile(r"<[^>]+>")


def plain_text(html: str | None) -> str:
    """Text of a plotly label without its tags ('<b>x</b><br>y' -> 'x y')."""
    if not html:
        return ""
    return re.sub(r"\s+", " ", _TAGS.sub(" ", html.replace("<br>", " "))).strip()


_WIDE_PUNCT = set("—…“”‘’·　")   # full width in a CJK font although below U+2E80


def text_width_px(text: str, font_px: float) -> float:
    """Rough rendered width: CJK and full-width characters (and —, …, curly quotes) are one em, others about
    0.58 em."""
    return sum(font_px if (ord(ch) > 0x2E7F or ch in _WIDE_PUNCT) else 0.58 * font_px for ch in text)


def _category_lines(fig: go.Figure) -> int:
    """Lines of the longest category tick label on the x axis (labels wrapped with <br>)."""
    most = 1
    for tr in fig.data:
        if getattr(tr, "orientation", None) == "h":
            continue
        xs = getattr(tr, "x", None)
        if xs is None or tr.type not in ("bar", "box", "violin", "scatter"):
            continue
        for x in list(xs)[:200]:
            if isinstance(x, str):
                most = max(most, x.count("<br>") + 1)
    return most


def _legend_rows(fig: go.Figure, plot_w: float, font_px: float) -> int:
    """Rows a horizontal legend needs at ``plot_w`` (entries are text + ≈ 46 px of symbol and gap)."""
    names = [str(tr.name) for tr in fig.data if tr.name and tr.showlegend is not False
             and not (tr.type in ("choropleth", "heatmap") and tr.showlegend is None)]
    names = list(dict.fromkeys(names))
    if not names:
        return 0
    rows, used = 1, 0.0
    for n in names:
        w = text_width_px(n, font_px) + 46
        if used and used + w > plot_w:
            rows += 1
            used = 0.0
        used += w
    return rows


def _subplot_titles_on_top(fig: go.Figure) -> bool:
    """True when an annotation sits on the plot's top edge (make_subplots titles) and needs room below the
    subtitle."""
    for a in fig.layout.annotations or ():
        if a.yref == "paper" and a.y is not None and a.y >= 0.999 and a.yanchor == "bottom" and a.name is None:
            return True
    return False


def wrap_text(text: str, max_px: float, font_px: float) -> list[str]:
    """Greedy wrap for a mixed Chinese/Latin line (breaks between words, or anywhere in CJK runs)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        tokens = re.findall(r"[\u2E80-\uFFFF]|[^\s\u2E80-\uFFFF]+\s*|\s+", paragraph)
        for tok in tokens:
            if current and text_width_px(current + tok, font_px) > max_px:
                lines.append(current.rstrip())
                current = tok.lstrip()
            else:
                current += tok
        lines.append(current.rstrip())
    return [line for line in lines if line] or [""]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _existing_title(fig: go.Figure) -> tuple[str, str]:
    title = fig.layout.title
    text = plain_text(title.text) if title and title.text else ""
    sub = ""
    if title and title.subtitle and title.subtitle.text:
        sub = plain_text(title.subtitle.text.replace("<br>", " · "))   # a wrapped subtitle breaks between parts
    return text, sub


def _existing_source(fig: go.Figure) -> str:
    for ann in fig.layout.annotations or ():
        if ann.name == SOURCE_ANNOTATION and ann.text:
            return plain_text(ann.text)
    return ""


def resolved_texts(fig: go.Figure, meta: ChartMeta) -> ChartMeta:
    """The meta with empty title/subtitle/source filled from what the figure already shows."""
    title, sub = _existing_title(fig)
    return meta.model_copy(update={
        "title": meta.title or title,
        "subtitle": meta.subtitle or sub,
        "source": meta.source or _existing_source(fig),
    })


def decorate(fig: go.Figure | dict, meta: ChartMeta, size: ExportSize, *, include_title: bool = True,
             include_footer: bool = True) -> go.Figure:
    """A new figure with the texts of ``meta`` baked in at ``size``. ``include_title=False`` leaves title and
    subtitle out, ``include_footer=False`` the note, source line and footer — for a slide or document page
    that carries them as text beside the image."""
    out = go.Figure(fig)
    meta = resolved_texts(out, meta)
    ty = typography_for(size)
    width, height = size.width, size.height

    # Existing baked texts (the dashboard's source line, an earlier export's) are replaced, not stacked.
    out.layout.annotations = [a for a in (out.layout.annotations or ()) if a.name not in BAKED_NAMES]

    margin = out.layout.margin
    m_left = max(int(ty.side + 2.5 * ty.base), int(margin.l or 0))
    m_right = max(ty.side, int(margin.r or 0))
    plot_w = max(width - m_left - m_right, 1)
    # The texts start at the plot's left edge; the footer ends at the figure's right edge (minus the side
    # margin), so the source line may run under a wide right margin (a colour bar, labels).
    text_w = width - m_left - ty.side
    footer_x = 1 + (m_right - ty.side) / plot_w
    left_w = 0.95 * (text_w - text_width_px(meta.footer_text(), ty.small) - 2 * ty.small)
    src_lines = wrap_text(meta.source, left_w, ty.small) if (meta.source and include_footer) else []
    note_lines = wrap_text(meta.note, left_w, ty.small) if (meta.note and include_footer) else []
    line_h = ty.small * 1.45
    band = ((len(src_lines) + len(note_lines) or 1) * line_h + ty.small) if include_footer else 0
    x_title = bool(out.layout.xaxis and out.layout.xaxis.title and out.layout.xaxis.title.text)
    tick_lines = _category_lines(out)
    # tick labels (wrapped category labels take a line each) + axis title below the plot
    axis_room = (1.0 + 1.25 * tick_lines + (2.6 if x_title else 0.0)) * ty.base
    legend_h = 0
    legend = out.layout.legend
    legend_top = 0
    if legend and legend.orientation == "h" and legend.y is not None and legend.y < 0:
        legend_h = 2.8 * ty.base
    elif legend and legend.orientation == "h" and legend.y is not None and legend.y >= 1:
        rows = max(_legend_rows(out, width - m_left - m_right, ty.base), 1)
        legend_top = int((0.6 + 1.8 * rows) * ty.base)     # a legend above the plot: room for all its rows
    if _subplot_titles_on_top(out):
        legend_top += int(1.7 * ty.base)
    bottom = int(axis_room + legend_h + band + 8)

    if include_title and meta.title:
        top = int(0.5 * ty.side + ty.title * 1.4 + (ty.subtitle * 1.8 if meta.subtitle else 0) + 1.4 * ty.base)
        title = dict(
            text=f"<b>{_escape(meta.title)}</b>", x=ty.side / width, xref="container", xanchor="left",
            y=1 - (0.5 * ty.side) / height, yref="container", yanchor="top",
            font=dict(size=ty.title, color=INK, family=with_cjk_family(None)),
            subtitle=dict(text=_escape(meta.subtitle), font=dict(size=ty.subtitle, color=GREY)),
        )
    else:
        top = int(1.6 * ty.base)
        title = dict(text="", subtitle=dict(text=""))
    top += legend_top

    base_family = with_cjk_family(out.layout.font.family if out.layout.font else None)
    out.update_layout(
        title=title, width=width, height=height,
        font=dict(family=base_family, size=ty.base),
        margin=dict(l=m_left, r=m_right, t=top, b=bottom, autoexpand=True),
        paper_bgcolor="white",
    )
    plot_h = max(height - top - bottom, 1)
    if legend_h:
        out.update_layout(legend=dict(y=-(axis_room / plot_h), yanchor="top", font=dict(size=ty.base)))

    # Footer band, positioned in px below the plot area (paper y=0), left = source, right = footer.
    band_top = axis_room + legend_h
    shift = -band_top
    texts = [("export_note", note_lines, INK)] if note_lines else []
    texts.append(("export_source", src_lines, GREY))
    for name, lines, colour in texts:
        if not lines:
            continue
        out.add_annotation(
            name=name, text="<br>".join(_escape(s) for s in lines), xref="paper", yref="paper",
            x=0, y=0, xanchor="left", yanchor="top", yshift=shift, showarrow=False, align="left",
            font=dict(size=ty.small, color=colour),
        )
        shift -= len(lines) * line_h
    if not include_footer:
        return out
    out.add_annotation(
        name="export_footer", text=_escape(meta.footer_text()), xref="paper", yref="paper",
        x=footer_x, y=0, xanchor="right", yanchor="top", yshift=-band_top, showarrow=False, align="right",
        font=dict(size=ty.small, color=GREY),
    )
    return out
