"""The briefing pack's progress section (建设进程): for each metro of the brief, the plans that apply to it —
tasks by status, the 建设进程 score (or why there is none), each target's verdict from the metro's own trend —
as key-point sentences, one chart (tasks by area and status of the first metro's main plan) and a methodology
section from the progress build log. Never a number the ledger or the data do not hold.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.engine.progress import ProgressResult, plan_progress
from indicators.engine.progress_inputs import load_inputs
from indicators.i18n import pick, t
from indicators.store import plans as plan_reads

CHART_ID = "plan_progress"


@dataclass
class ProgressSection:
    heading: str
    sentences: list[str] = field(default_factory=list)     # key points
    method: list[str] = field(default_factory=list)        # how the score is formed (from the build log)
    chart: tuple | None = None                             # (figure, ChartMeta) or None


def _pct(n: int, d: int) -> str:
    return f"{n / d:.0%}" if d else "—"


def _parts(p: dict, res: ProgressResult, lang: str) -> str:
    known = p["tasks"] - p["unknown"]
    with_data = int(res.targets["part"].notna().sum()) if len(res.targets) else 0
    n_targets = int(res.targets["target_id"].nunique()) if len(res.targets) else 0
    task = f"{p['task_score']:.1f}" if p["task_score"] is not None else "—"
    ind = f"{p['indicator_score']:.1f}" if p["indicator_score"] is not None else "—"
    if lang == "en":
        return (f"task part {task} ({known} of {p['tasks']} tasks with a known status), indicator part {ind} "
                f"({with_data} of {n_targets} targets with data)")
    return f"任务部分 {task}（状态已知 {known}/{p['tasks']} 项），指标部分 {ind}（有数据的目标 {with_data}/{n_targets} 个）"


def _plan_sentence(plan: dict, res: ProgressResult, metro_name: str, lang: str) -> str:
    p = res.plan
    title = pick(plan["title_zh"], plan.get("title_en"), lang)
    period = f"{int(plan['period_start'])}–{int(plan['period_end'])}"
    if str(int(plan["period_start"])) not in title:
        title += f"（{period}）" if lang != "en" else f" ({period})"
    stated = plan.get("tasks_stated")
    has_stated = stated is not None and pd.notna(stated)
    parts = _parts(p, res, lang)
    if lang == "en":
        head = f"{metro_name} — {title}: {p['tasks']} tasks in the ledger" + \
            (f" of {int(stated)} stated" if has_stated else "")
        counts = (f"done {p['done']}, in progress {p['in_progress']}, not started {p['not_started']}, "
                  f"delayed {p['delayed']}, unknown {p['unknown']}") if p["tasks"] else "the sources list no tasks"
        score = (f"progress score {p['progress_score']:.1f}" if p["progress_score"] is not None else "no progress score")
        return f"{head}; {counts}; {score} — {parts}."
    head = f"{metro_name}·{title}：台账 {p['tasks']} 项任务" + (f"（文件所述 {int(stated)} 项）" if has_stated else "")
    counts = (f"已完成 {p['done']}、推进中 {p['in_progress']}、未启动 {p['not_started']}、滞后 {p['delayed']}、"
              f"未知 {p['unknown']}") if p["tasks"] else "资料未列出具体任务"
    score = f"建设进程得分 {p['progress_score']:.1f}" if p["progress_score"] is not None else "暂无建设进程得分"
    return f"{head}；{counts}；{score}——{parts}。"


def _target_sentences(res: ProgressResult, metro_name: str, lang: str, labels) -> list[str]:
    out = []
    for r in res.targets.to_dict("records"):
        if r["verdict"] == "no_data":
            continue
        key = "never" if r["verdict"] == "not_by_deadline" and not pd.notna(r.get("year_met")) else r["verdict"]
        verdict = t(f"progress.verdict_{key}", lang, year=int(r["year_met"]) if pd.notna(r.get("year_met")) else "—",
                    target_year=r["target_year"], n=3)
        sign = {">=": "≥", "<=": "≤"}.get(r["comparator"], r["comparator"])
        latest = f"{r['latest_value']:.3g}（{int(r['latest_year'])}）" if lang != "en" else \
            f"{r['latest_value']:.3g} ({int(r['latest_year'])})"
        if lang == "en":
            out.append(f"{metro_name}, {labels(r['indicator'])} (target {sign}{r['target']:g} by {r['target_year']}): "
                       f"latest {latest}; {verdict}.")
        else:
            out.append(f"{metro_name}·{labels(r['indicator'])}（目标 {sign}{r['target']:g}，{r['target_year']} 年）："
                       f"最新 {latest}；{verdict}。")
    return out


def build_section(con, metro_ids: list[str], names: dict, year: int, lang: str = "zh") -> ProgressSection:
    """The section for the brief's metros; targets use data up to ``year``, tasks the current ledger."""
    from indicators.catalog import load_catalog

    try:
        catalog = load_catalog()

        def labels(i):
            ind = catalog.indicators.get(i)
            return (getattr(ind, "name_en", None) if lang == "en" else getattr(ind, "name_zh", None)) or i
    except Exception:  # noqa: BLE001 - labels only
        def labels(i):
            return i
    section = ProgressSection(heading=t("progress.brief_heading", lang))
    main = None
    method_log = None
    for m in metro_ids:
        plans = plan_reads.plans_for_metro(con, m)
        for plan in plans.to_dict("records"):
            inp = load_inputs(con, plan["plan_id"], [m])
            series = inp.series[inp.series["year"] <= int(year)]
            res = plan_progress(inp.plan, inp.areas, inp.tasks, inp.targets, series, None, None, inp.history, lang)
            if not res.plan["tasks"] and res.targets.empty:
                continue
            section.sentences.append(_plan_sentence(plan, res, names.get(m, m), lang))
            section.sentences += _target_sentences(res, names.get(m, m), lang, labels)
            if main is None and res.plan["tasks"]:
                main = (plan, res)
            method_log = method_log or res.log
    if method_log is not None:
        # the formula in words; the step log itself (plan ids, parameters) stays in the replayable result
        section.method = [t("progress.formula_text", lang)]
    if main is not None:
        section.chart = _chart(main[0], main[1], con, year, lang)
    return section


