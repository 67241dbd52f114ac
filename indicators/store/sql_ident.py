"""The one sanctioned way to put an identifier (table or column name) into SQL text.

Values always travel as parameters (``?``). Identifiers cannot be parameters, so they go through
``ident``, which accepts only names from an explicit whitelist and quotes them. The test
``tests/meta/test_sql_safety.py`` rejects any other string-built SQL.
"""
from __future__ import annotations

from collections.abc import Iterable


class UnsafeIdentifier(ValueError):
    pass


def ident(name: str, allowed: Iterable[str]) -> str:
    """``name`` double-quoted for SQL, if and only if it is in ``allowed``."""
    allowed = set(allowed)
    if name not in allowed:
        raise UnsafeIdentifier(f"identifier {name!r} is not one of {sorted(allowed)}")
    return '"' + name.replace('"', '""') + '"'
