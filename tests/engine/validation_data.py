"""Locating ../shared/validation (beside the clone); tests skip with a reason when it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALIDATION = ROOT.parent / "shared" / "validation"
ASEM = VALIDATION / "coinr_asem"
MCDA = VALIDATION / "mcda_weights_topsis"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"validation data not found at {path} (CI keeps ../shared beside the clone)")
    return path


def asem_tables():
    import pandas as pd

    data = pd.read_csv(need(ASEM / "inputs" / "ASEM_iData.csv"))
    meta = pd.read_csv(ASEM / "inputs" / "ASEM_iMeta.csv")
    return data, meta


def expected(name: str):
    import pandas as pd

    return pd.read_csv(need(ASEM / "expected" / name))
