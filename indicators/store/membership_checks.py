"""Build-time checks of the county-level memberships in ``data/`` (issue 11).

``check_membership_files(data_dir)`` reads ``metro_county_member.csv``, ``metro_scope_member.csv``,
``metro_scope.csv`` and ``census_unit.csv`` and raises :class:`MembershipProblem` listing every offending row as
``<file>: row <n>: <reason>`` (row = the line in the file, header = line 1):

* a county that does not exist, or is not in the named prefecture at the date of the membership (the year of
  ``valid_from``, else the metro's plan year; county re-affiliations since 2010 are applied);
* a county claimed twice in one metro and scope with overlapping validity (or a prefecture, in scope members);
* validity inverted (valid_from after valid_to);
* a part member without counties, or counties of a prefecture that is not a part member;
* a metro without both scopes in ``metro_scope``.
Files that are absent are not checked (a data folder without county memberships is still a valid store).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

MAX_LISTED = 12


class MembershipProblem(ValueError):
    """Membership rows that cannot be right; the message names file, row and reason for each."""


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _year(value, default: int) -> int:
    if isinstance(value, str) and value[:4].isdigit():
        return int(value[:4])
    return default


def _overlap(a0, a1, b0, b1) -> bool:
    lo = lambda v: v if isinstance(v, str) and v else "0000-00-00"   # noqa: E731
    hi = lambda v: v if isinstance(v, str) and v else "9999-99-99"   # noqa: E731
    return lo(a0) <= hi(b1) and lo(b0) <= hi(a1)


def _duplicates(df: pd.DataFrame, keys: list[str], file: str, what: str) -> list[str]:
    out = []
    for _, g in df.groupby(keys, sort=False):
        if len(g) < 2:
            continue
        rows = list(g.itertuples())
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                a, b = rows[i], rows[j]
                if _overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                    key = ", ".join(f"{k}={getattr(b, k)}" for k in keys)
                    same = (a.valid_from == b.valid_from) or (pd.isna(a.valid_from) and pd.isna(b.valid_from))
                    why = f"{what} claimed twice ({key}; also row {a.Index + 2})" if same else \
                        f"overlapping validity ({key}: {a.valid_from or '…'}–{a.valid_to or '…'} in row {a.Index + 2})"
                    out.append(f"{file}: row {b.Index + 2}: {why}")
    return out


def check_frames(county: pd.DataFrame, scope_members: pd.DataFrame | None, units: pd.DataFrame,
                 metro: pd.DataFrame | None = None, scopes: pd.DataFrame | None = None,
                 county_file: str = "metro_county_member.csv", scope_file: str = "metro_scope_member.csv") -> list[str]:
    """Every problem as '<file>: row <n>: <reason>' (empty list: consistent)."""
    problems: list[str] = []
    plan_year = {}
    if metro is not None and "plan_year" in metro:
        plan_year = {m: int(float(y)) for m, y in zip(metro["metro_id"], metro["plan_year"]) if isinstance(y, str) and y}
    u = units[units["level"] == "county"].set_index("code")
    names = dict(zip(units["code"], units["name_zh"]))
    for r in county.itertuples():
        row = r.Index + 2
        code = str(r.county_code)
        year = _year(r.valid_from, plan_year.get(r.metro_id, 2020))
        if isinstance(r.valid_from, str) and isinstance(r.valid_to, str) and r.valid_from and r.valid_to and r.valid_from > r.valid_to:
            problems.append(f"{county_file}: row {row}: validity inverted ({r.valid_from} after {r.valid_to})")
        if code not in u.index:
            problems.append(f"{county_file}: row {row}: unknown county {code} (not a county-level unit of the census)")
            continue
        cur = u.loc[code]
        pref_then = cur["prefecture_code"]
        moved = cur.get("affiliation_from_year")
        if isinstance(moved, str) and moved and year < int(float(moved)) and isinstance(cur.get("prev_prefecture_code"), str):
            pref_then = cur["prev_prefecture_code"]
        if str(r.prefecture_code) != pref_then:
            problems.append(
                f"{county_file}: row {row}: county {code} {cur['name_zh']} is not in prefecture {r.prefecture_code} "
                f"{names.get(str(r.prefecture_code), '')} in {year} (it is in {pref_then} {names.get(pref_then, '')})")
    problems += _duplicates(county, ["metro_id", "scope", "county_code"], county_file, "county")
    if scope_members is not None:
        for r in scope_members.itertuples():
            if isinstance(r.valid_from, str) and isinstance(r.valid_to, str) and r.valid_from and r.valid_to and r.valid_from > r.valid_to:
                problems.append(f"{scope_file}: row {r.Index + 2}: validity inverted ({r.valid_from} after {r.valid_to})")
        problems += _duplicates(scope_members, ["metro_id", "scope", "code"], scope_file, "prefecture")
        parts = scope_members[scope_members["coverage"] == "part"]
        with_counties = set(zip(county["metro_id"], county["scope"], county["prefecture_code"]))
        for r in parts.itertuples():
            if (r.metro_id, r.scope, r.code) not in with_counties:
                problems.append(f"{scope_file}: row {r.Index + 2}: part member {r.code} of {r.metro_id} ({r.scope}) has no counties")
        part_keys = set(zip(parts["metro_id"], parts["scope"], parts["code"]))
        for r in county.itertuples():
            if (r.metro_id, r.scope, r.prefecture_code) not in part_keys:
                problems.append(f"{county_file}: row {r.Index + 2}: prefecture {r.prefecture_code} is not a part member "
                                f"of {r.metro_id} ({r.scope})")
    if metro is not None and scopes is not None:
        have = set(zip(scopes["metro_id"], scopes["scope"]))
        for i, m in enumerate(metro["metro_id"]):
            for s in ("plan", "extended"):
                if (m, s) not in have:
                    problems.append(f"metro_scope.csv: metro {m} (metro.csv row {i + 2}) has no {s} scope")
    return problems


def check_membership_files(data_dir: Path) -> None:
    data_dir = Path(data_dir)
    cpath, upath = data_dir / "metro_county_member.csv", data_dir / "census_unit.csv"
    if not cpath.exists() or not upath.exists():
        return
    spath, mpath, scpath = data_dir / "metro_scope_member.csv", data_dir / "metro.csv", data_dir / "metro_scope.csv"
    problems = check_frames(
        _read(cpath), _read(spath) if spath.exists() else None, _read(upath),
        _read(mpath) if mpath.exists() else None, _read(scpath) if scpath.exists() else None)
    if problems:
        more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        raise MembershipProblem(f"{len(problems)} membership problem(s):\n  " + "\n  ".join(problems[:MAX_LISTED]) + more)
