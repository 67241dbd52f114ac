"""对标: compare our ranking with a published assessment and explain where they differ (pure: no store, no UI).

A **reference** is a table with a metro name or id and at least one of ``rank``, ``tier`` and ``score``
(:func:`read_reference`; the format is in the README). :func:`reconcile` matches its names to our metros,
ranks both sides within the matched set, and returns one row per matched metro with an explanation of each
disagreement that names the dimensions and member cities behind it, plus

* ``kendall_tau`` — ``scipy.stats.kendalltau`` (τ-b, ties allowed) of our ranks and the reference ranks over the
  matched metros (a tier-only reference ranks by tier: its ties count as ties);
* ``matched`` — how many reference rows matched a metro with a score;
* ``tier_agreement`` — when tiers are given: share of matched metros whose tier we reproduce when we cut our own
  order into tiers of the reference's sizes;
* ``unmatched`` — reference names matching no metro, and matched metros without our score, listed, never dropped.

The aim is to explain, not to agree: nothing here changes weights.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import kendalltau

NAME_COLUMNS = ("metro_zh", "metro", "metro_name", "name_zh", "name", "都市圈", "名称", "name_en", "metro_id")
CITY_COLUMNS = ("city_zh", "city", "city_name", "city_code", "城市")
EDITION_COLUMNS = ("released", "edition_year", "edition", "year")
RANK_COLUMNS = ("rank", "reference_rank", "排名", "名次")
TIER_COLUMNS = ("tier", "reference_tier", "梯队", "层级")
SCORE_COLUMNS = ("score", "reference_score", "得分", "分数")
_SUFFIXES = ("大都市圈", "都市圈", "都市区", "metropolitan area", "metro")


class ReferenceError(ValueError):
    """A reference file that cannot be read; the message names file, row, column and reason."""


@dataclass(frozen=True)
class Reference:
    frame: pd.DataFrame           # name, rank, tier, tier_level, score, row (1-based data row number in the file)
    path: str
    has_rank: bool
    has_tier: bool
    has_score: bool
    level: str = "metro"          # "city": names are cities, to aggregate to metros (aggregate_cities)
    edition: str | None = None    # the edition used when the file holds several
    editions: tuple[str, ...] = ()
    note: str = ""                # how the frame was formed (edition chosen, cities aggregated)


@dataclass
class ReconcileResult:
    rows: pd.DataFrame            # see ROW_COLUMNS
    kendall_tau: float
    p_value: float
    matched: int
    tier_agreement: float | None
    unmatched: list[str] = field(default_factory=list)       # reference names matching no metro
    unscored: list[str] = field(default_factory=list)        # matched metros we do not rank (no score / not ranked)
    reference_note: str = ""                                  # edition chosen, cities aggregated (how the frame was formed)


ROW_COLUMNS = ["metro_id", "reference_name", "our_rank", "reference_rank", "reference_tier", "our_tier", "our_score",
               "reference_score", "agrees", "explanation"]


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    low = {c.strip().lower(): c for c in columns}
    for n in names:
        if n.lower() in low:
            return low[n.lower()]
    return None


def _number(text: str, path: str, row: int, column: str, what: str) -> float:
    s = str(text).strip()
    if s == "":
        return math.nan
    try:
        return float(s)
    except ValueError:
        raise ReferenceError(f"{path}: row {row}, column {column!r}: {what} must be a number, not {s!r}") from None


def _tier_level(text: str, path: str, row: int, column: str) -> float:
    s = str(text).strip()
    if s == "":
        return math.nan
    m = re.match(r"^\s*(\d+)", s)
    if not m:
        raise ReferenceError(f"{path}: row {row}, column {column!r}: a tier must start with its level number "
                             f"(1 = top), e.g. '1 全能综合型', not {s!r}")
    return float(m.group(1))


def read_reference(source: str | Path | io.TextIOBase, name: str | None = None, edition: str | None = None) -> Reference:
    """Read a reference CSV (UTF-8, with or without BOM). Errors name the file, row, column and reason.

    A file holding several editions (a column ``released``, ``edition_year``, ``edition`` or ``year``) is cut to
    ``edition`` (a value of one of those columns) or, by default, to the latest one. A file naming cities
    (``city_zh`` …) instead of metros has ``level == "city"``: aggregate it with :func:`aggregate_cities`."""
    if isinstance(source, (str, Path)):
        path = str(source)
        p = Path(source)
        if not p.exists():
            raise ReferenceError(f"{path}: no such file")
        text = p.read_text(encoding="utf-8-sig")
    else:
        path = name or "<reference>"
        text = source.read()
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise ReferenceError(f"{path}: empty file (expected a header row with a metro name or id and rank/tier/score)")
    header = [h.strip() for h in rows[0]]
    name_col = _pick(header, NAME_COLUMNS)
    level = "metro"
    if name_col is None:
        name_col = _pick(header, CITY_COLUMNS)
        level = "city"
    if name_col is None:
        raise ReferenceError(f"{path}: row 1: no metro column; name one of {', '.join(NAME_COLUMNS)} "
                             f"(or a city column, {', '.join(CITY_COLUMNS)}, to aggregate cities to metros)")
    numbered = [(i, r + [""] * (len(header) - len(r))) for i, r in enumerate(rows[1:], start=2)]
    ed_cols = [c for c in (_pick(header, (e,)) for e in EDITION_COLUMNS) if c]
    editions: list[str] = []
    chosen = None
    if ed_cols:
        idx = [header.index(c) for c in ed_cols]
        key = lambda r: " · ".join(r[j].strip() for j in idx if r[j].strip())   # noqa: E731
        editions = sorted({key(r) for _, r in numbered})
        if edition is not None:
            keep = [(i, r) for i, r in numbered if edition in [r[j].strip() for j in idx] or key(r) == edition]
            if not keep:
                raise ReferenceError(f"{path}: no rows of edition {edition!r}; editions: {'; '.join(editions)}")
            numbered, chosen = keep, edition
        elif len(editions) > 1:
            # the latest: by the first edition column that orders them (released date, then edition year)
            j = idx[0]
            latest = max(r[j].strip() for _, r in numbered)
            numbered = [(i, r) for i, r in numbered if r[j].strip() == latest]
            chosen = latest
    rows = [rows[0]] + [r for _, r in numbered]
    row_numbers = [i for i, _ in numbered]
    rank_col, tier_col, score_col = (_pick(header, RANK_COLUMNS), _pick(header, TIER_COLUMNS), _pick(header, SCORE_COLUMNS))
    if not (rank_col or tier_col or score_col):
        raise ReferenceError(f"{path}: row 1: no 'rank', 'tier' or 'score' column (at least one is needed)")
    out, seen = [], {}
    fallbacks = [c for c in (_pick(header, (n,)) for n in (NAME_COLUMNS if level == "metro" else CITY_COLUMNS)) if c]
    for i, r in zip(row_numbers, rows[1:]):
        rec = dict(zip(header, r))
        nm = next((rec[c].strip() for c in fallbacks if rec[c].strip()), "")   # e.g. metro_id blank: metro_zh
        if not nm:
            raise ReferenceError(f"{path}: row {i}, column {name_col!r}: the metro name is empty")
        if nm in seen:
            raise ReferenceError(f"{path}: row {i}, column {name_col!r}: {nm!r} already given in row {seen[nm]}")
        seen[nm] = i
        rank = _number(rec[rank_col], path, i, rank_col, "a rank") if rank_col else math.nan
        score = _number(rec[score_col], path, i, score_col, "a score") if score_col else math.nan
        tier = rec[tier_col].strip() if tier_col else ""
        tier_level = _tier_level(tier, path, i, tier_col) if tier_col else math.nan
        if math.isnan(rank) and math.isnan(score) and math.isnan(tier_level):
            raise ReferenceError(f"{path}: row {i}: {nm!r} has no rank, tier or score")
        if not math.isnan(rank) and rank < 1:
            raise ReferenceError(f"{path}: row {i}, column {rank_col!r}: a rank starts at 1, not {rank:g}")
        out.append({"name": nm, "rank": rank, "tier": tier or None, "tier_level": tier_level, "score": score, "row": i})
    frame = pd.DataFrame(out, columns=["name", "rank", "tier", "tier_level", "score", "row"])
    note = f"edition {chosen} ({len(editions)} in the file)" if chosen and len(editions) > 1 else ""
    return Reference(frame, path, bool(frame["rank"].notna().any()), bool(frame["tier_level"].notna().any()),
                     bool(frame["score"].notna().any()), level, chosen, tuple(editions), note)


CITY_RULE = ("population-weighted mean of the member cities' scores (weights: year-end resident population); "
             "a metro only when every member has a score; rank = order of these means (1 = best)")


def aggregate_cities(ref: Reference, members: pd.DataFrame, population: dict[str, float],
                     city_names: dict[str, str]) -> Reference:
    """A city-level reference as metros: ``members`` (metro_id, code), ``population`` code → weight,
    ``city_names`` reference city name → code. Rule: :data:`CITY_RULE`. Needs scores."""
    if ref.level != "city":
        return ref
    if not ref.has_score:
        raise ReferenceError(f"{ref.path}: a city-level reference needs a 'score' column to aggregate to metros")
    code_of = {n: city_names.get(n) for n in ref.frame["name"]}
    unknown = [f"{n} (row {r})" for n, r in zip(ref.frame["name"], ref.frame["row"]) if code_of[n] is None]
    if unknown:
        raise ReferenceError(f"{ref.path}: cities not recognised: {', '.join(unknown)}")
    score = dict(zip(ref.frame["name"].map(code_of), ref.frame["score"]))
    rows = []
    for metro, g in members.groupby("metro_id", sort=True):
        codes = sorted(set(g["code"].astype(str)))
        if not all(c in score and not math.isnan(score[c]) for c in codes):
            continue
        w = [population.get(c, math.nan) for c in codes]
        if any(math.isnan(x) for x in w) or sum(w) <= 0:
            continue
        rows.append({"name": metro, "score": sum(score[c] * x for c, x in zip(codes, w)) / sum(w)})
    f = pd.DataFrame(rows, columns=["name", "score"])
    f["rank"] = f["score"].rank(ascending=False, method="min")
    f["tier"], f["tier_level"], f["row"] = None, math.nan, 0
    f = f[["name", "rank", "tier", "tier_level", "score", "row"]]
    note = "; ".join(x for x in (ref.note, f"{len(ref.frame)} cities aggregated to {len(f)} metros: {CITY_RULE}") if x)
    return Reference(f, ref.path, True, False, True, "metro", ref.edition, ref.editions, note)


def _key(text: str) -> str:
    s = str(text).strip().lower()
    for suf in _SUFFIXES:
        if s.endswith(suf.lower()) and len(s) > len(suf):
            s = s[: -len(suf)].strip()
            break
    return re.sub(r"[\s'’\-()（）]|市$", "", s)


def match_names(names: list[str], metros: pd.DataFrame) -> dict[str, str | None]:
    """Reference name → metro_id (None when nothing matches). ``metros``: metro_id, name_zh, name_en and
    optionally core_name_zh. A name matches a metro's id, its Chinese or English name with or without
    都市圈/大都市圈/"metropolitan area", or its core city's name."""
    keys: dict[str, set[str]] = {}
    for m in metros.itertuples(index=False):
        for v in (m.metro_id, getattr(m, "name_zh", ""), getattr(m, "name_en", ""), getattr(m, "core_name_zh", "")):
            if isinstance(v, str) and v:
                keys.setdefault(_key(v), set()).add(m.metro_id)
                keys.setdefault(v.strip().lower(), set()).add(m.metro_id)
    out = {}
    for n in names:
        hits = keys.get(n.strip().lower()) or keys.get(_key(n)) or set()
        out[n] = next(iter(hits)) if len(hits) == 1 else None
    return out


