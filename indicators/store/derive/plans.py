"""Plans, their areas, targets and the tasks the seed documents describe → ``data/plan*.csv``.

The seeds are policy texts (``../shared/seeds``). What is taken from them is declared below as a
*specification*: each plan and area with a short quote that must occur in its seed, and for the task lists
a rule that cuts the seed's own sentences into tasks. The script finds every quote in the seed (line
breaks inside a sentence, as in the newspaper columns of seed 004, are ignored) and writes the line it starts
on, so every row cites ``source_id`` + ``source_line`` + ``source_quote`` and a test can re-check it.

Nothing is added that the seeds do not say: task status is ``未知`` (no seed reports one), lead unit
(牵头单位), deadline and evidence are empty. A plan period the seed does not state is marked
``period_basis = inferred`` with the reasoning in ``note``.

``python -m indicators.store.derive`` runs this with the other derive steps; ``run_seeds(seeds_dir)`` alone
regenerates only these tables (no optional dependency needed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.paths import DATA_DIR

from .common import TODAY, write_table

SEED_FILES = {
    "seed_000": "000_52bc63d3756d5959.txt",
    "seed_002": "002_67e96b11509b1685.txt",
    "seed_003": "003_41f51e6188f02097.txt",
    "seed_004": "004_9fca3d7cf15168d2.txt",
}
UNKNOWN = "未知"

PLAN_COLUMNS = ["plan_id", "scope", "scope_kind", "title_zh", "title_en", "issuer", "period_start", "period_end",
                "period_basis", "tasks_stated", "projects_stated", "reported_status", "source_id", "source_line",
                "source_quote", "note"]
AREA_COLUMNS = ["plan_id", "area_id", "seq", "name_zh", "name_en", "tasks_stated", "source_id", "source_line",
                "source_quote", "note"]
PLAN_TARGET_COLUMNS = ["plan_id", "target_id", "source_id", "source_line", "source_quote"]
TASK_COLUMNS = ["task_id", "plan_id", "area_id", "title", "lead_unit", "deadline", "status", "evidence_text",
                "evidence_link", "evidence_date", "indicators", "targets", "source_id", "source_line", "note"]


# --------------------------------------------------------------------------------------------- seeds as text
@dataclass
class SeedText:
    """A seed's text with line breaks removed (``flat``) and, per character of ``flat``, its 1-based line."""

    source_id: str
    lines: list[str]
    flat: str
    line_of: list[int]

    @classmethod
    def read(cls, seeds_dir: Path, source_id: str) -> "SeedText":
        lines = (seeds_dir / SEED_FILES[source_id]).read_text(encoding="utf-8").splitlines()
        flat, line_of = [], []
        for no, line in enumerate(lines, start=1):
            text = line.strip()
            flat.append(text)
            line_of.extend([no] * len(text))
        return cls(source_id, lines, "".join(flat), line_of)

    def find(self, quote: str, start: int = 0) -> int:
        """Position of ``quote`` in the flat text (spaces ignored on both sides); ValueError if absent."""
        pos = self.flat.find(quote, start)
        if pos < 0:
            raise ValueError(f"{self.source_id}: quote not found: {quote!r}")
        return pos

    def line(self, quote: str, start: int = 0) -> int:
        return self.line_of[self.find(quote, start)]


