"""Export a figure: decorate it for a size, render it with kaleido, stamp the PNG's dpi."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from indicators.export.decorate import decorate
from indicators.export.kaleido_server import render_bytes
from indicators.export.meta import ChartMeta, coerce_meta
from indicators.export.png_dpi import set_png_dpi
from indicators.export.sizes import ExportFormat, ExportSize, get_format, get_size


@dataclass(frozen=True)
class ExportedImage:
    data: bytes
    mime: str
    filename: str
    width_px: int     # device pixels (layout px for SVG)
    height_px: int
    dpi: int | None


def figure_json(fig: go.Figure | dict) -> str:
    """Canonical JSON of a figure (the cache key of its exports)."""
    if isinstance(fig, go.Figure):
        return fig.to_json()
    return json.dumps(fig, sort_keys=True, default=str)


def figure_hash(fig: go.Figure | dict) -> str:
    return hashlib.sha256(figure_json(fig).encode("utf-8")).hexdigest()[:16]


def export_figure(fig: go.Figure | dict, meta: ChartMeta | Mapping[str, Any] | None = None,
                  size: str | ExportSize = "slide", fmt: str | ExportFormat = "png2x", *,
                  include_title: bool = True, include_footer: bool = True) -> ExportedImage:
    """Render ``fig`` with title, subtitle, source line and footer baked in.

    size: 'slide' (16:9) or 'a4' (A4 column); fmt: 'png2x', 'png_print' (300 dpi) or 'svg'.
    """
    meta = coerce_meta(meta)
    size = get_size(size)
    fmt = get_format(fmt)
    decorated = decorate(fig, meta, size, include_title=include_title, include_footer=include_footer)
    data = render_bytes(decorated.to_plotly_json(), fmt.kaleido_format, size.width, size.height, fmt.scale)
    if fmt.dpi:
        data = set_png_dpi(data, fmt.dpi)
    width_px = round(size.width * fmt.scale)
    height_px = round(size.height * fmt.scale)
    stem = meta.file_stem(decorated.layout.title.text or "")
    filename = f"{stem}_{size.name}_{fmt.name}.{fmt.extension}"
    return ExportedImage(data, fmt.mime, filename, width_px, height_px, fmt.dpi)
