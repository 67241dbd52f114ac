"""What the Flows page draws for one metro and one flow kind: OD frame, seats, share toward the core."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.i18n import place_names, t
from indicators.ui import loaders
from indicators.ui.indicator_view import source_names

# Kinds where 'share of flows toward the core' is meaningful (quantities, not times or distances).
SHAREABLE_KINDS = {"migration_share", "tencent_trip_share", "commuting", "gravity_linkage", "commuters"}


@dataclass
class FlowsView:
    kind: str
    unit: str
    year: int | None
    period: str | None
    od: pd.DataFrame            # origin_code, dest_code, origin_name, dest_name, value, quality
    order: list[str]            # city names, core first
    seats: pd.DataFrame         # code, name, lon, lat
    member_codes: list[str]
    core_share: pd.DataFrame    # name, share (%)
    modelled: bool
    shareable: bool
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def kinds() -> list[str]:
    fk = loaders.flow_kinds()
    return list(fk["kind"]) if not fk.empty else []


def flows_view(metro_id: str, kind: str, year: int | None, lang: str) -> FlowsView:
    """Flows of ``kind`` among the metro's members in ``year`` (or the nearest earlier year with data)."""
    mem = loaders.members()
    mem = mem[mem["metro_id"] == metro_id]
    codes = list(mem["code"])
    core = mem.loc[mem["role"] == "core", "code"]
    core_code = core.iloc[0] if not core.empty else (codes[0] if codes else None)
    names = dict(zip(mem["code"], place_names(mem["name_zh"], mem["name_en"], lang, loaders.province_of(mem["code"], lang))))
    seats = pd.DataFrame({"code": codes, "name": [names[c] for c in codes],
                          "lon": mem["seat_lon"].to_numpy(), "lat": mem["seat_lat"].to_numpy()}).dropna()
    order = [names[c] for c in sorted(codes, key=lambda c: (c != core_code, c))]
    fl = loaders.flows(kind)
    fl = fl[fl["origin_code"].isin(codes) & fl["dest_code"].isin(codes) & (fl["origin_code"] != fl["dest_code"])]
    have = sorted(int(y) for y in fl["year"].unique())
    earlier = [y for y in have if year is None or y <= year]
    year = (earlier[-1] if earlier else have[0]) if have else None
    fl = fl[fl["year"] == year] if year is not None else fl
    # one value per pair (the first source when several)
    fl = fl.drop_duplicates(["origin_code", "dest_code"])
    od = fl.assign(origin_name=fl["origin_code"].map(names), dest_name=fl["dest_code"].map(names))
    shareable = kind in SHAREABLE_KINDS
    share_rows = []
    if shareable and core_code is not None:
        for code in codes:
            if code == core_code:
                continue
            out = od[od["origin_code"] == code]
            total = float(out["value"].sum())
            if total > 0:
                to_core = float(out.loc[out["dest_code"] == core_code, "value"].sum())
                share_rows.append({"code": code, "name": names[code], "share": 100.0 * to_core / total})
    return FlowsView(
        kind=kind, unit=str(fl["unit"].iloc[0]) if not fl.empty else "",
        year=year, period=str(fl["period"].dropna().iloc[0]) if fl["period"].notna().any() else None,
        od=od[["origin_code", "dest_code", "origin_name", "dest_name", "value", "quality", "note"]],
        order=order, seats=seats, member_codes=codes,
        core_share=pd.DataFrame(share_rows, columns=["code", "name", "share"]),
        modelled=bool(fl["quality"].isin(["modelled", "estimate", "synthetic"]).any()),
        shareable=shareable,
        notes=flow_notes(fl, lang),
        sources=source_names(fl.drop(columns=[c for c in ("name",) if c in fl]), lang) if not fl.empty else [],
    )


def flow_notes(fl: pd.DataFrame, lang: str) -> list[str]:
    """What a reader must know about the flows shown, in the page's language: the method of computed flows
    and what the source's sample leaves out (from the citations), implausible values to verify, partial
    members counted whole. One joined note (the stored per-row notes are working notes, not for readers)."""
    from indicators.ui.citations_view import citations

    if fl is None or fl.empty:
        return []
    cit = citations().set_index("source_id")
    en = lang == "en"
    out: list[str] = []
    for sid in dict.fromkeys(fl["source_id"].astype(str)):
        if sid not in cit.index:
            continue
        row = cit.loc[sid]
        for col in ((f"document_{'en' if en else 'zh'}",) if row.get("kind") == "computed" else ()) + \
                (f"original_note_{'en' if en else 'zh'}",):
            text = row.get(col)
            if isinstance(text, str) and text.strip():
                out.append(text.strip())
    raw = fl["note"].fillna("").astype(str)
    n_check = int(raw.str.contains("CHECK").sum())
    if n_check:
        out.append(t("flows.check_note", lang, n=n_check))
    if raw.str.contains("partial member").any():
        out.append(t("flows.partial_note", lang))
    return [("; " if en else "；").join(dict.fromkeys(out))] if out else []
