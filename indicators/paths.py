"""Where things live. Stdlib only: imported by the bootstrap before dependencies exist."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PROJECT_ROOT / "data"
STATIC_DIR = PROJECT_ROOT / "static"
CATALOG_DIR = PACKAGE_DIR / "catalog"
BUILD_DIR = PROJECT_ROOT / "build"
# what `streamlit run` starts: the st.App launcher that serves app.py with the first-paint middleware
SERVER_APP = PACKAGE_DIR / "ui" / "server_app.py"


def default_db_path() -> Path:
    """The built database: $TONGCHENG_DB if set, else build/tongcheng.duckdb."""
    env = os.environ.get("TONGCHENG_DB")
    return Path(env) if env else BUILD_DIR / "tongcheng.duckdb"
