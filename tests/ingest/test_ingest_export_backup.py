"""Table export (CSV/XLSX/Parquet) with CSV-injection neutralisation, and lossless backups."""
from __future__ import annotations

import csv
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from .helpers import digest
from indicators.export.tables import export_table, neutralise_cell
from indicators.ingest import IngestError
from indicators.ingest.backup import export_all, import_all
from indicators.store.db import connect
from indicators.store.sql_ident import ident
from indicators.store.db import connect as store_connect

NASTY = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR", "plain", "成都"]


@pytest.mark.parametrize("value, expected", [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
                                             ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok"), (-1.5, -1.5), (None, None)])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def _nasty_db(tiny_con):
    tiny_con.executemany("INSERT INTO source (source_id, title) VALUES (?, ?)", [(f"s{i}", t) for i, t in enumerate(NASTY)])
    tiny_con.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality, note) VALUES ('510600', 2020, 'gdp', -12.5, 's0', 'official', '=cmd|calc')")


def test_csv_export_neutralises_text_and_keeps_numbers(tiny_con, tmp_path):
    _nasty_db(tiny_con)
    out = tmp_path / "source.csv"
    rows = export_table(tiny_con, "source", out, "csv")
    assert rows == len(NASTY) + 1
    text = out.read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=HYPERLINK" in text and "成都" in text
    obs = tmp_path / "obs.csv"
    export_table(tiny_con, "observation", obs)
    frame = pd.read_csv(obs, encoding="utf-8-sig")
    assert -12.5 in frame["value"].tolist()                   # a number stays a (negative) number
    assert "'=cmd|calc" in frame["note"].tolist()


def test_xlsx_export_has_no_formulas_and_numeric_cells(tiny_con, tmp_path):
    _nasty_db(tiny_con)
    out = tmp_path / "obs.xlsx"
    export_table(tiny_con, "observation", out, "xlsx")
    ws = openpyxl.load_workbook(out).active
    types = {c.data_type for row in ws.iter_rows() for c in row}
    assert "f" not in types
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert -12.5 in values and "'=cmd|calc" in values
    src = tmp_path / "src.xlsx"
    export_table(tiny_con, "source", src)
    texts = [c.value for row in openpyxl.load_workbook(src).active.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)


def test_parquet_export_keeps_types(tiny_con, tmp_path):
    out = tmp_path / "obs.parquet"
    export_table(tiny_con, "observation", out, "parquet")
    frame = pd.read_parquet(out)
    assert frame["value"].dtype.kind == "f" and frame["year"].dtype.kind == "i"


def test_unknown_table_or_format_is_refused(tiny_con, tmp_path):
    with pytest.raises(ValueError, match="unknown table"):
        export_table(tiny_con, "observation; DROP TABLE region", tmp_path / "x.csv")
    with pytest.raises(ValueError, match="format"):
        export_table(tiny_con, "observation", tmp_path / "x.txt")


def test_backup_round_trip_is_lossless(tiny_con, tmp_path):
    _nasty_db(tiny_con)
    tiny_con.execute("INSERT INTO observation_history VALUES ('510100', 2018, 'gdp', 1.0, 's1', 'official', NULL, "
                     "TIMESTAMP '2026-01-02 03:04:05.123456', 'imp_x')")
    tiny_con.execute("INSERT INTO meta VALUES ('k', 'v')")
    manifest = export_all(tiny_con, tmp_path / "backup")
    assert manifest["tables"]["observation"]["rows"] == 3
    restored = connect(tmp_path / "restored.duckdb")
    counts = import_all(restored, tmp_path / "backup")
    assert counts["observation_history"] == 1
    _assert_same_content(restored, tiny_con)
    with pytest.raises(IngestError, match="not empty"):
        import_all(restored, tmp_path / "backup")
    restored.execute("DELETE FROM meta")
    import_all(restored, tmp_path / "backup", replace=True)
    _assert_same_content(restored, tiny_con)
    restored.close()


def _assert_same_content(restored, original) -> None:
    """Every table of the original has the same content; tables only the restored file declares are empty."""
    want, got = digest(original), digest(restored)
    assert {t: got[t] for t in want} == want
    for table in set(got) - set(want):
        assert restored.execute("SELECT count(*) FROM " + ident(table, got)).fetchone() == (0,)


def test_backup_with_damaged_file_is_refused_and_writes_nothing(tiny_con, tmp_path):
    export_all(tiny_con, tmp_path / "backup")
    (tmp_path / "backup" / "region.parquet").write_bytes(b"PAR1garbage")
    target = connect(tmp_path / "t.duckdb")
    before = digest(target)
    with pytest.raises(IngestError, match="does not match its manifest"):
        import_all(target, tmp_path / "backup")
    assert digest(target) == before
    target.close()


def test_cli_export_all_then_import_all_round_trip(default_db, tmp_path, capsys):
    from indicators.cli import main

    assert main(["export", "--db", str(default_db), "--all", str(tmp_path / "bk")]) == 0
    assert main(["import", "--all", str(tmp_path / "bk"), "--db", str(tmp_path / "new.duckdb")]) == 0
    assert main(["import", "--all", str(tmp_path / "bk"), "--db", str(tmp_path / "new.duckdb")]) == 1
    capsys.readouterr()
    a = store_connect(default_db, read_only=True)
    b = store_connect(tmp_path / "new.duckdb", read_only=True)
    try:
        assert digest(a) == digest(b)
        assert a.execute("SELECT count(*) FROM observation").fetchone()[0] > 0
    finally:
        a.close()
        b.close()


def test_cli_export_table_formats(default_db, tmp_path, capsys):
    from indicators.cli import main

    for fmt in ("csv", "xlsx", "parquet"):
        assert main(["export", "--db", str(default_db), "--table", "region", "--format", fmt,
                     "--out", str(tmp_path / f"region.{fmt}")]) == 0
    assert main(["export", "--db", str(default_db), "--table", "nope", "--out", str(tmp_path / "x.csv")]) == 2
    assert pd.read_parquet(tmp_path / "region.parquet")["code"].str.len().eq(6).all()
