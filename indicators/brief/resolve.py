"""Metro names as an analyst types them: id ('chengdu'), Chinese ('成都都市圈', '成都') or English."""
from __future__ import annotations

import re

import pandas as pd


class UnknownMetro(ValueError):
    pass


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip().lower()
    return re.sub(r"\s*(metropolitan area|metro area|metro)\b.*$", "", text).strip()


def _keys(row) -> set[str]:
    keys = {_norm(row.metro_id), _norm(row.name_zh), _norm(row.name_en or "")}
    zh = str(row.name_zh)
    for suffix in ("大都市圈", "都市圈"):
        if zh.endswith(suffix):
            keys.add(_norm(zh[: -len(suffix)]))
    return {k for k in keys if k}


def resolve_metros(names: list[str] | str, metros: pd.DataFrame) -> list[str]:
    """Metro ids for ``names`` (a list or a comma-separated string), in the given order, without repeats."""
    if isinstance(names, str):
        names = [n for n in re.split(r"[,，、;；]", names) if n.strip()]
    lookup: dict[str, str] = {}
    for row in metros.itertuples():
        for key in _keys(row):
            lookup.setdefault(key, row.metro_id)
    out: list[str] = []
    for name in names:
        metro_id = lookup.get(_norm(name))
        if metro_id is None:
            known = ", ".join(f"{r.metro_id} ({r.name_zh})" for r in metros.itertuples())
            raise UnknownMetro(f"unknown metro {name!r}; known: {known}")
        if metro_id not in out:
            out.append(metro_id)
    return out
