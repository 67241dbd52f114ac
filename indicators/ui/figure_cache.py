"""Figures built once per distinct input: a rerun that changes nothing a chart depends on reuses it.

``cached_figure(builder, *args, **kwargs)`` calls ``builder`` (an ``indicators.viz`` function) through
``st.cache_resource`` keyed on the builder's name and its arguments (frames hashed by content). The shipped
prefecture GeoJSON is not hashed on every rerun: pass it as usual; it is swapped for a token (the file's
path and mtime) before hashing and back inside. The figure object is shared between reruns and sessions:
callers treat it as read-only (``show_chart`` only serialises it), which is why the resource cache is used
(no pickling of a plotly figure on every hit). ``max_entries`` bounds memory (a figure is ≲ 1 MB).
"""
from __future__ import annotations

import importlib

import streamlit as st

from indicators.ui import loaders

MAX_FIGURES = 160


class _GeojsonToken(tuple):
    """Stands for ``loaders.prefecture_geojson()`` in a cache key."""


def _token():
    path = loaders.GEOJSON_PATH
    try:
        return _GeojsonToken((str(path), path.stat().st_mtime_ns))
    except OSError:
        return _GeojsonToken((str(path), None))


class _CountyGeojsonToken(tuple):
    """Stands for ``loaders.metro_county_geojson()`` (the county outlines of metros) in a cache key."""


def _county_token():
    path = loaders.COUNTY_GEOJSON_PATH
    try:
        return _CountyGeojsonToken((str(path), path.stat().st_mtime_ns))
    except OSError:
        return _CountyGeojsonToken((str(path), None))


def _swap_out(value, gj, cgj=None):
    if gj is not None and value is gj:
        return _token()
    if cgj is not None and value is cgj:
        return _county_token()
    return value


def _swap_in(value):
    if isinstance(value, _CountyGeojsonToken):
        return loaders.metro_county_geojson()
    return loaders.prefecture_geojson() if isinstance(value, _GeojsonToken) else value


@st.cache_resource(max_entries=MAX_FIGURES, show_spinner=False)
def _build(module: str, name: str, args: tuple, kwargs: dict, data_version: int):
    builder = getattr(importlib.import_module(module), name)
    return builder(*[_swap_in(a) for a in args], **{k: _swap_in(v) for k, v in kwargs.items()})


def cached_figure(builder, *args, **kwargs):
    """``builder(*args, **kwargs)``, reused while the arguments (and the data version) are unchanged."""
    gj, cgj = loaders.prefecture_geojson(), loaders.metro_county_geojson()
    args = tuple(_swap_out(a, gj, cgj) for a in args)
    kwargs = {k: _swap_out(v, gj, cgj) for k, v in kwargs.items()}
    return _build(builder.__module__, builder.__name__, args, kwargs, loaders.run_data_version())
