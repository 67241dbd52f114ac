"""Store tests read a private copy of the default database.

Other suites may hold a read-write connection to the session's ``default_db`` in this process, and DuckDB
refuses a second connection with another configuration to the same file; a private copy avoids that.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest
from indicators.store.db import connect as store_connect


@pytest.fixture(scope="session")
def store_db(default_db, tmp_path_factory):
    dst = tmp_path_factory.mktemp("store") / "store_copy.duckdb"
    shutil.copy(default_db, dst)
    return dst


@pytest.fixture(scope="module")
def store_con(store_db):
    con = store_connect(store_db, read_only=True)
    yield con
    con.close()
