"""Options of one import (validated with pydantic)."""
from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

QUALITY_FLAGS = ("official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic")
Quality = Literal["official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic"]
MIN_YEAR = 1949


def max_year() -> int:
    return _dt.date.today().year + 1


class ImportOptions(BaseModel):
    """What the file does not say itself: defaults for indicator, unit, year, source and quality.

    Values found in the file (columns, header cells, a "单位：" row, a "资料来源：" footnote) take precedence.
    ``indicator`` accepts the catalog id, a Chinese/English name or a yearbook alias.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str | None = None
    unit: str | None = None
    year: int | None = Field(default=None)
    source: str | None = None
    quality: Quality = "official"
    sheet: str | None = None
    encoding: str | None = None
    max_bytes: int | None = Field(default=None, gt=0)
    max_rows: int | None = Field(default=None, gt=0)
    allow_outside_validity: bool = False   # store values outside a region's validity years, flagged

    @field_validator("year")
    @classmethod
    def _year_in_range(cls, value: int | None) -> int | None:
        if value is not None and not MIN_YEAR <= value <= max_year():
            raise ValueError(f"year {value} outside {MIN_YEAR}..{max_year()}")
        return value

    @field_validator("indicator", "unit", "source", "sheet", "encoding")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if isinstance(value, str) else value
