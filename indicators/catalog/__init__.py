"""The indicator catalog and frameworks: YAML parsed into frozen pydantic models, errors with file:line.

Public: load_catalog, load_frameworks, load_framework, framework_from_yaml, save_framework,
user_frameworks_dir, CatalogError, and the models (Catalog, IndicatorDef, Framework, Dimension, ...).
"""
from indicators.catalog.loader import (framework_from_yaml, framework_to_yaml, load_catalog, load_framework,
                                       load_frameworks, save_framework, user_frameworks_dir)
from indicators.catalog.models import (AggregationRule, Catalog, Dimension, Framework, IndicatorDef, IndicatorRef,
                                       Target)
from indicators.catalog.yaml_lines import CatalogError

__all__ = ["AggregationRule", "Catalog", "CatalogError", "Dimension", "Framework", "IndicatorDef", "IndicatorRef",
           "Target", "framework_from_yaml", "framework_to_yaml", "load_catalog", "load_framework", "load_frameworks",
           "save_framework", "user_frameworks_dir"]