def clean(text: str) -> str:
    """Collapse the spaces the newspaper layout leaves inside words ('世界 500 强' stays readable)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff“”（）、，。；：])\s+|\s+(?=[\u4e00-\u9fff“”（）、，。；：])", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------------------------------------ the plans
# (plan_id, scope, scope_kind, title_zh, title_en, issuer, start, end, basis, tasks, projects, reported status,
#  source_id, quote, note)
PLANS = [
    ("yrd_3yr_2018_2020", "YRD", "group", "长三角地区一体化发展三年行动计划（2018—2020年）",
     "YRD integration three-year action plan (2018–2020)", "长三角区域合作办公室", 2018, 2020, "stated", None, None,
     "顺利实施并达到预期目标", "seed_002", "2018—2020 年、2021—2023 年、2024—2026 年",
     "Round 1. Seed 002 quotes the second-round plan: 第一轮三年行动计划顺利实施并达到预期目标; areas named only "
     "with 等 (交通、能源、创新、信息、生态、公服、市场), 2 quantitative targets not named: no areas or targets shipped."),
    ("yrd_3yr_2021_2023", "YRD", "group", "长三角地区一体化发展三年行动计划（2021—2023年）",
     "YRD integration three-year action plan (2021–2023)", "长三角区域合作办公室", 2021, 2023, "stated", None, None,
     None, "seed_002", "2018—2020 年、2021—2023 年、2024—2026 年",
     "Round 2: qualitative targets only (seed 002); its completion is not reported in the seeds."),
    ("yrd_3yr_2024_2026", "YRD", "group", "长三角地区一体化发展三年行动计划（2024—2026年）",
     "YRD integration three-year action plan (2024–2026)", "长三角区域合作办公室", 2024, 2026, "stated", 165, None,
     None, "seed_004", "《长三角地区一体化发展三年行动计划（2024—2026年）》",
     "Round 3: 165 key tasks in 9 areas (seed 004). The seed lists each area's main tasks (主要包括), not all 165."),
    ("yrd_metro_tc_2025", "YRD", "group",
     "建立健全都市圈同城化发展体制机制提升长三角城市群一体化发展水平行动方案",
     "Action plan on mechanisms for metropolitan integration (tongchenghua) and YRD city-cluster integration", 
     "长三角区域合作办公室会同沪苏浙皖三省一市发展改革委", 2025, 2027, "inferred", 30, None, None, "seed_000",
     "提出30项具体任务举措",
     "30 tasks under the 七个一 and 组织实施 (8 areas). Period inferred: issued 2025-10 with a three-year "
     "implementation cycle (以三年为实施周期); the seed states no start year — verify. The seed names the measures "
     "each area includes (其中/包括); they are not the official numbering of the 30 tasks. Issuer: 编制单位 "
     "(the seed does not name the 印发 body)."),
    ("yrd_14th_fyp_2021_2025", "YRD", "group", "长三角一体化发展规划“十四五”实施方案",
     "YRD integration plan: 14th Five-Year implementation plan", "推动长三角一体化发展领导小组办公室", 2021, 2025,
     "stated", None, None, None, "seed_003", "长三角一体化发展规划“十四五”实施方案",
     "十四五 = 2021–2025; §(三) sets the 2025 targets (target.csv). Tasks are the numbered items (四)–(三十六); "
     "the heading of (七) is missing in the OCR copy."),
    ("chengdu_3yr_2020_2022", "chengdu", "metro", "成德眉资同城化发展暨成都都市圈建设三年行动计划（起步期 2020—2022年）",
     "Chengdu-Deyang-Meishan-Ziyang integration (tongchenghua) three-year action plan (start-up phase 2020–2022)",
     "四川省推进成德眉资同城化发展领导小组", 2020, 2022, "stated", None, 202, "圆满完成",
     "seed_002", "起步期 2020—2022 年",
     "8 areas; 202 重大骨干支撑性工程等项目 (a project list, not tasks). Completion as reported in seed 002: the "
     "2023-02 成都市政府工作报告 says 成都都市圈起步期三年行动计划圆满完成."),
    ("chengdu_3yr_2023_2025", "chengdu", "metro", "成德眉资同城化发展暨成都都市圈建设三年行动计划（成长期 2023—2025年）",
     "Chengdu-Deyang-Meishan-Ziyang integration (tongchenghua) three-year action plan (growth phase 2023–2025)",
     "四川省推进成德眉资同城化发展领导小组", 2023, 2025, "stated", None, 197, None, "seed_002", "成长期 2023—2025 年",
     "8 areas; 197 重大项目事项 under 清单制+责任制; yearly 三张清单 (重大项目、重大事项、重要会议活动) and "
     "体检—诊断—应对 evaluation (seed 002). No task list in the seeds."),
]

REPORTED_STATUS_QUOTES = {
    "yrd_3yr_2018_2020": "长三角第一轮三年行动计划（2018—2020 年）顺利实施并达",
    "chengdu_3yr_2020_2022": "成都都市圈起步期三年行动计划圆满完成",
}

# (plan_id, area_id, name_zh, name_en, tasks stated, source_id, quote)
_YRD24 = [
    ("A1", "加强长三角科技创新跨区域协同", "Cross-regional coordination of science and technology innovation", 20,
     "一是加强长三角科技创新跨区域协同。共有20项重点任务"),
    ("A2", "协同建设长三角世界级产业集群", "Jointly building world-class industrial clusters", 20,
     "二是协同建设长三角世界级产业集群。共有20项重点任务"),
    ("A3", "加快完善一体化发展体制机制", "Improving the institutions and mechanisms of integration", 25,
     "三是加快完善一体化发展体制机制。共有25项重点任务"),
    ("A4", "加快提升区域市场一体化水平", "Raising the integration of the regional market", 23,
     "四是加快提升区域市场一体化水平。共有23项重点任务"),
    ("A5", "积极推进长三角区域高层次协同开放", "High-level coordinated opening-up", 22,
     "五是积极推进长三角区域高层次协同开放。共有22项重点任务"),
    ("A6", "切实加强生态环境共保联治", "Joint ecological protection and pollution control", 17,
     "六是切实加强生态环境共保联治。共有17项重点任务"),
    ("A7", "积极探索建设中华民族现代文明", "Building modern Chinese civilisation (culture)", 10,
     "七是积极探索建设中华民族现代文明。共有10项重点任务"),
    ("A8", "有力拓展城市合作广度和深度", "Broadening and deepening city cooperation", 15,
     "八是有力拓展城市合作广度和深度。共有15项重点任务"),
    ("A9", "着力提升安全发展能力", "Strengthening security of development", 13,
     "九是着力提升安全发展能力。共有13项重点任务"),
]
_YRDTC = [
    ("A1", "共建跨区域协调发展“一个群”", "One cluster: coordinated cross-regional development", "共建跨区域协调发展“一个群”"),
    ("A2", "共织基础设施互联互通“一张网”", "One network: connected infrastructure", "共织基础设施互联互通“一张网”"),
    ("A3", "共铸科技产业创新协同“一条链”", "One chain: coordinated science, technology and industry",
     "共铸科技产业创新协同“一条链”"),
    ("A4", "共促市场环境优化提升“一站享”", "One-stop services: a better market environment",
     "共促市场环境优化提升“一站享”"),
    ("A5", "共下高水平开放合作“一盘棋”", "One chessboard: high-level opening-up", "共下高水平开放合作“一盘棋”"),
    ("A6", "共用生态环境共保联治“一把尺”", "One ruler: joint environmental protection", "共用生态环境共保联治“一把尺”"),
    ("A7", "共推民生服务便利共享“一张卡”", "One card: shared public services", "共推民生服务便利共享“一张卡”"),
    ("A8", "加强组织实施", "Organisation and implementation", "强化组织实施机制"),
]
_CHENGDU = [
    ("A1", "发展布局", "Development layout"), ("A2", "设施互通", "Connected infrastructure"),
    ("A3", "创新协同", "Coordinated innovation"), ("A4", "产业协作", "Industrial cooperation"),
    ("A5", "开放共进", "Opening-up together"), ("A6", "公共服务共建共享", "Shared public services"),
    ("A7", "生态共建污染共治", "Joint ecology and pollution control"),
    ("A8", "体制改革机制创新", "Institutional reform and mechanism innovation"),
]
_CHENGDU_QUOTE = "从发展布局、设施互通、创新协同、产业协作、开放共进、公共服务共建共享、生态共建污染共治、体制改革机制创新 8 个方面"
# seed 003 chapters 二–十一 → areas; name_en
_YRD14_EN = {
    "率先构建新发展格局": "Leading the new development pattern",
    "推进重点区域联动发展": "Linked development of key areas",
    "加快构建协同创新产业体系": "A coordinated innovation and industry system",
    "推进更高水平协同开放": "Higher-level coordinated opening-up",
    "加强基础设施互联互通": "Connected infrastructure",
    "共同建设绿色美丽长三角": "A green and beautiful YRD",
    "共享更高品质公共服务": "Shared higher-quality public services",
    "创新一体化发展体制机制": "Innovating the institutions of integration",
    "高水平建设安全长三角": "A safe YRD",
    "保障措施": "Safeguards",
}

# seed 000: how each area paragraph lists its measures: (area, marker after which they start, separators,
# end marker — the first '等' phrase that closes the list)
_YRDTC_LISTS = [
    ("A1", "包括四方面创新:", "。", None),
    ("A2", "加快形成布局合理、功能完善、智慧高效的都市圈基础设施体系。包括", ";", "等。"),
    ("A3", "其中,合力争取", ";", "等,将实实在在"),
    ("A4", "其中,统一市场监管标准", ";。", "等,将有利于在防止内卷"),
    ("A5", "其中,协同创建国家服务贸易", ",", "等,将有利于提升长三角"),
    ("A6", "其中,推进生态屏障", ";", "等,均是聚焦"),
    ("A7", "其中,推动医联体", ";", "等,将进一步提升"),
]
# seed 000 组织实施: the mechanisms the paragraph names, as quotes
_YRDTC_A8 = ["建立健全多层次工作推进机制", "强化政策要素保障机制", "建立动态监测评估机制", "创新复制推广机制",
             "健全社会参与机制", "期间滚动进行年度评价,开展三年评估"]
_CN_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是)")


def _plans(seeds: dict[str, SeedText]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    plan_rows = []
    for (pid, scope, kind, title, title_en, issuer, start, end, basis, tasks, projects, status, sid, quote,
         note) in PLANS:
        seed = seeds[sid]
        line = seed.line(quote)
        if status is not None:
            status_line = seed.line(REPORTED_STATUS_QUOTES[pid])
            note = f"{note} Reported status: seed line {status_line}."
        plan_rows.append(dict(plan_id=pid, scope=scope, scope_kind=kind, title_zh=title, title_en=title_en,
                              issuer=issuer, period_start=start, period_end=end, period_basis=basis,
                              tasks_stated=tasks, projects_stated=projects, reported_status=status, source_id=sid,
                              source_line=line, source_quote=quote, note=note))
    areas = []
    s4, s0, s2 = seeds["seed_004"], seeds["seed_000"], seeds["seed_002"]
    for seq, (aid, name, name_en, n, quote) in enumerate(_YRD24, start=1):
        areas.append(dict(plan_id="yrd_3yr_2024_2026", area_id=aid, seq=seq, name_zh=name, name_en=name_en,
                          tasks_stated=n, source_id="seed_004", source_line=s4.line(quote), source_quote=quote,
                          note=None))
    for seq, (aid, name, name_en, quote) in enumerate(_YRDTC, start=1):
        areas.append(dict(plan_id="yrd_metro_tc_2025", area_id=aid, seq=seq, name_zh=name, name_en=name_en,
                          tasks_stated=None, source_id="seed_000", source_line=s0.line(quote), source_quote=quote,
                          note="per-area task counts not stated (30 in total)"))
    line = s2.line(_CHENGDU_QUOTE)
    for pid in ("chengdu_3yr_2020_2022", "chengdu_3yr_2023_2025"):
        for seq, (aid, name, name_en) in enumerate(_CHENGDU, start=1):
            areas.append(dict(plan_id=pid, area_id=aid, seq=seq, name_zh=name, name_en=name_en, tasks_stated=None,
                              source_id="seed_002", source_line=line, source_quote=_CHENGDU_QUOTE,
                              note="the seed names the 8 areas of both rounds; no per-area counts"))
    yrd14_areas, _ = _yrd14_structure(seeds["seed_003"])
    areas.extend(yrd14_areas)
    return pd.DataFrame(plan_rows, columns=PLAN_COLUMNS), pd.DataFrame(areas, columns=AREA_COLUMNS), \
        _plan_targets(seeds["seed_003"])


_CHAPTER = re.compile(r"^([二三四五六七八九十]|十一)、(.+)$")
_ITEM = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）](.+?)。?$")
_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}


def cn_number(text: str) -> int:
    """'三十六' → 36, '十' → 10, '十四' → 14."""
    if "十" not in text:
        return _CN_NUM[text]
    tens, _, ones = text.partition("十")
    return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)


def _yrd14_structure(seed: SeedText) -> tuple[list[dict], list[dict]]:
    """Seed 003: chapters 二–十一 become areas, numbered items (四)–(三十六) their tasks."""
    areas, tasks = [], []
    area = None
    expected_next = None
    for no, raw in enumerate(seed.lines, start=1):
        line = raw.strip()
        if line.startswith("附件"):
            break
        m = _CHAPTER.match(line)
        if m:
            name = m.group(2).strip()
            area = f"A{len(areas) + 1}"
            areas.append(dict(plan_id="yrd_14th_fyp_2021_2025", area_id=area, seq=len(areas) + 1,
                              name_zh=name, name_en=_YRD14_EN.get(name), tasks_stated=None, source_id="seed_003",
                              source_line=no, source_quote=line, note=None))
            continue
        m = _ITEM.match(line)
        if m and area is not None:
            num = cn_number(m.group(1))
            if expected_next is not None and num == expected_next + 1:
                # an item whose heading the OCR lost: its body is the paragraph before this heading
                body_no, body = _previous_paragraph(seed, no)
                missing = expected_next
                tasks.append(dict(task_id=f"YRD14-{missing:02d}", plan_id="yrd_14th_fyp_2021_2025",
                                  area_id=_area_of(areas, body_no), title=clean(body.split("。")[0]),
                                  source_id="seed_003", source_line=body_no,
                                  note=f"heading of item ({_cn(missing)}) missing in the OCR copy; title = its first "
                                       "sentence"))
            tasks.append(dict(task_id=f"YRD14-{num:02d}", plan_id="yrd_14th_fyp_2021_2025", area_id=area,
                              title=clean(m.group(2)), source_id="seed_003", source_line=no,
                              note="numbered item of the plan (OCR copy: a character may be wrong)"))
            expected_next = num + 1
    return areas, tasks


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _previous_paragraph(seed: SeedText, line_no: int) -> tuple[int, str]:
    for no in range(line_no - 1, 0, -1):
        text = seed.lines[no - 1].strip()
        if text and text != "[编辑]":
            return no, text
    raise ValueError("no paragraph before line %d" % line_no)


def _area_of(areas: list[dict], line_no: int) -> str:
    return [a for a in areas if a["source_line"] < line_no][-1]["area_id"]


def _plan_targets(seed: SeedText) -> pd.DataFrame:
    targets = pd.read_csv(DATA_DIR / "target.csv", dtype=str, keep_default_na=False)
    quote = "到2025年,长三角一体化发展取得实质性进展"
    line = seed.line(quote)
    rows = [dict(plan_id="yrd_14th_fyp_2021_2025", target_id=t, source_id="seed_003", source_line=line,
                 source_quote=quote) for t in targets.loc[targets["source_id"] == "seed_003", "target_id"]]
    return pd.DataFrame(rows, columns=PLAN_TARGET_COLUMNS)


# ------------------------------------------------------------------------------------------------ the tasks
def _split_sentences(seed: SeedText, start: int, end: int) -> list[tuple[int, str]]:
    """Sentences (ending in 。) of flat[start:end] with the line each starts on."""
    out, pos = [], start
    while pos < end:
        stop = seed.flat.find("。", pos, end)
        stop = end if stop < 0 else stop + 1
        text = seed.flat[pos:stop].strip()
        if text.strip("。"):
            out.append((seed.line_of[pos], clean(text)))
        pos = stop
    return out


def _yrd24_tasks(seed: SeedText) -> list[dict]:
    """Seed 004: each sentence of an area's 主要包括 list is one task."""
    tasks = []
    starts = []
    for aid, _name, _en, _n, quote in _YRD24:
        head = seed.find(quote)
        starts.append((aid, seed.find("主要包括：", head) + len("主要包括：")))
    end_all = seed.find("新一轮三年行动计划提出165项重点任务", starts[-1][1])
    for i, (aid, begin) in enumerate(starts):
        end = seed.find(_YRD24[i + 1][4]) if i + 1 < len(starts) else end_all
        for k, (line, text) in enumerate(_split_sentences(seed, begin, end), start=1):
            tasks.append(dict(task_id=f"YRD24-{aid}-{k:02d}", plan_id="yrd_3yr_2024_2026", area_id=aid,
                              title=text.rstrip("。"), source_id="seed_004", source_line=line,
                              note="listed under 主要包括 (one of the area's stated tasks; not all are listed)"))
    return tasks


