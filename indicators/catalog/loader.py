"""Load and save the catalog and frameworks; every error names the file and line.

* ``load_catalog(path=None)`` → :class:`Catalog` (``indicators/catalog/indicators.yaml``).
* ``load_frameworks(catalog=None, user_dir=None)`` → {id: Framework}: the shipped frameworks
  (``indicators/catalog/frameworks/*.yaml``) and the analysts' own (``<project>/data/frameworks_user/``,
  or ``$TONGCHENG_USER_FRAMEWORKS``). Each is validated against the catalog.
* ``save_framework(framework, directory=None)`` validates and writes ``<directory>/<id>.yaml``.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from indicators.catalog.models import Catalog, Framework, IndicatorDef
from indicators.catalog.yaml_lines import CatalogError, Lines, line_of, load_with_lines, parse_with_lines
from indicators.paths import CATALOG_DIR, DATA_DIR

CATALOG_PATH = CATALOG_DIR / "indicators.yaml"
FRAMEWORKS_DIR = CATALOG_DIR / "frameworks"


def user_frameworks_dir() -> Path:
    """Where analysts' frameworks are saved: $TONGCHENG_USER_FRAMEWORKS or <project>/data/frameworks_user/."""
    env = os.environ.get("TONGCHENG_USER_FRAMEWORKS")
    return Path(env) if env else DATA_DIR / "frameworks_user"


def _raise_validation(file: Path | str, lines: Lines, exc: ValidationError, prefix: tuple = ()) -> None:
    err = exc.errors()[0]
    loc = prefix + tuple(err["loc"])
    where = ".".join(str(p) for p in loc)
    more = f" (+{len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    raise CatalogError(file, line_of(lines, loc), f"{where}: {err['msg']}{more}") from None


def parse_catalog(data: Any, lines: Lines, file: Path | str) -> Catalog:
    if not isinstance(data, dict) or set(data) != {"indicators"} or not isinstance(data["indicators"], list):
        raise CatalogError(file, line_of(lines, ()), "the catalog must be a mapping with one key, 'indicators', holding a list")
    out: dict[str, IndicatorDef] = {}
    for i, raw in enumerate(data["indicators"]):
        try:
            ind = IndicatorDef.model_validate(raw)
        except ValidationError as exc:
            _raise_validation(file, lines, exc, ("indicators", i))
        if ind.id in out:
            raise CatalogError(file, line_of(lines, ("indicators", i, "id")), f"indicator id {ind.id!r} is defined twice")
        out[ind.id] = ind
    catalog = Catalog(indicators=out, origin=str(file))
    from indicators.catalog.validate import catalog_issues
    issues = catalog_issues(catalog)
    if issues:
        iid, msg = issues[0]
        idx = list(out).index(iid)
        raise CatalogError(file, line_of(lines, ("indicators", idx, "aggregation")), f"{iid}: {msg}")
    return catalog


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The indicator catalog (cached for the default file)."""
    if path is None:
        return _default_catalog()
    data, lines = load_with_lines(path)
    return parse_catalog(data, lines, path)


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    data, lines = load_with_lines(CATALOG_PATH)
    return parse_catalog(data, lines, CATALOG_PATH)


def parse_framework(data: Any, lines: Lines, file: Path | str, catalog: Catalog | None = None) -> Framework:
    if not isinstance(data, dict):
        raise CatalogError(file, line_of(lines, ()), "a framework file must be a mapping")
    try:
        fw = Framework.model_validate({**data, "origin": str(file)})
    except ValidationError as exc:
        _raise_validation(file, lines, exc)
    from indicators.catalog.validate import framework_issues
    issues = framework_issues(fw, catalog or load_catalog())
    if issues:
        loc, msg = issues[0]
        raise CatalogError(file, line_of(lines, loc), msg)
    return fw


def load_framework(path: str | Path, catalog: Catalog | None = None) -> Framework:
    data, lines = load_with_lines(path)
    return parse_framework(data, lines, path, catalog)


def framework_from_yaml(text: str, catalog: Catalog | None = None, name: str = "<text>") -> Framework:
    """A framework from YAML text (e.g. typed on the Methodology page); errors name the line."""
    data, lines = parse_with_lines(text, name)
    return parse_framework(data, lines, name, catalog)


def load_frameworks(catalog: Catalog | None = None, user_dir: str | Path | None = None,
                    include_user: bool = True) -> dict[str, Framework]:
    """Shipped frameworks, then the analysts' own (a user framework may not reuse a shipped id)."""
    catalog = catalog or load_catalog()
    out: dict[str, Framework] = {}
    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        fw = load_framework(path, catalog)
        out[fw.id] = fw
    if include_user:
        udir = Path(user_dir) if user_dir else user_frameworks_dir()
        if udir.is_dir():
            for path in sorted(udir.glob("*.yaml")):
                fw = load_framework(path, catalog)
                if fw.id in out:
                    raise CatalogError(path, 1, f"framework id {fw.id!r} is already used by {out[fw.id].origin}")
                out[fw.id] = fw
    return out


def framework_to_yaml(framework: Framework) -> str:
    return yaml.safe_dump(framework.model_dump(mode="json", exclude={"origin"}), allow_unicode=True, sort_keys=False)


def save_framework(framework: Framework | dict, directory: str | Path | None = None,
                   catalog: Catalog | None = None) -> Path:
    """Validate and write an analyst's framework to ``<directory>/<id>.yaml`` (default: the user folder)."""
    catalog = catalog or load_catalog()
    if isinstance(framework, dict):
        framework = Framework.model_validate(framework)
    shipped = {p.stem for p in FRAMEWORKS_DIR.glob("*.yaml")}
    if framework.id in shipped:
        raise ValueError(f"framework id {framework.id!r} belongs to a shipped framework; choose another id")
    from indicators.catalog.validate import framework_issues
    issues = framework_issues(framework, catalog)
    if issues:
        raise ValueError("; ".join(msg for _, msg in issues))
    from indicators.store.writer import ensure_writable, write_text_atomically

    ensure_writable(f"saving framework {framework.id}")   # read-only deployments write nothing, not even YAML
    directory = Path(directory) if directory else user_frameworks_dir()
    # serialised with every other write of the process; temp file + atomic rename
    return write_text_atomically(directory / f"{framework.id}.yaml", framework_to_yaml(framework),
                                 f"saving framework {framework.id}")
