"""The hostile inputs live in ``indicators.bench.hostile`` (the bench measures their rejection too)."""
from indicators.bench.hostile import (wide_csv, xlsx_dimension_bomb, xlsx_merged_bomb,  # noqa: F401
                                      xlsx_shared_strings_bomb)
