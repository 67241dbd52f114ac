"""Fixtures of the ingest tests: a tiny database (the real schema, a few regions) per test."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .ingest_tiny_db import make_tiny_db


@pytest.fixture
def tiny_db(tmp_path) -> Path:
    return make_tiny_db(tmp_path / "tiny.duckdb")


@pytest.fixture
def tiny_con(tiny_db):
    con = duckdb.connect(str(tiny_db))
    yield con
    con.close()
