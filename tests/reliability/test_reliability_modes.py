"""Operating modes: the read-only deployment really opens the database read-only and offers no import;
the optional import password (Streamlit secret ``import_password``) guards the upload; off by default."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from indicators.store import db as store_db

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _data_page(secrets: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page("pages/8_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _uploaders(at) -> int:
    return len(at.get("file_uploader"))


@pytest.fixture
def own_db(default_db, tmp_path, monkeypatch):
    """A copy under a name no other test uses (the loaders cache one connection per path and process)."""
    path = tmp_path / f"modes_{tmp_path.name}.duckdb"
    shutil.copy(default_db, path)
    monkeypatch.setenv("TONGCHENG_DB", str(path))
    yield path
    store_db.close_shared(path)


def test_read_only_mode_opens_read_only_and_hides_import(own_db, monkeypatch):
    monkeypatch.setenv("TONGCHENG_READ_ONLY", "1")
    assert store_db.read_only_mode()
    con = store_db.shared_connection(own_db)
    with pytest.raises(duckdb.Error, match="(?i)read.only"):
        con.cursor().execute("INSERT INTO meta (key, value) VALUES (?, ?)", ["probe", "x"])
    at = _data_page()
    assert _uploaders(at) == 0
    assert not [b for b in at.button if b.key == "imp_commit"]
    assert any("只读" in i.value for i in at.info)
    assert any(c.value.startswith("数据版本 ") for c in at.caption)          # reading still works
    key = str(own_db.resolve())
    assert (key, True) in store_db._shared and (key, False) not in store_db._shared   # never opened read-write
    from indicators.ui import loaders

    assert loaders.connection() is con


def test_read_write_mode_offers_the_import_without_password_by_default(own_db, monkeypatch):
    monkeypatch.delenv("TONGCHENG_READ_ONLY", raising=False)
    at = _data_page()
    assert _uploaders(at) == 1
    assert not [i for i in at.text_input if i.key == "imp_password"]


def test_import_password_guards_the_upload(own_db, monkeypatch):
    monkeypatch.delenv("TONGCHENG_READ_ONLY", raising=False)
    at = _data_page({"import_password": "s3cret-口令"})
    assert _uploaders(at) == 0
    box = at.text_input(key="imp_password")
    from streamlit.proto.TextInput_pb2 import TextInput

    assert box.proto.type == TextInput.Type.PASSWORD                           # masked input
    box.set_value("wrong").run()
    assert _uploaders(at) == 0
    at.text_input(key="imp_password").set_value("s3cret-口令").run()
    assert not at.exception
    assert _uploaders(at) == 1
