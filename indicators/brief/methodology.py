"""Methodology text generated from a build log: one line per step with its parameters.

A log is any iterable of steps, each a ``{"step": name, "params": {...}}`` dict or an object with ``name``
and ``params`` (the engine's ``indicators.engine.log.BuildLog``/``Step``)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

STEP_NAMES = {
    "zh": {
        "load": "读取都市圈面板", "missing": "缺失数据规则", "frame": "读取数据表",
        "select": "选取", "select_metros": "选取都市圈", "members": "成员城市", "observations": "读取观测值",
        "denominate": "分母化（人均/地均）", "impute": "缺失值插补", "screen": "筛选", "treat": "异常值处理",
        "normalise": "标准化", "normalize": "标准化", "weight": "赋权", "weights": "赋权",
        "aggregate": "加权汇总", "rank": "排名", "sensitivity": "敏感性分析", "panel": "构建面板",
        "score": "计算得分", "aggregate_metro": "汇总到都市圈", "growth": "年均增速", "base_year": "定基",
    },
    "en": {},
}


def _steps(log: Any) -> list[tuple[str, dict]]:
    if log is None:
        return []
    if hasattr(log, "to_json") and not isinstance(log, (str, bytes)):
        try:
            log = json.loads(log.to_json())
        except Exception:  # noqa: BLE001 - fall back to iterating the object
            pass
    if isinstance(log, str):
        log = json.loads(log)
    out: list[tuple[str, dict]] = []
    for step in log if isinstance(log, Iterable) else []:
        if isinstance(step, Mapping):
            name = str(step.get("step") or step.get("name") or "?")
            params = dict(step.get("params") or {})
        else:
            name = str(getattr(step, "name", "?"))
            params = dict(getattr(step, "params", {}) or {})
        out.append((name, params))
    return out


def _fmt_param(value: Any, limit: int = 90) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, (list, tuple)) and len(value) > 8:
        text = ", ".join(map(str, value[:8])) + f" …(+{len(value) - 8})"
    elif isinstance(value, Mapping) and len(value) > 6:
        items = list(value.items())[:6]
        text = ", ".join(f"{k}={v}" for k, v in items) + f" …(+{len(value) - 6})"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def methodology_lines(log: Any, lang: str = "zh") -> list[str]:
    """'1. 标准化 (normalise)：method=minmax；range=[0, 100]' — one line per step, in order."""
    names = STEP_NAMES["en" if lang == "en" else "zh"]
    sep_kv, sep_items, colon = ("=", "; ", ": ") if lang == "en" else ("=", "；", "：")
    lines = []
    for i, (name, params) in enumerate(_steps(log), start=1):
        label = f"{names[name]} ({name})" if name in names else name
        body = sep_items.join(f"{k}{sep_kv}{_fmt_param(v)}" for k, v in params.items())
        lines.append(f"{i}. {label}{colon}{body}" if body else f"{i}. {label}")
    return lines
