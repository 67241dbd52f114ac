"""Regenerate the README's example export: ``python -m indicators.export.example [--db PATH]``.

Writes ``indicators/export/example/per_capita_spread_a4.png`` (A4 column, PNG 2×) from the default dataset."""
from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image

from indicators.brief import build_pack
from indicators.export import export_figure
from indicators.paths import default_db_path

OUT = Path(__file__).with_name("per_capita_spread_a4.png")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    pack = build_pack(args.db or default_db_path(), "chengdu,shanghai,nanjing,hangzhou,hefei", 2022,
                      chart_ids=["per_capita_spread"])
    chart = pack.charts[0]
    png = export_figure(chart.figure, chart.meta, "a4", "png2x").data
    # A 256-colour palette keeps the README image small (charts have few colours).
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(OUT, optimize=True, dpi=(192, 192))
    print(OUT)


if __name__ == "__main__":
    main()
