"""Cross-object rules, each a small function returning issues (location, message)."""
from __future__ import annotations

from indicators.catalog.models import Catalog, Framework


# rules over a numerator and a denominator (per-capita values), not one input
PER_CAPITA_RULES = ("ratio_of_sums", "core_whole_ratio", "core_rest_ratio", "cv", "theil", "sigma_convergence",
                    "beta_convergence")


def catalog_issues(catalog: Catalog) -> list[tuple[str, str]]:
    """Aggregation rules exist and their inputs are catalog indicators."""
    from indicators.engine.flows import FLOW_RULES
    from indicators.engine.aggregation_rules import RULES
    import indicators.engine.convergence  # noqa: F401  (registers the window rules in RULES)

    issues: list[tuple[str, str]] = []
    ids = set(catalog.indicators)
    for ind in catalog.indicators.values():
        agg = ind.aggregation
        if ind.level == "flow":
            if agg.rule not in FLOW_RULES:
                issues.append((ind.id, f"unknown flow rule {agg.rule!r}; known: {', '.join(FLOW_RULES.names())}"))
            if not agg.flow_kind:
                issues.append((ind.id, "a flow indicator needs aggregation.flow_kind"))
            continue
        if agg.rule not in RULES:
            issues.append((ind.id, f"unknown aggregation rule {agg.rule!r}; known: {', '.join(RULES.names())}"))
        for ref in (agg.input, agg.numerator, agg.denominator, agg.weight_by):
            if ref and ref not in ids:
                issues.append((ind.id, f"aggregation input {ref!r} is not a catalog indicator"))
        if agg.rule in PER_CAPITA_RULES and not (agg.numerator and agg.denominator):
            issues.append((ind.id, f"rule {agg.rule!r} needs numerator and denominator"))
        if ind.level == "metro" and agg.rule not in PER_CAPITA_RULES and not agg.input:
            issues.append((ind.id, "a metro-level indicator needs aggregation.input (the city indicator it is built from)"))
        if ind.direction == "target" and ind.target is None:
            issues.append((ind.id, "direction 'target' needs a target"))
    return issues


def framework_issues(fw: Framework, catalog: Catalog) -> list[tuple[tuple, str]]:
    """Every indicator id exists, ids are unique, dimensions are unique and non-empty in weight."""
    issues: list[tuple[tuple, str]] = []
    seen_dims: set[str] = set()
    for i, dim in enumerate(fw.dimensions):
        if dim.id in seen_dims:
            issues.append((("dimensions", i, "id"), f"dimension id {dim.id!r} is used twice"))
        seen_dims.add(dim.id)
        seen: set[str] = set()
        for j, ref in enumerate(dim.indicators):
            loc = ("dimensions", i, "indicators", j, "id")
            if ref.id not in catalog.indicators:
                issues.append((loc, f"indicator {ref.id!r} is not in the catalog"))
            if ref.id in seen:
                issues.append((loc, f"indicator {ref.id!r} is listed twice in dimension {dim.id!r}"))
            seen.add(ref.id)
            ind = catalog.indicators.get(ref.id)
            if ind is not None and ind.level == "city" and ind.aggregation.rule == "sum" and ref.id in ("census_population", "census_urban_population", "land_area_km2"):
                issues.append((loc, f"{ref.id!r} is a denominator, not a performance indicator"))
    if not fw.dimensions:
        issues.append((("dimensions",), "a framework needs at least one dimension"))
    from indicators.methods.aggregate import AGGREGATORS
    from indicators.methods.normalise import NORMALISERS
    if fw.normalisation not in NORMALISERS:
        issues.append((("normalisation",), f"unknown normalisation {fw.normalisation!r}; known: {', '.join(NORMALISERS.names())}"))
    if fw.aggregation not in AGGREGATORS:
        issues.append((("aggregation",), f"unknown aggregation {fw.aggregation!r}; known: {', '.join(AGGREGATORS.names())}"))
    return issues
