"""Fixtures of the ingest tests: a tiny database (the real schema, a few regions) per test, copied from
one template built once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from .ingest_tiny_db import make_tiny_db


@pytest.fixture(scope="session")
def tiny_template(tmp_path_factory) -> Path:
    path = make_tiny_db(tmp_path_factory.mktemp("ingest_template") / "tiny.duckdb")
    con = duckdb.connect(str(path))
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def tiny_db(tiny_template, tmp_path) -> Path:
    dst = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_template, dst)
    return dst


@pytest.fixture
def tiny_con(tiny_db):
    con = duckdb.connect(str(tiny_db))
    yield con
    con.close()
