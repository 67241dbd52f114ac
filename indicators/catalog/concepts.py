"""Does a framework count one concept twice?

Each catalog indicator names the one concept it measures (``concept``: e.g. ``gdp_pc_dispersion`` for the Theil
index, the CV and the core/rest ratio of per-capita GDP). A framework that lists two indicators of one concept
weighs that concept twice — unless it says so, and why, under ``shared_concepts``.
"""
from __future__ import annotations

from dataclasses import dataclass

from indicators.catalog.models import Catalog, Framework


@dataclass(frozen=True)
class DoubleCount:
    concept: str
    indicators: tuple[str, ...]        # the framework's indicators measuring it, in framework order
    dimensions: tuple[str, ...]        # where they sit

    def message(self, framework_id: str) -> str:
        where = ", ".join(f"{i} ({d})" for i, d in zip(self.indicators, self.dimensions))
        return (f"framework {framework_id!r} counts concept {self.concept!r} {len(self.indicators)} times: {where}; "
                "keep one, or declare it under shared_concepts with a reason")


def concept_counts(fw: Framework, catalog: Catalog) -> dict[str, list[tuple[str, str]]]:
    """concept → [(indicator id, dimension id)] for every indicator of the framework (its id when no concept)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for dim in fw.dimensions:
        for ref in dim.indicators:
            ind = catalog.indicators.get(ref.id)
            concept = (ind.concept if ind is not None and ind.concept else ref.id)
            out.setdefault(concept, []).append((ref.id, dim.id))
    return out


def double_counted(fw: Framework, catalog: Catalog) -> list[DoubleCount]:
    """Concepts measured by more than one indicator of ``fw`` that the framework does not declare."""
    declared = {s.concept for s in fw.shared_concepts}
    return [DoubleCount(c, tuple(i for i, _ in refs), tuple(d for _, d in refs))
            for c, refs in concept_counts(fw, catalog).items() if len(refs) > 1 and c not in declared]


def unused_declarations(fw: Framework, catalog: Catalog) -> list[str]:
    """Declared shared concepts the framework does not in fact count twice (a stale declaration)."""
    counts = concept_counts(fw, catalog)
    return [s.concept for s in fw.shared_concepts if len(counts.get(s.concept, [])) < 2]
