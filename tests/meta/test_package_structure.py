"""The package's shape: no import cycles anywhere in ``indicators/``, and the boundaries between rooms.

Imports are read from the source (every ``import`` / ``from … import`` statement, including those inside
functions, which still make one module depend on another), so the test needs nothing installed.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "indicators"
TOP_LEVEL_PACKAGES = {"store", "catalog", "methods", "engine", "ingest", "export", "brief", "viz", "ui", "bench",
                      "synth", "cli"}
TOP_LEVEL_MODULES = {"__init__", "__main__", "paths", "i18n"}
PAGE_ALLOWED = ("indicators.ui", "indicators.viz", "indicators.i18n")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


def _imports(path: Path, module: str, modules: set[str] | None = None) -> set[str]:
    """Every indicators.* module the file imports. ``from pkg import name`` counts ``pkg.name`` when that is a
    module (importing a submodule runs the package's ``__init__`` first, but that is not a dependency on it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = {f"{mod}.{a.name}" for a in node.names}
            if modules is not None and subs <= modules:
                out.update(subs)
            else:
                out.add(mod)
                out.update(subs)
    return {m for m in out if m == "indicators" or m.startswith("indicators.")}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        graph[name] = {m for m in _imports(path, name, set(mods)) if m in mods and m != name and m != "indicators"}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each a cycle to break."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_the_package():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (break each by moving shared parts into a module both import):\n" + \
        "\n".join(" ↔ ".join(c) for c in cycles)


def test_top_level_holds_only_packages_and_shared_small_modules():
    entries = {p.name for p in PKG.iterdir() if not p.name.startswith((".", "__pycache__"))}
    packages = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PKG.glob("*.py")}
    assert packages == TOP_LEVEL_PACKAGES, sorted(packages ^ TOP_LEVEL_PACKAGES)
    assert modules <= TOP_LEVEL_MODULES, sorted(modules - TOP_LEVEL_MODULES)
    assert entries - packages - {f"{m}.py" for m in modules} <= {"i18n_strings.yaml"}


def _page_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("path", _page_files(), ids=lambda p: p.name)
def test_pages_import_only_ui_viz_and_i18n(path):
    bad = [m for m in _imports(path, "pages." + path.stem)
           if m != "indicators" and not any(m == a or m.startswith(a + ".") for a in PAGE_ALLOWED)]
    assert not bad, f"{path.name} imports {bad}; pages go through indicators.ui / indicators.viz / indicators.i18n"


def test_only_ui_imports_streamlit():
    offenders = []
    for name, path in _modules().items():
        if name.startswith("indicators.ui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(name)
    assert not offenders, f"streamlit imported outside indicators.ui: {sorted(set(offenders))}"


# SQL keywords as the code writes them (upper case), so prose such as "select a metro from the list" is not SQL.
_SQL = re.compile(r"\b(SELECT\s+[\s\S]*?\bFROM\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(OR\s+REPLACE\s+)?"
                  r"(TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW|SEQUENCE|INDEX)|DROP\s+(TABLE|VIEW)|ALTER\s+TABLE|COPY\s+\w+\s+(TO|FROM))")
SQL_ROOMS = ("indicators.store", "indicators.ingest")


def _string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_sql_detector_sees_sql():
    assert _SQL.search("SELECT code FROM region") and _SQL.search("INSERT INTO t VALUES (1)")
    assert not _SQL.search("select a metro from the list") and not _SQL.search("Update the weights")


def test_no_sql_outside_store_and_ingest():
    offenders = []
    for name, path in _modules().items():
        if any(name == r or name.startswith(r + ".") for r in SQL_ROOMS):
            continue
        for line, text in _string_constants(path):
            if _SQL.search(text):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, "SQL text outside indicators/store and indicators/ingest (move it beside the tables' owner):\n" + \
        "\n".join(offenders)
