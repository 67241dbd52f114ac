"""Run the engine (``indicators.engine.index.compute_index``) for a brief and reshape its result.

The panel is normalised over all metros and every year the store holds (as the dashboard does), so a
brief's scores equal the dashboard's; ranks are among all metros of the store."""
from __future__ import annotations

import pandas as pd

from indicators.brief import composition
from indicators.brief.methodology import method_paragraph
from indicators.brief.outcome import IndexOutcome
from indicators.store import brief_reads as store_reads

DEFAULT_FRAMEWORK = "qigeyi"


def _compute(con, framework: str, years: tuple[int, int], scope: str = "plan"):
    try:
        import indicators as api
        compute = getattr(api, "compute_index", None)
    except Exception:  # noqa: BLE001
        compute = None
    if compute is None:
        from indicators.engine.index import compute_index as compute
    return compute(con, framework, years, scope=scope)


def _source_usage(result, metro_ids: list[str], year: int) -> pd.DataFrame:
    """(source_id, year) of every input behind the selection's scores in ``year`` (carried values keep the
    year they describe)."""
    prov = getattr(result.prepared, "provenance", None)
    if prov is None or not len(prov):
        return pd.DataFrame(columns=["source_id", "year"])
    p = prov.reset_index()
    p = p[p["metro_id"].isin(metro_ids) & (p["year"] <= year) & (p["year"] >= year - 10)]
    comp = composition.year_composition(result.prepared, metro_ids, year)
    used = {c.indicator for c in comp}
    p = p[p["indicator"].isin(used)]
    rows = [(s.strip(), int(y)) for v, y in zip(p["source_ids"], p["year"]) if isinstance(v, str)
            for s in v.split(",") if s.strip()]
    # carried values: only the latest year of each indicator up to ``year`` is used
    if len(p):
        latest = p.groupby("indicator")["year"].max()
        keep = p[p["year"] == p["indicator"].map(latest)]
        rows = [(s.strip(), int(y)) for v, y in zip(keep["source_ids"], keep["year"]) if isinstance(v, str)
                for s in v.split(",") if s.strip()]
    return pd.DataFrame(sorted(set(rows)), columns=["source_id", "year"])


def _source_line(con, usage: pd.DataFrame, fw_name: str, lang: str) -> str:
    from indicators.brief import citations
    from indicators.store.citations import citations as read_citations

    ids = list(dict.fromkeys(usage["source_id"]))
    refs = citations.references(read_citations(con, ids), usage, lang, order=ids)
    by = f"tongcheng 同城化指数（{fw_name}）计算" if lang != "en" else f"tongcheng index ({fw_name})"
    return citations.source_line(refs, lang, computed_by=by, limit=2)


def _has_modelled(result, metro_ids: list[str], year: int) -> bool:
    prov = getattr(result.prepared, "provenance", None)
    if prov is None or not len(prov) or "quality" not in prov:
        return False
    p = prov.reset_index()
    q = p.loc[p["metro_id"].isin(metro_ids) & (p["year"] == year), "quality"].dropna().astype(str)
    return bool(q.str.contains("modelled|estimate|synthetic").any())


def _evidence_notes(result, year_idx: pd.DataFrame, metro_ids: list[str], names: dict[str, str], year: int,
                    lang: str) -> list[str]:
    """Issue 12 in the brief: unranked metros with what they lack, scores leaning on carried or estimated values,
    and the vintage of every value not observed that year."""
    from indicators.catalog import load_catalog
    from indicators.engine.evidence import unranked_reason, vintage_items

    if "ranked" not in year_idx:
        return []
    catalog = load_catalog()
    ind = {i: (d.name_en if lang == "en" else d.name_zh) for i, d in catalog.indicators.items()}
    floor = result.prepared.meta.get("coverage_floor")
    out = []
    mine = year_idx[year_idx["metro_id"].isin(metro_ids)]
    for _, r in mine[~mine["ranked"].astype(bool) & mine["score"].notna()].iterrows():
        out.append(f"{names.get(r['metro_id'], r['metro_id'])}：{unranked_reason(r, ind, lang, floor)}" if lang != "en"
                   else f"{names.get(r['metro_id'], r['metro_id'])}: {unranked_reason(r, ind, lang, floor)}")
    for _, r in mine[mine["estimate_share"].fillna(0) > 0].iterrows():
        share = f"{float(r['estimate_share']):.0%}"
        out.append(f"{names.get(r['metro_id'], r['metro_id'])}得分有{share}依赖沿用或估算值（非当年实测）。" if lang != "en"
                   else f"{share} of {names.get(r['metro_id'], r['metro_id'])}'s score rests on carried or estimated values.")
    items = vintage_items(result.prepared, year, ind, lang)
    if items:
        out.append(("非当年实测的数据：" if lang != "en" else "Values not observed that year: ")
                   + ("；" if lang != "en" else "; ").join(items))
    return out


