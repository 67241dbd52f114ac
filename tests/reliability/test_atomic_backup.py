"""Backups are atomic and their manifests stay inside their folder (issue 15, failures 4 and 6).

Before: ``export --all DIR`` overwrote the files of the previous backup in place and wrote the manifest
last, so a killed export left neither backup restorable; a manifest could name ``../elsewhere``; a full
disk or a truncated file ended in a traceback.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from indicators.ingest import IngestError
from indicators.ingest.backup import export_all, import_all, read_manifest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def con(db_copy):
    c = duckdb.connect(str(db_copy))
    yield c
    c.close()


def test_killed_export_leaves_the_previous_backup_restorable(con, db_copy, tmp_path):
    backup = tmp_path / "backup"
    first = export_all(con, backup)
    con.execute("INSERT INTO meta (key, value) VALUES ('probe_after_first_backup', 'x')")
    con.close()
    # a second export into the same folder, SIGKILLed after its third table file
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import pyarrow.parquet as pq
        import duckdb
        from indicators.ingest.backup import export_all
        real = pq.write_table
        calls = []
        def dying(*a, **k):
            real(*a, **k)
            calls.append(1)
            if len(calls) == 3:
                os.kill(os.getpid(), signal.SIGKILL)
        pq.write_table = dying
        con = duckdb.connect({str(db_copy)!r}, read_only=True)
        export_all(con, {str(backup)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-500:]
    manifest = read_manifest(backup)                       # still the first, intact backup
    assert manifest["created_at"] == first["created_at"]
    assert manifest["tables"] == first["tables"]
    restored = tmp_path / "restored.duckdb"
    from indicators.store.db import connect

    c = connect(restored)
    try:
        counts = import_all(c, backup)
        assert counts["observation"] == first["tables"]["observation"]["rows"]
    finally:
        c.close()


def test_full_disk_during_export_keeps_the_previous_backup_and_says_what_to_do(con, tmp_path, monkeypatch):
    backup = tmp_path / "backup"
    first = export_all(con, backup)
    import pyarrow.parquet as pq

    real = pq.write_table
    calls = []

    def full(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", full)
    with pytest.raises(IngestError) as info:
        export_all(con, backup)
    text = str(info.value)
    assert "disk is full" in text and "previous backup" in text and "Traceback" not in text
    assert read_manifest(backup)["created_at"] == first["created_at"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")]   # no staging folder left


def test_cli_export_all_reports_a_full_disk_in_one_paragraph(db_copy, tmp_path):
    script = textwrap.dedent(f"""
        import errno, sys
        sys.path.insert(0, {str(ROOT)!r})
        import pyarrow.parquet as pq
        def full(*a, **k):
            raise OSError(errno.ENOSPC, "No space left on device")
        pq.write_table = full
        from indicators.cli import main
        sys.exit(main(["export", "--all", {str(tmp_path / 'b')!r}, "--db", {str(db_copy)!r}]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "disk is full" in proc.stderr
    assert not (tmp_path / "b").exists()


def test_export_refuses_a_folder_with_other_files(con, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"important")
    with pytest.raises(IngestError, match="not part of a backup"):
        export_all(con, folder)
    assert (folder / "notes.docx").read_bytes() == b"important"


@pytest.mark.parametrize("name", ["../outside.parquet", "/etc/passwd", "sub/dir.parquet", "..", "x.txt"])
def test_a_manifest_cannot_name_paths_outside_its_folder(con, tmp_path, name):
    backup = tmp_path / "backup"
    export_all(con, backup)
    shutil.copy(backup / "region.parquet", tmp_path / "outside.parquet")
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["region"]["file"] = name
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IngestError, match="inside the backup folder"):
        read_manifest(backup)


def test_a_symlink_in_the_backup_is_refused(con, tmp_path):
    backup = tmp_path / "backup"
    export_all(con, backup)
    os.replace(backup / "region.parquet", tmp_path / "region_real.parquet")
    os.symlink(tmp_path / "region_real.parquet", backup / "region.parquet")
    with pytest.raises(IngestError, match="inside the backup folder"):
        read_manifest(backup)


def test_a_truncated_backup_file_gives_a_message_not_a_traceback(con, db_copy, tmp_path):
    backup = tmp_path / "backup"
    export_all(con, backup)
    data = (backup / "observation.parquet").read_bytes()
    (backup / "observation.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated, damaged or edited"):
        read_manifest(backup)
    proc = subprocess.run([sys.executable, "-m", "indicators", "import", "--all", str(backup), "--db",
                           str(tmp_path / "new.duckdb")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "truncated, damaged or edited" in proc.stderr


def test_a_truncated_manifest_gives_a_message(con, tmp_path):
    backup = tmp_path / "backup"
    export_all(con, backup)
    text = (backup / "manifest.json").read_text(encoding="utf-8")
    (backup / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(IngestError, match="damaged or truncated"):
        read_manifest(backup)