def _yrdtc_tasks(seed: SeedText) -> list[dict]:
    """Seed 000: the measures each 七个一 paragraph lists, and the mechanisms of 组织实施."""
    tasks = []
    for aid, marker, seps, end_marker in _YRDTC_LISTS:
        begin = seed.find(marker)
        begin += len("其中,") if marker.startswith("其中,") else len(marker)
        end = seed.find(end_marker, begin) if end_marker else seed.find("第二是", begin)
        pieces, pos = [], begin
        pattern = re.compile("[" + re.escape(seps) + "]")
        for m in pattern.finditer(seed.flat, begin, end):
            pieces.append((pos, seed.flat[pos:m.start()]))
            pos = m.end()
        pieces.append((pos, seed.flat[pos:end]))
        k = 0
        for at, text in pieces:
            text = _CN_ORDINAL.sub("", text.strip())
            if not text:
                continue
            k += 1
            tasks.append(dict(task_id=f"YRDTC-{aid}-{k:02d}", plan_id="yrd_metro_tc_2025", area_id=aid,
                              title=clean(text), source_id="seed_000", source_line=seed.line_of[at],
                              note="a measure the news lists for this area (其中/包括); not the plan's own numbering"))
    for k, quote in enumerate(_YRDTC_A8, start=1):
        tasks.append(dict(task_id=f"YRDTC-A8-{k:02d}", plan_id="yrd_metro_tc_2025", area_id="A8", title=quote,
                          source_id="seed_000", source_line=seed.line(quote),
                          note="a mechanism the news names under 组织实施"))
    return tasks


