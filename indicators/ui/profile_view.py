"""The non-index parts of a metro profile: plan, members table, reported figures with document and date."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.i18n import pick, t
from indicators.ui import loaders


@dataclass
class ProfileView:
    metro_id: str
    name: str
    plan_document: str | None
    plan_year: int | None
    membership_basis: str | None
    members: pd.DataFrame   # display table
    facts: pd.DataFrame     # display table
    seats: pd.DataFrame     # code, name, lon, lat (map labels)


def profile_view(metro_id: str, lang: str) -> ProfileView:
    metros = loaders.metros()
    row = metros[metros["metro_id"] == metro_id]
    info = row.iloc[0] if not row.empty else None
    mem = loaders.members()
    mem = mem[mem["metro_id"] == metro_id]
    members = pd.DataFrame({
        t("data.city", lang): [pick(z, e, lang) for z, e in zip(mem["name_zh"], mem["name_en"])],
        "code": mem["code"].to_numpy(),
        "role": [t(f"role.{r}", lang) for r in mem["role"]],
        "parts": mem["parts"].fillna("").to_numpy(),
        "km²": mem["land_area_km2"].to_numpy(),
        "source": mem["source_id"].to_numpy(),
    })
    fc = loaders.facts()
    fc = fc[fc["metro_id"] == metro_id]
    facts = pd.DataFrame({
        "topic": fc["topic"].to_numpy(),
        "statement": [pick(z, e, lang) for z, e in zip(fc["statement_zh"], fc["statement_en"])],
        "value": fc["value"].to_numpy(),
        "unit": fc["unit"].to_numpy(),
        "as_of": fc["as_of"].to_numpy(),
        "document": fc["source_title"].fillna(fc["source_id"]).to_numpy(),
        "published": fc["date_published"].to_numpy(),
        "quality": [t(f"quality.{q}", lang) for q in fc["quality"]],
    })
    return ProfileView(
        metro_id=metro_id,
        name=pick(info["name_zh"], info["name_en"], lang) if info is not None else metro_id,
        plan_document=info["plan_document"] if info is not None else None,
        plan_year=int(info["plan_year"]) if info is not None and pd.notna(info["plan_year"]) else None,
        membership_basis=info["membership_basis"] if info is not None else None,
        members=members, facts=facts,
        seats=pd.DataFrame({"code": mem["code"].to_numpy(),
                            "name": [pick(z, e, lang) for z, e in zip(mem["name_zh"], mem["name_en"])],
                            "lon": mem["seat_lon"].to_numpy(), "lat": mem["seat_lat"].to_numpy()}).dropna(),
    )
