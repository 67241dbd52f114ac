"""Frozen pydantic models of the catalog and frameworks (unknown keys are rejected)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Direction = Literal["higher", "lower", "target"]
Level = Literal["city", "metro", "flow"]
MissingRule = Literal["reweight", "own_trend"]
# What kind of evidence a value is (issue 12): measured for the year it describes, a one-off snapshot (a few days'
# flows, one timetable), the output of a model, a stand-in for another quantity, shares of a total split by a key,
# or an estimate (imputed, carried, extrapolated).
EvidenceClass = Literal["observed", "snapshot", "modelled", "proxy", "apportioned", "estimated"]
EVIDENCE_CLASSES: tuple[str, ...] = ("observed", "snapshot", "modelled", "proxy", "apportioned", "estimated")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Target(_Frozen):
    """A plan target: value to reach by ``year``, from ``document``, for ``scope`` (metro id or group)."""

    value: float
    year: int
    document: str
    comparator: Literal[">=", "<=", "=", "~"] = ">="
    scope: str | None = None
    base_year: int | None = None
    note: str | None = None


class AggregationRule(_Frozen):
    """How a metro value is formed: a named rule and its inputs (see engine/aggregation_rules and engine/flows)."""

    rule: str
    input: str | None = None          # the city indicator the rule applies to (default: the indicator itself)
    weight_by: str | None = None      # weighted_mean
    numerator: str | None = None      # ratio_of_sums, core_*_ratio, cv, theil
    denominator: str | None = None
    scale: float = 1.0
    flow_kind: str | None = None      # flow rules
    minutes: float | None = None      # share_within_minutes
    window: int | None = Field(default=None, ge=1, le=20)   # convergence rules: years looked back


class IndicatorDef(_Frozen):
    """One indicator. ``description``/``source`` are the Chinese texts, ``*_en`` the English ones; ``measures_*``
    says what the number measures, ``dimension_reason_*`` why it belongs in its dimension, ``concept`` names
    the one thing it measures (two indicators with the same concept in one framework count it twice, unless the
    framework declares it in ``shared_concepts``); ``source_ids`` are rows of data/source.csv (empty only for
    indicators without shipped data, whose ``source`` names where to import them from)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    dimension: str
    unit: str
    direction: Direction
    level: Level
    description: str
    aggregation: AggregationRule
    source: str
    target: Target | None = None
    time_invariant: bool = False
    description_en: str = ""
    source_en: str = ""
    source_ids: list[str] = Field(default_factory=list)
    measures_zh: str = ""
    measures_en: str = ""
    evidence_class: EvidenceClass = "observed"
    dimension_reason_zh: str = ""
    dimension_reason_en: str = ""
    concept: str | None = None

    @property
    def sign(self) -> int:
        """+1 higher is better, -1 lower is better, 0 closer to target is better."""
        return {"higher": 1, "lower": -1, "target": 0}[self.direction]


class IndicatorRef(_Frozen):
    id: str
    weight: float = Field(default=1.0, gt=0)


class Dimension(_Frozen):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name_zh: str
    name_en: str
    weight: float = Field(default=1.0, gt=0)
    description: str = ""
    description_en: str = ""
    indicators: list[IndicatorRef] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _not_index(cls, v: str) -> str:
        if v == "index":
            raise ValueError("'index' is reserved for the overall score")
        return v


class SharedConcept(_Frozen):
    """A framework's statement that it counts one concept with several indicators on purpose, and why."""

    concept: str
    reason_zh: str
    reason_en: str


class CarryRule(_Frozen):
    """How a value from an earlier year may enter a year's index: the latest value at most ``latest_within``
    years old (flagged as carried, its vintage recorded per cell; never counted as observed)."""

    latest_within: int = Field(ge=1, le=10)


class Reference(_Frozen):
    """The normalisation reference (goalposts). ``years``: the panel years whose values set min/max (with every
    year the store holds, so a year's numbers never depend on which years were asked for); ``goalposts``:
    fixed [worst, best] per indicator for min-max (the value at ``worst`` scores 0, at ``best`` 100)."""

    years: tuple[int, int] | None = None
    goalposts: dict[str, tuple[float, float]] = Field(default_factory=dict)


class Framework(_Frozen):
    """Dimensions with weights, each listing indicators with weights, plus the stated rules."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    description: str = ""
    description_en: str = ""
    source: str = ""
    shared_concepts: list[SharedConcept] = Field(default_factory=list)
    missing_rule: MissingRule = "reweight"
    min_coverage: float = Field(default=0.3, ge=0, le=1)
    normalisation: str = "minmax"
    aggregation: str = "amean"
    outliers: Literal["none", "winsorise"] = "none"   # winsorise by skewness/kurtosis, log fallback (reported)
    carry: CarryRule | None = None                     # values from earlier years: only through this rule
    coverage_floor: float | None = Field(default=None, ge=0, le=1)   # observed coverage to be ranked (default min_coverage)
    min_metros: int = Field(default=5, ge=1)           # a dimension scored over fewer ranked metros carries a warning
    reference: Reference = Field(default_factory=Reference)
    dimensions: list[Dimension]
    origin: str | None = Field(default=None, exclude=True)   # file it was read from (not written back)

    def indicator_ids(self) -> list[str]:
        seen: list[str] = []
        for d in self.dimensions:
            for r in d.indicators:
                if r.id not in seen:
                    seen.append(r.id)
        return seen


class Catalog(_Frozen):
    indicators: dict[str, IndicatorDef]
    origin: str | None = None

    def get(self, indicator_id: str) -> IndicatorDef:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise KeyError(f"indicator {indicator_id!r} is not in the catalog") from None
