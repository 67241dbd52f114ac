"""对标 on the Methodology page: the shipped published references, our ranking against each, explained."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.paths import DATA_DIR
from indicators.ui import loaders

PUBLISHED_DIR = DATA_DIR / "published"
# shipped reference tables (data/published/, derived by indicators/store/derive/published.py), in display order
REFERENCES = ("tsinghua_2023_tiers", "tsinghua_2023_ranks", "njnu_yrd_2024_metros", "njnu_yrd_2023_metros")


@dataclass
class ReconcileView:
    rows: pd.DataFrame                 # metro_id, name, our_rank, reference_rank, reference_tier, our_score, agrees, explanation
    summary: str                       # kendall_tau / matched / tier_agreement in words
    unmatched: list[str] = field(default_factory=list)
    note: str = ""
    table: pd.DataFrame | None = None  # the rows with translated column labels (for st.dataframe)
    explanations: list[str] = field(default_factory=list)   # "**metro**：why" for every disagreement


def references(lang: str) -> dict[str, str]:
    """Shipped reference id → its label in ``lang`` (only those present)."""
    return {r: t(f"method.reconcile.ref.{r}", lang) for r in REFERENCES if (PUBLISHED_DIR / f"{r}.csv").exists()}


@st.cache_data(max_entries=32, show_spinner=False)
def _reconcile(path: str, framework: str, year: int, reference: str, lang: str, version: int = 0):
    from indicators.engine.reconcile import read_reference
    from indicators.engine.reconcile_inputs import reconcile_with

    ref = read_reference(PUBLISHED_DIR / f"{reference}.csv")
    res, used, _ = reconcile_with(loaders._connection(path), ref, framework, year, None, lang)
    return res, used


def reconcile_view(framework: str, year: int | None, reference: str, lang: str) -> ReconcileView:
    res, used = _reconcile(loaders.db_path(), framework, int(year) if year else None, reference, lang,
                           loaders.run_data_version())
    rows = res.rows.rename(columns={"metro_name": "name"})
    tau = "—" if math.isnan(res.kendall_tau) else f"{res.kendall_tau:.2f}"
    summary = t("method.reconcile.summary", lang, tau=tau, matched=res.matched, year=used)
    if res.tier_agreement is not None:
        summary += t("method.reconcile.tier_summary", lang, share=f"{res.tier_agreement:.0%}")
    unmatched = res.unmatched + res.unscored
    note = t("method.reconcile.note", lang)
    if unmatched:
        note = t("method.reconcile.unmatched", lang, names="、".join(unmatched) if lang != "en" else ", ".join(unmatched)) + " " + note
    view = ReconcileView(rows=rows, summary=summary, unmatched=unmatched, note=note)
    view.table = table(view, lang)
    sep = "：" if lang != "en" else ": "
    view.explanations = [f"**{r.name}**{sep}{r.explanation}" for r in rows.itertuples() if not r.agrees]
    return view


def table(view: ReconcileView, lang: str) -> pd.DataFrame:
    """The rows with translated column labels for st.dataframe."""
    cols = {"name": t("profile.metro", lang), "our_rank": t("method.reconcile.ours", lang),
            "reference_rank": t("method.reconcile.theirs", lang), "reference_tier": t("method.reconcile.tier", lang),
            "our_score": t("chart.score", lang), "explanation": t("method.reconcile.explanation", lang)}
    out = view.rows[list(cols)].copy()
    out["our_score"] = out["our_score"].round(1)
    # the published tier name in Chinese; "Tier N" in English
    out["reference_tier"] = [None if not isinstance(x, str) else t("method.reconcile.tier_label", lang,
                                                                      tier=x.split()[0] if lang == "en" else x) for x in out["reference_tier"]]
    for c in ("our_rank", "reference_rank"):
        out[c] = out[c].astype("Int64")
    return out.rename(columns=cols)
