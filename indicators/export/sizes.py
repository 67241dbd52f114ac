"""Export sizes (layout pixels at 96 px per inch) and formats (scale, dpi).

* ``slide``: 16:9, 1280 × 720 layout px = a 13.33 × 7.5 in PowerPoint slide.
* ``a4``: one A4 text column, 16 cm wide × 10 cm tall (605 × 378 layout px).

Formats: ``png2x`` (screen, 2× pixels, 192 dpi), ``png_print`` (300 dpi at the physical size), ``svg``.
"""
from __future__ import annotations

from dataclasses import dataclass

CSS_PX_PER_INCH = 96.0
PRINT_DPI = 300
CM_PER_INCH = 2.54


@dataclass(frozen=True)
class ExportSize:
    name: str
    label: str
    width: int   # layout px
    height: int  # layout px

    @property
    def width_in(self) -> float:
        return self.width / CSS_PX_PER_INCH

    @property
    def height_in(self) -> float:
        return self.height / CSS_PX_PER_INCH


def _cm(cm: float) -> int:
    return round(cm / CM_PER_INCH * CSS_PX_PER_INCH)


SIZES: dict[str, ExportSize] = {
    "slide": ExportSize("slide", "幻灯片 16:9 / Slide 16:9", 1280, 720),
    "a4": ExportSize("a4", "A4 栏宽 / A4 column", _cm(16.0), _cm(10.0)),
}


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    kaleido_format: str   # 'png' | 'svg'
    scale: float          # device pixels per layout px
    dpi: int | None       # written into the PNG (pHYs) so Office places it at the physical size
    mime: str
    extension: str


FORMATS: dict[str, ExportFormat] = {
    "png2x": ExportFormat("png2x", "PNG 2×", "png", 2.0, round(2 * CSS_PX_PER_INCH), "image/png", "png"),
    "png_print": ExportFormat("png_print", f"PNG 打印 {PRINT_DPI} dpi / print", "png",
                              PRINT_DPI / CSS_PX_PER_INCH, PRINT_DPI, "image/png", "png"),
    "svg": ExportFormat("svg", "SVG", "svg", 1.0, None, "image/svg+xml", "svg"),
}


def get_size(name: str | ExportSize) -> ExportSize:
    if isinstance(name, ExportSize):
        return name
    try:
        return SIZES[name]
    except KeyError:
        raise ValueError(f"unknown export size {name!r}; choose one of {sorted(SIZES)}") from None


def get_format(name: str | ExportFormat) -> ExportFormat:
    if isinstance(name, ExportFormat):
        return name
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; choose one of {sorted(FORMATS)}") from None
