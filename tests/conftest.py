"""Fixtures shared by the whole suite.

``default_db``: the shipped default dataset built once per test session into a temporary file
(read it; copy it with ``db_copy`` before writing).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# no background preparation of other frameworks inside the test process (deterministic timing and teardown)
os.environ.setdefault("TONGCHENG_WARM_UP", "0")


@pytest.fixture(scope="session")
def default_db(tmp_path_factory) -> Path:
    from indicators.store.build import build_database

    path = tmp_path_factory.mktemp("db") / "default.duckdb"
    build_database(path)
    return path


@pytest.fixture
def db_copy(default_db, tmp_path) -> Path:
    """A private, writable copy of the default database."""
    dst = tmp_path / "copy.duckdb"
    shutil.copy(default_db, dst)
    return dst
