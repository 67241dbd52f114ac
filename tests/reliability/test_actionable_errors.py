"""Errors people can act on (issue 15, failure 6): a damaged database and a full disk during `build` give one
paragraph — what, where, what to do — never a traceback, and in the browser never a server path."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from indicators.store import db as store_db

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture
def damaged_db(tmp_path, monkeypatch):
    path = tmp_path / "damaged_store.duckdb"
    path.write_bytes(b"this is not a duckdb file, it was cut short by a failed copy" * 500)
    monkeypatch.setenv("TONGCHENG_DB", str(path))
    monkeypatch.delenv("TONGCHENG_READ_ONLY", raising=False)
    yield path
    store_db.close_shared(path)


def test_a_damaged_database_gives_one_paragraph_in_the_page(damaged_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception][:1]
    errors = [e.value for e in at.error]
    assert errors and "数据库文件无法打开" in errors[0] and "python -m indicators build" in errors[0]
    assert str(damaged_db.parent) not in errors[0] and "/tmp" not in errors[0]
    at.switch_page("pages/8_data.py").run()
    assert not at.exception
    assert any("数据库文件无法打开" in e.value for e in at.error)


def test_a_full_disk_during_build_gives_one_paragraph(tmp_path):
    script = textwrap.dedent(f"""
        import resource, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
        from indicators.cli import main
        sys.exit(main(["build", "--db", {str(tmp_path / 'full.duckdb')!r}]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr
    assert "disk is full" in proc.stderr and "unchanged" in proc.stderr, proc.stderr[-500:]
    assert not (tmp_path / "full.duckdb").exists()