def reference_ranks(ref: pd.DataFrame) -> pd.Series:
    """The rank used for τ: the given rank, else the score's rank (higher = better), else the tier level."""
    if ref["rank"].notna().all():
        return ref["rank"].astype(float)
    if ref["score"].notna().all():
        return ref["score"].rank(ascending=False, method="min")
    if ref["tier_level"].notna().all():
        return ref["tier_level"].astype(float)
    # mixed: rank where given, else tier level, never invented
    return ref["rank"].fillna(ref["tier_level"]).astype(float)


def tiers_like(order: list[str], reference_levels: dict[str, float]) -> dict[str, float]:
    """Cut our order (best first) into tiers of the reference's sizes: our tier for each metro."""
    sizes = pd.Series(list(reference_levels.values())).value_counts().sort_index()
    out, pos = {}, 0
    for level, n in sizes.items():
        for m in order[pos: pos + int(n)]:
            out[m] = float(level)
        pos += int(n)
    return out


_TXT = {
    "zh": {"agree": "一致", "higher": "我们排得更靠前（第{ours}名，对方第{ref}）", "lower": "我们排得更靠后（第{ours}名，对方第{ref}）",
           "tier_higher": "我们排得更靠前（我们第{ot}梯队，对方第{rt}梯队）", "tier_lower": "我们排得更靠后（我们第{ot}梯队，对方第{rt}梯队）",
           "dims_up": "主要因为{dims}高于对标都市圈中位数", "dims_down": "主要因为{dims}低于对标都市圈中位数",
           "dim": "{name} {score:.0f}分（中位数 {median:.0f}）", "via": "其中{indicator}{members}", "members": "：{list}",
           "no_dims": "维度得分与中位数相差不大，差异来自对方体系中我们没有的指标", "sep": "；", "list_sep": "、",
           "evidence": "（{evidence}）", "ref_rank": "第{r}", "unscored": "{name}（我们未排名）",
           "duplicate": "{name}（与另一行匹配同一都市圈）"},
    "en": {"agree": "agrees", "higher": "we rank it higher (ours {ours}, theirs {ref})", "lower": "we rank it lower (ours {ours}, theirs {ref})",
           "tier_higher": "we place it higher (our tier {ot}, theirs {rt})", "tier_lower": "we place it lower (our tier {ot}, theirs {rt})",
           "dims_up": "mainly because {dims} are above the matched metros' median", "dims_down": "mainly because {dims} are below the matched metros' median",
           "dim": "{name} {score:.0f} (median {median:.0f})", "via": "driven by {indicator}{members}", "members": ": {list}",
           "no_dims": "its dimension scores are close to the median: the difference comes from indicators the reference uses and we do not",
           "sep": "; ", "list_sep": ", ", "evidence": " ({evidence})", "ref_rank": "{r}", "unscored": "{name} (not ranked by us)",
           "duplicate": "{name} (matches the same metro as another row)"},
}


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.1f}"


