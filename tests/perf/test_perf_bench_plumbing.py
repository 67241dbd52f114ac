"""`python -m indicators bench --tiny`: the plumbing runs end to end and prints every required figure."""
from __future__ import annotations

import re
import subprocess
import sys

from indicators.bench.figures import Figure, median_seconds, summary, with_target
from indicators.bench.runner import REQUIRED_NAMES
from indicators.paths import PROJECT_ROOT

SPEC_NAMES = ["build_default_s", "import_csv_rows_per_s", "import_xlsx_rows_per_s", "import_parquet_rows_per_s",
              "index_recompute_default_ms", "index_recompute_national_ms", "index_recompute_speedup_vs_naive",
              "montecarlo_10k_national_s", "od_import_10m_s", "od_aggregate_10m_s", "page_first_render_ms_max",
              "page_change_ms_max", "app_rss_mb"]
LINE = re.compile(r"^([a-z0-9_\[\]]+): (n/a|-?[0-9.]+(?:e[+-]?\d+)?) (\S*)(?: \((.*)\))?$")


def test_the_runner_declares_every_name_the_spec_asks_for():
    assert set(SPEC_NAMES) <= set(REQUIRED_NAMES)


def test_bench_tiny_prints_every_required_name(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "indicators", "bench", "--tiny", "--workdir", str(tmp_path)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = {}
    for line in proc.stdout.splitlines():
        m = LINE.match(line)
        if m:
            figures[m.group(1)] = (m.group(2), m.group(3), m.group(4))
    missing = [n for n in SPEC_NAMES if n not in figures]
    assert not missing, f"missing figures {missing}\n{proc.stdout}"
    # The parts that depend only on this engineer's code must produce numbers, not n/a.
    for name in ("build_default_s", "od_import_10m_s", "od_aggregate_10m_s"):
        assert figures[name][0] != "n/a", (name, figures[name])
        assert float(figures[name][0]) > 0
    assert any(line.startswith("summary:") for line in proc.stdout.splitlines())


def test_figure_lines_and_summary():
    assert Figure("x_s", 1.234, "s").line() == "x_s: 1.23 s"
    assert Figure("y_ms", None, "ms", "engine not available").line() == "y_ms: n/a ms (engine not available)"
    ok = with_target("t_ms", 50.0, "ms", 100.0)
    bad = with_target("u_ms", 150.0, "ms", 100.0, "limited by X")
    assert ok.met and bad.met is False
    lines = summary([ok, bad, Figure("z", None, "s", "missing")])
    assert lines[0] == "summary: 3 figures, 1/2 targets met (wall time), 1 n/a"
    assert Figure("c_s", 2.0, "s", cpu=1.5).line() == "c_s: 2.00 s\nc_s_cpu: 1.50 s"
    assert any("u_ms: MISSED" in line for line in lines) and any("limited by X" in line for line in lines)


def test_median_seconds_takes_the_median():
    calls = []
    secs = median_seconds(lambda: calls.append(1), runs=5, setup=lambda: None, warmup=1)
    assert len(calls) == 6 and secs >= 0
