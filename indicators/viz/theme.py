"""One theme for every chart: fixed metro colours, a CJK font stack, title + subtitle + source line."""
from __future__ import annotations

import copy
import hashlib
import re

import plotly.graph_objects as go

# A font stack that renders Chinese in the browser and in kaleido exports (fonts-noto-cjk on Debian).
CJK_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

# Fixed colour per metro id: the same metro has the same colour on every chart.
METRO_COLORS: dict[str, str] = {
    "chengdu": "#C0392B",    # red: the analyst's home metro
    "shanghai": "#1F4E9A",   # deep blue
    "nanjing": "#7B3FA0",    # purple
    "hangzhou": "#138D75",   # teal
    "hefei": "#D68910",      # amber
    "suxichang": "#2E86C1",  # light blue
    "ningbo": "#5D6D7E",     # slate
    "fuzhou": "#B9770E",     # ochre
    "wuhan": "#A93226",      # brick (darker than Chengdu)
    "xian": "#6E2C00",       # brown
    "chongqing": "#E67E22",  # orange
}
_FALLBACK = ["#17A589", "#884EA0", "#2471A3", "#CA6F1E", "#839192", "#229954", "#7D3C98", "#BA4A00"]

NEUTRAL = "#7F8C8D"
GRID = "#E5E8EB"
TEXT = "#2C3E50"

# Quality flags that must be visibly marked on charts (symbol + legend text + caption).
QUALITY_MARKED = {"modelled", "estimate", "single_source", "synthetic", "conflict", "apportioned", "partial"}
QUALITY_SYMBOL = {
    "official": "circle",
    "cross_checked": "circle",
    "census": "square",
    "single_source": "circle-open",
    "conflict": "x",
    "estimate": "diamond-open",
    "modelled": "diamond-open",
    "synthetic": "star-open",
}


def metro_color(metro_id: str) -> str:
    """The fixed colour of a metro (a stable fallback colour for metros an analyst adds)."""
    if metro_id in METRO_COLORS:
        return METRO_COLORS[metro_id]
    digest = int(hashlib.sha1(str(metro_id).encode("utf-8")).hexdigest(), 16)
    return _FALLBACK[digest % len(_FALLBACK)]


def metro_color_map(metro_ids) -> dict[str, str]:
    return {m: metro_color(m) for m in metro_ids}


def quality_symbol(quality: str | None) -> str:
    return QUALITY_SYMBOL.get(str(quality or ""), "circle")


