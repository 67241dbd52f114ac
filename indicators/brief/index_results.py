"""The 同城化 index for the brief, from the engine's public API (``indicators.compute_index``).

The engine is optional here: when it is not available or cannot compute the selection, the brief says so
(``IndexOutcome.reason``) and carries the observed-data charts only — it never invents scores."""
from __future__ import annotations

from indicators.brief import engine_adapter
from indicators.brief.outcome import IndexOutcome

__all__ = ["IndexOutcome", "compute_for_brief"]


def compute_for_brief(con, metro_ids: list[str], year: int, framework: str | None,
                      names: dict[str, str], lang: str = "zh", scope: str = "plan") -> IndexOutcome:
    try:
        return engine_adapter.run(con, metro_ids, year, framework, names, lang, scope=scope)
    except ImportError as exc:
        return IndexOutcome(reason=f"engine not available: {exc}")
    except Exception as exc:  # noqa: BLE001 - the brief still ships the observed-data charts
        return IndexOutcome(reason=f"index not computed: {type(exc).__name__}: {exc}")
