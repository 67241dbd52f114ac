"""Regenerate the README's example export: ``python -m indicators.export.example [--db PATH]``.

Writes ``indicators/export/example/per_capita_spread_a4.png`` (A4 column, PNG 2×) from the default dataset."""
from __future__ import annotations

import argparse
from pathlib import Path

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
    OUT.write_bytes(export_figure(chart.figure, chart.meta, "a4", "png2x").data)
    print(OUT)


if __name__ == "__main__":
    main()
