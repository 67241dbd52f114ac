"""Pure methods over a units × indicators table, chosen by name from typed registries.

``NORMALISERS`` (normalise.py), ``WEIGHTERS`` (weights.py), ``AGGREGATORS`` (aggregate.py); treatment
(treat.py), denomination and screening (denominate.py), imputation (impute.py), coupling coordination
(coupling.py). Import the submodules directly; nothing heavy happens here.
"""