def run(con, metro_ids: list[str], year: int, framework: str | None, names: dict[str, str],
        lang: str = "zh", scope: str = "plan") -> IndexOutcome:
    from indicators.catalog import load_frameworks

    frameworks = load_frameworks()
    fw_id = framework or DEFAULT_FRAMEWORK
    if fw_id not in frameworks:
        return IndexOutcome(reason=f"unknown framework {fw_id!r}; known: {', '.join(sorted(frameworks))}")
    fw = frameworks[fw_id]
    fw_name = (fw.name_en if lang == "en" else fw.name_zh) or fw_id
    years = store_reads.observed_years(con, "gdp")
    if not years or year not in years:
        return IndexOutcome(framework=fw_name, reason=f"no observations for {year}")
    result = _compute(con, fw_id, (min(years), max(years)), scope)
    scores = result.scores
    mine = scores[scores["metro_id"].isin(metro_ids)]
    year_idx = scores[(scores["year"] == year) & (scores["dimension"] == "index")]
    n_all = int(year_idx["ranked"].sum()) if "ranked" in year_idx else int(year_idx["score"].notna().sum())

    def index_rows(y: int) -> pd.DataFrame:
        df = mine[(mine["year"] == y) & (mine["dimension"] == "index")].copy()
        df["name"] = df["metro_id"].map(names)
        df["rank"] = df["rank"].astype("float")
        return df[["metro_id", "name", "year", "score", "rank", "coverage"]].reset_index(drop=True)

    now = index_rows(year)
    prev = index_rows(year - 1) if (year - 1) in years else None
    dim_names = result.prepared.dimension_names
    dims = mine[(mine["year"] == year) & (mine["dimension"] != "index")].copy()
    dims["name"] = dims["metro_id"].map(names)
    dims["dimension_id"] = dims["dimension"]
    dims["dimension"] = [dim_names.get(d, (d, d))[1 if lang == "en" else 0] for d in dims["dimension_id"]]
    dims = dims[["metro_id", "name", "dimension_id", "dimension", "score", "coverage"]]

    notes: list[str] = []
    cov = now.dropna(subset=["coverage"])
    if len(cov) and float(cov["coverage"].min()) < 0.999:
        lo = float(cov["coverage"].min())
        notes.append(f"实测覆盖率（当年实测数据的指标权重占比）最低为{lo:.0%}：其余指标为沿用、估算、快照或暂无数据。"
                     if lang != "en" else
                     f"Observed coverage (weight share of indicators observed that year) is as low as {lo:.0%}: "
                     "the rest is carried, estimated, a snapshot or missing.")
    empty_dims = sorted(set(dims.loc[dims["score"].isna(), "dimension"]))
    if empty_dims:
        notes.append(("暂无数据的维度：" if lang != "en" else "Dimensions without data: ")
                     + ("、" if lang != "en" else ", ").join(empty_dims) + ("。" if lang != "en" else "."))
    if n_all:
        notes.append(f"名次为{n_all}个可比都市圈（指标组成相同、当年实测覆盖达标）中的名次。" if lang != "en" else
                     f"Ranks are among the {n_all} comparable metros (same indicator composition, enough observed data).")
    notes += _evidence_notes(result, year_idx, metro_ids, names, year, lang)
    if _has_modelled(result, metro_ids, year):
        notes.append("指数含估算或模型值（如引力模型联系强度），已在来源中注明。" if lang != "en" else
                     "The index includes estimated or modelled inputs (e.g. gravity linkage), named in the sources.")
    usage = _source_usage(result, metro_ids, year)
    prepared = result.prepared
    prev_year = (year - 1) if prev is not None else None
    comparable = {m: composition.comparable(prepared, m, year, prev_year) for m in metro_ids} if prev_year else {}
    from indicators.catalog import load_catalog

    catalog = load_catalog()
    ind_names = {i: ((catalog.indicators[i].name_en if lang == "en" else catalog.indicators[i].name_zh)
                     if i in catalog.indicators else i) for i in prepared.indicators}
    method = method_paragraph(result.log, framework=fw_name, n_dimensions=len(prepared.dimensions),
                              n_indicators=len(prepared.indicators), year=year,
                              composition=composition.year_composition(prepared, metro_ids, year, lang),
                              indicator_names=ind_names, metro_names=names, n_metros=len(metro_ids), lang=lang)
    return IndexOutcome(framework=fw_name, year=year, scores=now, dimensions=dims, previous=prev,
                        previous_year=prev_year, build_log=result.log,
                        source=_source_line(con, usage, fw_name, lang), notes=notes, method=method,
                        comparable=comparable, source_usage=usage)
