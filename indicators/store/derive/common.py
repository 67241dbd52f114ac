"""Helpers shared by the derive scripts: paths, CSV/sidecar writers, Chinese place-name handling."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import pandas as pd
import yaml

from indicators.paths import DATA_DIR, PROJECT_ROOT

DEFAULT_SHARED = PROJECT_ROOT.parent / "shared" / "data"
TODAY = _dt.date.today().isoformat()

# Ethnic designations inside autonomous-prefecture names, longest first.
_ETHNIC = sorted(
    ["蒙古族", "藏族", "羌族", "彝族", "土家族", "苗族", "侗族", "布依族", "傣族", "景颇族", "白族", "哈尼族",
     "壮族", "傈僳族", "回族", "朝鲜族", "黎族", "蒙古", "哈萨克", "柯尔克孜"],
    key=len, reverse=True,
)
_SUFFIXES = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "林区", "地区", "省", "盟", "市", "县"]


def short_name(name_zh: str) -> str:
    """'成都市' -> '成都', '凉山彝族自治州' -> '凉山', '新疆维吾尔自治区' -> '新疆'."""
    s = name_zh.strip()
    for suf in _SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf) + 1:
            s = s[: -len(suf)]
            break
    changed = True
    while changed:
        changed = False
        for eth in _ETHNIC:
            if s.endswith(eth) and len(s) > len(eth) + 1:
                s = s[: -len(eth)]
                changed = True
    return s


def pinyin_name(name_zh: str) -> str:
    """Pinyin of the short name, title case, no tones: '成都市' -> 'Chengdu'."""
    from pypinyin import lazy_pinyin  # derive-time dependency only

    syll = lazy_pinyin(short_name(name_zh))
    out = "".join(syll)
    return out[:1].upper() + out[1:]


def latin_key(name: str) -> str:
    """Normalised Latin key for matching English names: lower case, letters only."""
    return re.sub(r"[^a-z]", "", name.lower())


def write_table(df: pd.DataFrame, name: str, meta: dict, data_dir: Path = DATA_DIR) -> Path:
    """Write ``data/<name>.csv`` (UTF-8, no index) and its ``<name>.meta.yaml`` origin sidecar."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{name}.csv"
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    meta = {"date_accessed": TODAY, **meta, "rows": int(len(df))}
    (data_dir / f"{name}.meta.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8"
    )
    return path


def read_data(name: str, data_dir: Path = DATA_DIR, **kw) -> pd.DataFrame:
    """Read a table already in ``data/`` (codes as strings)."""
    return pd.read_csv(data_dir / f"{name}.csv", dtype={"code": str, "core_code": str, "parent_code": str,
                                                       "origin_code": str, "dest_code": str}, **kw)
