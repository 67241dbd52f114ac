"""Paths and helpers shared by the ingest tests."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BAD_INPUTS = HERE / "bad_inputs"
ROOT = HERE.parents[1]


def digest(con) -> dict[str, str]:
    """Canonical content hash of every table (rows sorted): equal digests = same content."""
    from indicators.ingest.content_digest import content_digest

    return content_digest(con)
