"""Static chart export: PNG (2× and 300 dpi print) and SVG, at slide (16:9) and A4-column sizes, with title,
subtitle, source line and product footer baked in and a CJK font. Rendering goes through one kaleido server
per process under a lock (``kaleido_server``)."""
from indicators.export.decorate import decorate
from indicators.export.meta import ChartMeta, coerce_meta, default_footer, subtitle_from
from indicators.export.render import ExportedImage, export_figure, figure_hash, figure_json
from indicators.export.sizes import FORMATS, SIZES, ExportFormat, ExportSize

__all__ = [
    "FORMATS", "SIZES", "ChartMeta", "ExportFormat", "ExportSize", "ExportedImage", "coerce_meta", "decorate",
    "default_footer", "export_figure", "figure_hash", "figure_json", "subtitle_from",
]