def explain(metro: str, direction: int, dims: pd.DataFrame, drivers: pd.DataFrame, members: pd.DataFrame,
            dim_names: dict[str, str], indicator_names: dict[str, str], lang: str = "zh", top: int = 2) -> str:
    """Why we rank ``metro`` higher (direction +1) or lower (-1) than the reference: the ``top`` dimensions whose
    score deviates most from the matched metros' median in that direction, the indicator driving each (largest
    deviation of its contribution from the median) and the member cities behind that indicator.

    ``dims``: metro_id, dimension, score (matched metros). ``drivers``: metro_id, dimension, indicator,
    contribution[, evidence_note]. ``members``: metro_id, indicator, member (display text, extreme first), or a
    callable (metro, indicator, direction) → list of display texts."""
    T = _TXT[lang]
    d = dims.dropna(subset=["score"])
    med = d.groupby("dimension")["score"].median()
    mine = d[d["metro_id"] == metro].set_index("dimension")["score"]
    dev = (mine - med.reindex(mine.index)).dropna() * direction
    dev = dev[dev > 0.5].sort_values(ascending=False).head(top)
    if dev.empty:
        return T["no_dims"]
    parts = []
    for dim in dev.index:
        text = T["dim"].format(name=dim_names.get(dim, dim), score=mine[dim], median=med[dim])
        c = drivers[(drivers["dimension"] == dim)].dropna(subset=["contribution"])
        if len(c):
            cmed = c.groupby("indicator")["contribution"].median()
            cm = c[c["metro_id"] == metro].set_index("indicator")
            if len(cm):
                cdev = ((cm["contribution"] - cmed.reindex(cm.index)) * direction).dropna()
                if len(cdev) and cdev.max() > 0:
                    ind = str(cdev.idxmax())
                    mem = members(metro, ind, direction) if callable(members) else \
                        members[(members["metro_id"] == metro) & (members["indicator"] == ind)]["member"].tolist()
                    extra = T["members"].format(list=T["list_sep"].join(mem[:3])) if mem else ""
                    ev = cm.at[ind, "evidence_note"] if "evidence_note" in cm.columns else None
                    if isinstance(ev, str) and ev:
                        extra += T["evidence"].format(evidence=ev)
                    via = T["via"].format(indicator=indicator_names.get(ind, ind), members=extra)
                    text += (", " if lang == "en" else "，") + via
        parts.append(text)
    key = "dims_up" if direction > 0 else "dims_down"
    return T[key].format(dims=T["sep"].join(parts))


