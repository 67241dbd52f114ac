"""National-scale synthetic test data: every prefecture, generated counties, 20 years, 60 indicators,
and a county-level OD table of 10 M rows. Values are synthetic and flagged ``synthetic``; the dataset
is written to its own database file and never into the default database.
"""
from indicators.synth.spec import FULL, QUICK, SMALL, TINY, NationalSpec
from indicators.synth.national import GenerationResult, generate_national

__all__ = ["NationalSpec", "FULL", "QUICK", "SMALL", "TINY", "GenerationResult", "generate_national"]