def derive(seeds_dir: Path) -> dict[str, pd.DataFrame]:
    seeds = {sid: SeedText.read(seeds_dir, sid) for sid in SEED_FILES}
    plans, areas, plan_targets = _plans(seeds)
    _, yrd14_tasks = _yrd14_structure(seeds["seed_003"])
    tasks = pd.DataFrame(_yrd24_tasks(seeds["seed_004"]) + _yrdtc_tasks(seeds["seed_000"]) + yrd14_tasks)
    tasks = tasks.assign(lead_unit=None, deadline=None, status=UNKNOWN, evidence_text=None, evidence_link=None,
                         evidence_date=None, indicators=None, targets=None)
    yrd14 = tasks["plan_id"] == "yrd_14th_fyp_2021_2025"
    tasks = pd.concat([tasks[~yrd14], tasks[yrd14].sort_values("task_id")], ignore_index=True)
    for frame in (plans, areas, plan_targets, tasks):
        for col in ("period_start", "period_end", "tasks_stated", "projects_stated", "seq", "source_line"):
            if col in frame.columns:
                frame[col] = frame[col].astype("Int64")
    return {"plan": plans, "plan_area": areas, "plan_target": plan_targets, "plan_task": tasks[TASK_COLUMNS]}


_META = {
    "plan": ("plan", "Plans the seed documents name: id, scope, title, issuer, period, stated counts"),
    "plan_area": ("plan_area", "Task areas of the plans, with the counts the seeds state"),
    "plan_target": ("plan_target", "Which targets (target.csv) belong to which plan"),
    "plan_task": ("task", "Tasks the seed documents describe (status 未知: no seed reports one)"),
}


