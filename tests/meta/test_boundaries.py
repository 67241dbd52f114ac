"""Architecture rules that keep the code base honest (checked on the source text, via the AST)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SQL_METHODS = {"execute", "executemany", "sql"}


def python_files():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "indicators").rglob("*.py"))]
    return [f for f in files if f.exists()]


def _is_ident_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "ident"


def _is_sanctioned(node: ast.AST) -> bool:
    """Text built only from literals and ``ident(...)`` (whitelisted, quoted identifiers) is allowed."""
    if isinstance(node, ast.JoinedStr):
        return all(not isinstance(p, ast.FormattedValue) or _is_ident_call(p.value) for p in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return all(_is_sanctioned(side) for side in (node.left, node.right))
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or _is_ident_call(node)


def string_built_sql(tree: ast.AST):
    """Calls like con.execute(f"... {x}") / ("..." + x) / ("..." % x) / "...".format(x)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS and node.args:
            arg = node.args[0]
            built = (
                (isinstance(arg, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in arg.values))
                or (isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Add, ast.Mod)))
                or (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format")
            )
            if built and not _is_sanctioned(arg):
                yield node.lineno


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_string_built_sql(path):
    offenders = list(string_built_sql(ast.parse(path.read_text(encoding="utf-8"))))
    assert not offenders, f"{path.relative_to(ROOT)}: SQL built from strings at lines {offenders}; use ? parameters or store.sql_ident.ident"


def test_the_sql_check_catches_string_building():
    bad = 'con.execute(f"SELECT * FROM t WHERE a = {x}")\ncon.execute("SELECT " + col)\ncur.sql("x %s" % y)\n'
    assert len(list(string_built_sql(ast.parse(bad)))) == 3
    good = ('con.execute("SELECT * FROM t WHERE a = ?", [x])\ncon.execute(f"SELECT {ident(c, COLS)} FROM t")\n'
            'con.execute("DELETE FROM " + ident(t, TABLES))\ndf.query("code == @code")\n')
    assert list(string_built_sql(ast.parse(good))) == []


def _imports(tree: ast.AST, ignore: tuple[str, ...] = ()) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names if not a.name.startswith(ignore))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith(ignore):
            names.add(node.module.split(".")[0])
    return names


def test_only_ui_and_pages_import_streamlit():
    offenders = []
    for f in (ROOT / "indicators").rglob("*.py"):
        rel = f.relative_to(ROOT)
        if rel.parts[1] == "ui":
            continue
        # streamlit.testing (AppTest, used by the benchmarks) is a test harness, not UI
        if "streamlit" in _imports(ast.parse(f.read_text(encoding="utf-8")), ignore=("streamlit.testing",)):
            offenders.append(str(rel))
    assert not offenders, f"streamlit imported outside indicators/ui and pages: {offenders}"


def test_pages_hold_no_sql():
    offenders = []
    for f in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        if not f.exists():
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS:
                offenders.append(f"{f.name}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lstrip().upper().startswith(("SELECT ", "INSERT ", "UPDATE ", "DELETE ")):
                offenders.append(f"{f.name}:{node.lineno}")
    assert not offenders, f"SQL in page scripts (move it to indicators/): {offenders}"