def _chart(plan: dict, res: ProgressResult, con, year: int, lang: str):
    from indicators.export.meta import ChartMeta
    from indicators.viz.progress import area_status_chart

    title_plan = pick(plan["title_zh"], plan.get("title_en"), lang)
    areas = res.areas.merge(plan_reads.areas(con, plan["plan_id"])[["area_id", "tasks_stated"]], on="area_id",
                            how="left")
    title = t("progress.chart_areas", lang)
    subtitle = t("progress.chart_areas_sub", lang, plan=title_plan, as_of=t("progress.as_of_now", lang))
    source = t("progress.chart_source", lang, source=_cited(con, plan, lang))
    fig = area_status_chart(areas, title=title, subtitle=subtitle, source=source, lang=lang,
                            stated=dict(zip(areas["area"], areas["tasks_stated"])))
    note = t("progress.all_unknown", lang) if res.plan["unknown"] == res.plan["tasks"] else ""
    return fig, ChartMeta(title=title, subtitle=subtitle, source=source, note=note)


def extend(con, metro_ids: list[str], names: dict, year: int, lang: str, summary: list, charts: list,
           methodology: list, chart_type) -> None:
    """Add the progress section to a pack being built: key points to ``summary``, one chart to ``charts``
    (``chart_type(id, figure, meta)``: the pack's ``BriefChart``, id ``plan_progress``), the score's method to
    ``methodology``. Metros without plans add nothing."""
    section = build_section(con, metro_ids, names, year, lang)
    if not section.sentences:
        return
    summary.extend(f"{section.heading}：{s}" if lang != "en" else f"{section.heading}: {s}" for s in section.sentences)
    if section.chart is not None:
        fig, meta = section.chart
        charts.append(chart_type(CHART_ID, fig, meta))
    if section.method:
        heading = "建设进程得分的计算" if lang != "en" else "How the progress score is computed"
        methodology.append((heading, section.method))


def add_to_pack(pack, con, chart_type) -> None:
    """The same for a built ``BriefPack``."""
    extend(con, pack.metro_ids, dict(zip(pack.metro_ids, pack.metro_names)), pack.year, pack.lang, pack.summary,
           pack.charts, pack.methodology, chart_type)


def _cited(con, plan: dict, lang: str) -> str:
    """The plan's source cited by publisher and document (brief.citations), else its stored title."""
    from indicators.brief import citations
    from indicators.store.citations import citations as read_citations

    refs = citations.references(read_citations(con, [plan["source_id"]]), None, lang)
    items = citations.source_items(refs, lang)
    return items[0] if items else (plan.get("source_title") or plan["source_id"])
