"""Chart images for the writers: rendered through ``indicators.export`` without the title and source line,
which slides and pages carry as real text beside the picture."""
from __future__ import annotations

from indicators.brief.pack import BriefChart
from indicators.export import export_figure
from indicators.export.sizes import ExportSize

# The picture area of a 13.33 × 7.5 in slide below the title (12.33 × 5.2 in at 96 layout px per inch).
SLIDE_BODY = ExportSize("slide_body", "slide body", 1184, 499)
# An A4 text column (16 cm) at a 16:10 aspect.
DOC_COLUMN = ExportSize("doc_column", "A4 column", 605, 378)


def chart_png(chart: BriefChart, size: ExportSize, fmt: str = "png2x") -> bytes:
    return export_figure(chart.figure, chart.meta, size, fmt, include_title=False, include_footer=False).data
