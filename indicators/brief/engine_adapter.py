"""Run the engine (``indicators.engine.index.compute_index``) for a brief and reshape its result.

The panel is normalised over all metros and every year the store holds (as the dashboard does), so a
brief's scores equal the dashboard's; ranks are among all metros of the store."""
from __future__ import annotations

import pandas as pd

from indicators.store import brief_reads as store_reads
from indicators.brief.outcome import IndexOutcome

DEFAULT_FRAMEWORK = "qigeyi"


def _compute(con, framework: str, years: tuple[int, int]):
    try:
        import indicators as api
        compute = getattr(api, "compute_index", None)
    except Exception:  # noqa: BLE001
        compute = None
    if compute is None:
        from indicators.engine.index import compute_index as compute
    return compute(con, framework, years)


def _source_titles(con, result, metro_ids: list[str], year: int) -> list[str]:
    prov = getattr(result.prepared, "provenance", None)
    if prov is None or not len(prov):
        return []
    p = prov.reset_index()
    p = p[p["metro_id"].isin(metro_ids) & (p["year"] == year)]
    ids = sorted({s for v in p["source_ids"].dropna() for s in str(v).split(",") if s})
    return list(dict.fromkeys(store_reads.sources(con, ids)["title"].dropna().astype(str)))


def _has_modelled(result, metro_ids: list[str], year: int) -> bool:
    prov = getattr(result.prepared, "provenance", None)
    if prov is None or not len(prov) or "quality" not in prov:
        return False
    p = prov.reset_index()
    q = p.loc[p["metro_id"].isin(metro_ids) & (p["year"] == year), "quality"].dropna().astype(str)
    return bool(q.str.contains("modelled|estimate|synthetic").any())


def run(con, metro_ids: list[str], year: int, framework: str | None, names: dict[str, str],
        lang: str = "zh") -> IndexOutcome:
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
    result = _compute(con, fw_id, (min(years), max(years)))
    scores = result.scores
    mine = scores[scores["metro_id"].isin(metro_ids)]
    n_all = int(scores.loc[(scores["year"] == year) & (scores["dimension"] == "index"), "score"].notna().sum())

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
        notes.append(f"指数覆盖率（有数据的指标权重占比）最低为 {lo:.0%}：其余指标暂无数据，得分只反映有数据的部分。"
                     if lang != "en" else
                     f"Index coverage (weight share of indicators with data) is as low as {lo:.0%}: "
                     "scores reflect only the indicators with data.")
    empty_dims = sorted(set(dims.loc[dims["score"].isna(), "dimension"]))
    if empty_dims:
        notes.append(("暂无数据的维度：" if lang != "en" else "Dimensions without data: ")
                     + ("、" if lang != "en" else ", ").join(empty_dims))
    if n_all:
        notes.append(f"名次为全部 {n_all} 个都市圈中的名次。" if lang != "en" else
                     f"Ranks are among all {n_all} metros in the store.")
    if _has_modelled(result, metro_ids, year):
        notes.append("指数含估算或模型值（如引力模型联系强度），已在来源中注明。" if lang != "en" else
                     "The index includes estimated or modelled inputs (e.g. gravity linkage), named in the sources.")
    titles = _source_titles(con, result, metro_ids, year)
    return IndexOutcome(framework=fw_name, year=year, scores=now, dimensions=dims, previous=prev,
                        previous_year=(year - 1) if prev is not None else None, build_log=result.log,
                        source=("来源：" if lang != "en" else "Source: ") + ("；" if lang != "en" else "; ").join(
                            [*titles[:3], *(["等"] if len(titles) > 3 else []),
                             f"tongcheng 同城化指数（{fw_name}）" if lang != "en" else f"tongcheng index ({fw_name})"]),
                        notes=notes)
