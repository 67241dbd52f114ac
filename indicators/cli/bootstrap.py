"""Set-up shared by `up` and `test`. Standard library only: runs before anything is installed.

Steps, each skipped when already done:
1. a virtual environment in .venv with the project and its test extras (pip install -e .[test]);
2. Debian's chromium and fonts-noto-cjk (browser tests, chart exports with CJK glyphs), via apt-get;
3. the default database, built from data/ when missing or older than data/.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from indicators.paths import DATA_DIR, PROJECT_ROOT, default_db_path

VENV = PROJECT_ROOT / ".venv"
SYSTEM_PACKAGES = ("chromium", "fonts-noto-cjk")


def log(msg: str) -> None:
    print(f"[tongcheng] {msg}", flush=True)


def venv_python() -> Path:
    return VENV / "bin" / "python"


def _pyproject_digest() -> str:
    return hashlib.sha256((PROJECT_ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> Path:
    py = venv_python()
    stamp = VENV / ".tongcheng-installed"
    if not py.exists():
        log("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    digest = _pyproject_digest()
    if not stamp.exists() or stamp.read_text().strip() != digest:
        log("installing Python packages (pip install -e .[test])")
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=False)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-e", f"{PROJECT_ROOT}[test]"], check=True)
        stamp.write_text(digest)
    return py


def _have_cjk_font() -> bool:
    for d in ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"):
        p = Path(d)
        if p.exists() and any("CJK" in f.name for f in p.iterdir()):
            return True
    return False


def ensure_system_packages(required: bool) -> None:
    missing = []
    if not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    if not _have_cjk_font():
        missing.append("fonts-noto-cjk")
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo"):
            prefix = ["sudo", "-n"]
        else:
            msg = f"missing system packages {missing}; install them with apt-get as root"
            if required:
                raise SystemExit(msg)
            log(msg + " (continuing: browser tests and image exports need them)")
            return
    log(f"installing system packages {missing} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(prefix + ["apt-get", "update", "-qq"], check=required, env=env)
    subprocess.run(prefix + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=required, env=env)


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def ensure_database(py: Path) -> Path:
    db = default_db_path()
    if db.exists() and db.stat().st_mtime >= _newest_mtime(DATA_DIR):
        return db
    log(f"building the default database at {db}")
    subprocess.run([str(py), "-m", "indicators", "build", "--db", str(db)], check=True, cwd=PROJECT_ROOT)
    return db