def reconcile(ours: pd.DataFrame, reference: Reference, metros: pd.DataFrame, dims: pd.DataFrame | None = None,
              drivers: pd.DataFrame | None = None, members: pd.DataFrame | None = None,
              dim_names: dict[str, str] | None = None, indicator_names: dict[str, str] | None = None,
              lang: str = "zh") -> ReconcileResult:
    """Compare ``ours`` (metro_id, score[, ranked]: our index for one framework and year) with ``reference``.

    ``metros`` (metro_id, name_zh, name_en[, core_name_zh]) is used to match names. ``dims``, ``drivers`` and
    ``members`` (see :func:`explain`) feed the explanations; without them a disagreement says only its direction.
    Ranks on both sides are re-counted within the matched set (1 = best; ties share the best rank)."""
    T = _TXT[lang]
    dims = dims if dims is not None else pd.DataFrame(columns=["metro_id", "dimension", "score"])
    drivers = drivers if drivers is not None else pd.DataFrame(columns=["metro_id", "dimension", "indicator", "contribution"])
    members = members if members is not None else pd.DataFrame(columns=["metro_id", "indicator", "member"])
    ref = reference.frame.copy()
    ids = match_names(list(ref["name"]), metros)
    ref["metro_id"] = ref["name"].map(ids)
    unmatched = [n for n in ref["name"] if ids[n] is None]
    dup = ref[ref["metro_id"].notna() & ref["metro_id"].duplicated(keep="first")]
    unmatched += [T["duplicate"].format(name=n) for n in dup["name"]]
    ref = ref[ref["metro_id"].notna() & ~ref.index.isin(dup.index)]
    o = ours.dropna(subset=["score"]).copy()
    if "ranked" in o.columns:
        o = o[o["ranked"].fillna(False).astype(bool)]
    scored = set(o["metro_id"])
    shown = dict(zip(metros["metro_id"], metros["name_en" if lang == "en" else "name_zh"])) \
        if {"name_zh", "name_en"} <= set(metros.columns) else {}
    unscored = [T["unscored"].format(name=shown.get(m) or n) for n, m in zip(ref["name"], ref["metro_id"]) if m not in scored]
    ref = ref[ref["metro_id"].isin(scored)].reset_index(drop=True)
    ref["reference_rank"] = reference_ranks(ref).rank(method="min").to_numpy() if len(ref) else []
    o = o[o["metro_id"].isin(set(ref["metro_id"]))].set_index("metro_id")
    our_rank = o["score"].rank(ascending=False, method="min")
    ref["our_score"] = ref["metro_id"].map(o["score"])
    ref["our_rank"] = ref["metro_id"].map(our_rank)
    tier_agreement = None
    ref["our_tier"] = np.nan
    if reference.has_tier and ref["tier_level"].notna().any():
        tiered = ref[ref["tier_level"].notna()]
        order = list(tiered.sort_values(["our_score", "metro_id"], ascending=[False, True])["metro_id"])
        ours_t = tiers_like(order, dict(zip(tiered["metro_id"], tiered["tier_level"])))
        ref["our_tier"] = ref["metro_id"].map(ours_t)
        tier_agreement = float((tiered["metro_id"].map(ours_t) == tiered["tier_level"]).mean())
    if len(ref) >= 2 and ref["our_rank"].nunique() > 1 and ref["reference_rank"].nunique() > 1:
        res = kendalltau(ref["our_rank"].to_numpy(float), ref["reference_rank"].to_numpy(float))
        tau, p = float(res.statistic), float(res.pvalue)
    else:
        tau, p = math.nan, math.nan
    d = dims[dims["metro_id"].isin(set(ref["metro_id"]))]
    dr = drivers[drivers["metro_id"].isin(set(ref["metro_id"]))]
    rows = []
    for r in ref.itertuples(index=False):
        if reference.has_tier and not math.isnan(r.tier_level) and not math.isnan(r.our_tier):
            agrees = r.our_tier == r.tier_level
            direction = 0 if agrees else (1 if r.our_tier < r.tier_level else -1)
            head = "" if agrees else T["tier_higher" if direction > 0 else "tier_lower"].format(
                ot=_fmt(r.our_tier), rt=_fmt(r.tier_level))
        else:
            agrees = r.our_rank == r.reference_rank
            direction = 0 if agrees else (1 if r.our_rank < r.reference_rank else -1)
            head = "" if agrees else T["higher" if direction > 0 else "lower"].format(
                ours=_fmt(r.our_rank), ref=_fmt(r.reference_rank))
        if agrees:
            text = T["agree"]
        else:
            why = explain(r.metro_id, direction, d, dr, members, dim_names or {}, indicator_names or {}, lang)
            text = head + ("：" if lang == "zh" else ": ") + why
        rows.append({"metro_id": r.metro_id, "reference_name": r.name, "our_rank": r.our_rank,
                     "reference_rank": r.reference_rank, "reference_tier": r.tier, "our_tier": r.our_tier,
                     "our_score": r.our_score, "reference_score": r.score, "agrees": bool(agrees), "explanation": text})
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS).sort_values(["reference_rank", "our_rank"]).reset_index(drop=True)
    return ReconcileResult(frame, tau, p, int(len(frame)), tier_agreement, unmatched, unscored, reference.note)
