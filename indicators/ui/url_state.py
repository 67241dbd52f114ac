"""Every page setting in the URL, so a shared link restores the view.

The sidebar keeps language, framework, year and metros (``?lang=&fw=&year=&metros=``). Page widgets go
through ``keep``::

    indicator = url_state.keep(c1.selectbox, label, ids, key=lang_key("ind_indicator", lang), format_func=...)

``keep`` seeds the widget from the URL when the widget has no state yet (a shared link, a language switch
that gives the widget a new per-language key), draws it, and writes its value back to the URL. The query
parameter is the widget's base key (``ind_indicator`` for ``ind_indicator_en``). Values are checked against the
widget's options; a stale or foreign value is ignored, never an error.

``begin(page_id)`` (called by ``page.start``) drops the parameters of other pages, so a link carries the
settings of the page it points at only. Page widgets' keys start with the page's prefix (``PAGE_PREFIXES``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

SIDEBAR_PARAMS = ("lang", "fw", "year", "metros", "scope", "briefing")
PAGE_PREFIXES: dict[str, tuple[str, ...]] = {
    "overview": ("ov_",), "profile": ("prof_",), "compare": ("cmp_",), "indicators": ("ind_",),
    "flows": ("flow_",), "targets": ("tgt_",), "methodology": ("meth_",), "data": ("data_", "prov_", "dl_"),
    "brief": ("brief_",), "progress": ("prg_",),
}
KINDS = ("str", "int", "float", "bool", "list", "opt")
NONE_TOKEN = "-"


def param_name(key: str) -> str:
    """The URL parameter of a widget key (the per-language suffix dropped)."""
    return key[:-3] if key.endswith("_en") else key


def encode(value: Any, kind: str = "str") -> str:
    if kind == "list":
        return ",".join(str(v) for v in (value or []))
    if kind == "bool":
        return "1" if value else "0"
    if value is None:
        return NONE_TOKEN
    if kind == "float":
        return f"{float(value):g}"
    return str(value)


def decode(text: str | None, kind: str = "str", options: Sequence | None = None) -> tuple[bool, Any]:
    """(ok, value) for a URL text; ok is False when the text does not give a valid value."""
    if text is None:
        return False, None
    try:
        if kind == "list":
            items = [v for v in text.split(",") if v]
            if options is not None:
                items = _match_many(items, options)
            return True, items
        if kind == "bool":
            return (text in ("0", "1")), text == "1"
        if text == NONE_TOKEN and (options is None or None in options):
            return True, None
        value: Any
        if kind == "int":
            value = int(text)
        elif kind == "float":
            value = float(text)
        else:
            value = text
    except ValueError:
        return False, None
    if options is not None:
        matched = _match_one(value, options)
        if matched is _NO:
            return False, None
        value = matched
    return True, value


_NO = object()


def _match_one(value, options):
    """The option equal to ``value`` (options may be ints or floats while the URL holds text)."""
    for o in options:
        if o == value or (o is not None and str(o) == str(value)):
            return o
        if isinstance(o, (int, float)) and not isinstance(o, bool):
            try:
                if float(value) == float(o):
                    return o
            except (TypeError, ValueError):
                pass
    return _NO


def _match_many(values, options) -> list:
    out = []
    for v in values:
        m = _match_one(v, options)
        if m is not _NO and m not in out:
            out.append(m)
    return out


def seed(key: str, *, kind: str = "str", options: Sequence | None = None, param: str | None = None) -> bool:
    """Give widget ``key`` the URL's value when it has no state yet; True when seeded."""
    if key in st.session_state:
        return False
    ok, value = decode(st.query_params.get(param or param_name(key)), kind, options)
    if not ok:
        return False
    st.session_state[key] = value
    return True


def publish(key: str, value: Any, *, kind: str = "str", param: str | None = None) -> None:
    """Write a widget's value to the URL (no rerun)."""
    name = param or param_name(key)
    text = encode(value, kind)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def _kind_of(widget: Callable, options: Sequence | None, kwargs: dict) -> str:
    name = getattr(widget, "__name__", "")
    if name == "multiselect" or (name == "pills" and kwargs.get("selection_mode") == "multi"):
        return "list"
    if name in ("toggle", "checkbox"):
        return "bool"
    sample = list(options) if options is not None else [kwargs.get("value")]
    if sample and all(isinstance(o, bool) for o in sample if o is not None) and any(o is not None for o in sample):
        return "bool"
    if sample and all(isinstance(o, int) and not isinstance(o, bool) for o in sample if o is not None) \
            and any(o is not None for o in sample):
        return "int"
    if sample and all(isinstance(o, (int, float)) and not isinstance(o, bool) for o in sample if o is not None) \
            and any(o is not None for o in sample):
        return "float"
    return "str"


def keep(widget: Callable, label: str, options: Sequence | None = None, *, key: str, kind: str | None = None,
         **kwargs) -> Any:
    """Draw ``widget(label, options, key=key, **kwargs)`` seeded from and written to the URL.

    For widgets without options (slider, toggle, text_input) pass ``options=None``; a slider's bounds are
    checked by Streamlit (an out-of-range URL value is ignored)."""
    kind = kind or _kind_of(widget, options, kwargs)
    if options is not None:
        options = list(options)
        seed(key, kind=kind, options=options)
        value = widget(label, options, key=key, **kwargs)
    else:
        lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
        if seed(key, kind=kind) and lo is not None and hi is not None:
            v = st.session_state[key]
            if not (lo <= v <= hi):
                del st.session_state[key]
        value = widget(label, key=key, **kwargs)
    publish(key, value, kind=kind)
    return value


def begin(page_id: str) -> None:
    """After a switch from another page, drop URL parameters that belong to other pages (the sidebar's stay).
    The first run of a session keeps everything: a shared link's parameters are read by the page they belong to."""
    previous = st.session_state.get("_url_page")
    st.session_state["_url_page"] = page_id
    if previous is None or previous == page_id:
        return
    own = PAGE_PREFIXES.get(page_id, ())
    others = tuple(p for pid, ps in PAGE_PREFIXES.items() if pid != page_id for p in ps if p not in own)
    qp = st.query_params.to_dict()
    # only other pages' own parameters go; the sidebar's and anything else (e.g. ?scope=) stay
    stale = [k for k in qp if k not in SIDEBAR_PARAMS and k.startswith(others) and not k.startswith(own or ("\0",))]
    for k in stale:
        del st.query_params[k]