def wrap_label(text: str, width: int = 14) -> str:
    """Break a long category label onto lines (at spaces for English, every ``width // 2`` characters for
    Chinese) so axis labels stay horizontal and clear of the source line."""
    text = str(text)
    if "（" in text and not text.startswith("（"):        # 一个群（协同发展）: the name, then the bracket
        head, tail = text.split("（", 1)
        return wrap_label(head, width) + "<br>" + wrap_label("（" + tail, width)
    if " " in text:
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        return "<br>".join(lines)
    step = max(2, width // 2)
    return "<br>".join(text[i:i + step] for i in range(0, len(text), step)) if len(text) > step + 1 else text


SOURCE_WRAP_PX = 420      # the source line wraps to fit a chart in a half-width column (≈ 450 px on a 1440 px screen)
_WIDE = set("—…“”‘’·　")


def _text_px(text: str, font_px: float = 10.0) -> float:
    return sum(font_px if (ord(ch) > 0x2E7F or ch in _WIDE) else 0.58 * font_px for ch in text)


def wrap_source(text: str, max_px: float = SOURCE_WRAP_PX, font_px: float = 10.0) -> tuple[str, int]:
    """The source line broken with <br> so that no line is wider than ``max_px``; (text, number of lines)."""
    text = str(text or "")
    if "<" in text or _text_px(text, font_px) <= max_px:
        return text, 1
    lines, line = [], ""
    for tok in re.findall(r"[\u2E80-\uFFFF]|[^\s\u2E80-\uFFFF]+\s*|\s+", text):
        if line and _text_px(line + tok, font_px) > max_px:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    lines.append(line.rstrip())
    lines = [x for x in lines if x]
    return "<br>".join(lines), len(lines)


SUBTITLE_WRAP_PX = 460    # what a half-width column shows of a subtitle on a 1440 px screen: longer subtitles wrap


def wrap_subtitle(text: str, max_px: float = SUBTITLE_WRAP_PX, font_px: float = 12.0) -> tuple[str, int]:
    """The subtitle (year · unit · framework · scope) broken between its parts so that no line is wider than
    ``max_px`` (a part longer than that keeps its own line); (text, number of lines)."""
    text = str(text or "")
    if "<" in text or _text_px(text, font_px) <= max_px:
        return text, 1
    parts = [p.strip() for p in re.split(r"\s+·\s+", text) if p.strip()]
    lines, line = [], ""
    for part in parts:
        joined = f"{line} · {part}" if line else part
        if line and _text_px(joined, font_px) > max_px:
            lines.append(line)
            line = part
        else:
            line = joined
    lines.append(line)
    return "<br>".join(lines), len(lines)


def _merge(base: dict, extra: dict) -> dict:
    """``extra`` laid over ``base`` the way ``update_layout`` does (nested dicts merged, other values replaced)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def apply_frame(fig: go.Figure, title: str, subtitle: str, source: str, *, height: int | None = None,
                legend_bottom: bool = False, source_shift: int = -62, source_wrap_px: float = SOURCE_WRAP_PX) -> go.Figure:
    """Title, subtitle (year, unit, framework), source line and the common theme.

    Returns a new figure built in one constructor call from ``fig``'s traces and the merged layout (the same
    figure as successive ``update_layout`` calls, ≈ 7× cheaper: plotly validates the layout once)."""
    subtitle, sub_lines = wrap_subtitle(subtitle)
    extra_top = 16 * (sub_lines - 1)           # each further subtitle line pushes the plot down
    frame = dict(
        title=dict(text=f"<b>{title}</b>", subtitle=dict(text=subtitle, font=dict(size=12, color=NEUTRAL)),
                   xref="paper", x=0.0, xanchor="left", y=0.97, yanchor="top", font=dict(size=17, color=TEXT)),
        font=dict(family=CJK_FONT_FAMILY, size=12, color=TEXT),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=30, t=80 + extra_top, b=80),
        hoverlabel=dict(font=dict(family=CJK_FONT_FAMILY)),
        colorway=list(METRO_COLORS.values()),
    )
    if height:
        frame["height"] = height
    if legend_bottom:  # a horizontal legend between the subtitle and the plot, clear of axis titles
        frame["legend"] = dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left")
        frame["margin"] = dict(l=60, r=30, t=115 + extra_top, b=80)
    props = fig.layout._props or {}            # the layout as set so far (not deep-copying its template)
    template = props.get("template")
    layout = _merge(copy.deepcopy({k: v for k, v in props.items() if k != "template"}), frame)
    # numbers in full with separators (plotly's SI "k"/"M" never appears; Chinese value axes set 万/亿 ticks)
    axis = dict(gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID, automargin=True, exponentformat="none")
    for name in ["xaxis", "yaxis"] + [k for k in layout if re.fullmatch(r"[xy]axis\d+", k)]:
        layout[name] = _merge(layout.get(name) or {}, axis)
    source, n_lines = wrap_source(source, source_wrap_px)
    if n_lines > 1:   # a long source line wraps; the bottom margin grows so that no line is cut off
        need = abs(source_shift) + 14 * n_lines + 6
        frame["margin"] = {**frame["margin"], "b": max(frame["margin"]["b"], need)}
        layout["margin"] = {**(layout.get("margin") or {}), "b": max((layout.get("margin") or {}).get("b") or 0, need)}
    source_line = dict(text=source, xref="paper", yref="paper", x=0, y=0, yshift=source_shift, xanchor="left",
                       yanchor="top", showarrow=False, font=dict(size=10, color=NEUTRAL), align="left",
                       name="source_line")
    if any(tr.type in HEAVY_TRACES for tr in fig.data):
        # maps carry GeoJSON: copying their traces into a new figure costs more than updating in place
        with fig.batch_update():
            fig.update_layout({k: layout[k] for k in frame})
            fig.update_xaxes(axis)
            fig.update_yaxes(axis)
        fig.add_annotation(source_line)
        return fig
    layout["annotations"] = list(layout.get("annotations") or []) + [source_line]
    if template is not None and template != _default_template_json():
        layout["template"] = template
    return go.Figure(data=fig.data, layout=layout)


HEAVY_TRACES = {"choropleth", "scattergeo", "choroplethmap", "choroplethmapbox"}


_DEFAULT_TEMPLATE: list = []


def _default_template_json() -> dict:
    """The layout JSON of the default template (what a new figure carries); computed once."""
    if not _DEFAULT_TEMPLATE:
        _DEFAULT_TEMPLATE.append(go.Figure().layout.to_plotly_json().get("template"))
    return _DEFAULT_TEMPLATE[0]


def empty_figure(title: str, subtitle: str, source: str, message: str) -> go.Figure:
    """A designed empty state: the frame with a centred 'no data' message."""
    fig = go.Figure()
    fig.add_annotation(text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font=dict(size=15, color=NEUTRAL))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return apply_frame(fig, title, subtitle, source, height=320)


COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "=": "=", "~": "≈"}