def run_seeds(seeds_dir: Path, data_dir: Path = DATA_DIR) -> dict[str, int]:
    tables = derive(seeds_dir)
    for name, frame in tables.items():
        table, title = _META[name]
        write_table(frame, name, {
            "table": table,
            "producer": "seeds 000, 002, 003, 004 (长三角区域合作办公室; 推动长三角一体化发展领导小组办公室; "
                        "四川省推进成德眉资同城化发展领导小组办公室 / 成都市发展改革委)",
            "title": title,
            "url": "../shared/seeds/ (000_52bc63d3756d5959.txt, 002_67e96b11509b1685.txt, 003_41f51e6188f02097.txt, "
                   "004_9fca3d7cf15168d2.txt)",
            "date_accessed": TODAY,
            "licence": "public government and news texts (cited)",
            "processing": "Derived by indicators/store/derive/plans.py from the seed texts: every row cites its seed "
                          "(source_id) and the line its text starts on (source_line); plans and areas from a declared "
                          "specification whose quotes are found in the seeds; tasks cut from the seeds' own sentences "
                          "(seed 004: sentences under 主要包括; seed 000: the measures listed after 其中/包括 and the "
                          "组织实施 mechanisms; seed 003: numbered items (四)–(三十六)). Status 未知, lead unit, deadline "
                          "and evidence empty: the seeds report none.",
        }, data_dir)
    return {name: len(frame) for name, frame in tables.items()}


def run(shared: Path) -> None:
    """Derive step entry point: the seeds live next to the shared data folder."""
    run_seeds(Path(shared).parent / "seeds")
