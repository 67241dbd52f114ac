"""Fixtures of the ingest tests: a tiny database (the real schema, a few regions) per test, and a
canonical content digest to prove that a rejected import changed nothing."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest_tiny_db import make_tiny_db

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BAD_INPUTS = HERE / "bad_inputs"


@pytest.fixture
def tiny_db(tmp_path) -> Path:
    return make_tiny_db(tmp_path / "tiny.duckdb")


@pytest.fixture
def tiny_con(tiny_db):
    con = duckdb.connect(str(tiny_db))
    yield con
    con.close()


def digest(con) -> dict[str, str]:
    from indicators.ingest.content_digest import content_digest

    return content_digest(con)
