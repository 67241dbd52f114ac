"""The 同城化 index engine: the metro panel (city → metro values and flows), preparation, scoring (fast and
reference), robustness, targets, the build log and COINr-style builds.

``panel`` metro × year values with provenance · ``aggregation_rules`` city → metro rules · ``flows`` integration
measures from city-to-city flows · ``types`` the prepared panel · ``prepare``
load + missing-data + normalise · ``weighting`` the shared scoring core · ``score`` / ``score_fast`` the
product's scorer · ``score_reference`` its specification · ``result`` results and contributions · ``index``
compute/replay/coupling in one call · ``robustness`` (+ ``_fast``, ``_common``, ``_reference``) Monte Carlo
ranks · ``targets`` plan-target progress · ``log`` the replayable build log · ``coin`` COINr-style builds.
"""
