"""What a reader must never see in Chinese mode: file names, repository paths, engine log syntax, raw codes and
English developer notes. ``problems(text)`` lists every offending fragment (empty = clean); the briefing pack's
tests run it over the text of every PPTX/DOCX/PDF page.

Proper names written in Latin letters are fine (CSMAR, G-P, PM2.5, leiii/census, Journal of International
Economics): a repository named as a compilation is ``owner/name`` without a file extension or folder path.
"""
from __future__ import annotations

import re

FILE_NAME = re.compile(r"[\w\-]+\.(?:csv|ya?ml|py|json|xlsx|parquet|rda|geojson|txt|duckdb|md|sql)\b", re.I)
PATH = re.compile(r"(?:\.\./|/work/|/tmp/|~/|\b(?:indicators|data|shared|static|tests|pages|build|seeds)/[\w.\-/]+)")
LOG_SYNTAX = re.compile(r"\b[A-Za-z_]+=(?:\{|\[|[-\d.]+\b|[A-Za-z_]+\b)|\{\}|\[\]|\bNone\b|\bnan\b|\bNaN\b")
SNAKE = re.compile(r"(?<![/\w])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]+(?:[ ,;:()]+[A-Za-z][A-Za-z'’\-]+){2,}")
# Latin-letter proper names that may appear in Chinese text (titles of journals, fonts, products).
ALLOWED_PHRASES = ("Journal of International Economics", "Noto Sans CJK", "Ma 与 Tang")


def _repos(text: str) -> str:
    """Blank out repository names (owner/name tokens): they are proper names of compilations."""
    return re.sub(r"[\w.\-]+/[\w.\-]+", lambda m: " " if not FILE_NAME.search(m.group()) else m.group(), text)


def problems(text: str, lang: str = "zh") -> list[str]:
    """Fragments of ``text`` a reader should not see (file names, paths, log syntax, codes; in Chinese mode
    also runs of three or more English words)."""
    out: list[str] = []
    out += [m.group() for m in FILE_NAME.finditer(text)]
    out += [m.group() for m in PATH.finditer(text)]
    out += [m.group() for m in LOG_SYNTAX.finditer(text)]
    rest = _repos(text)
    for phrase in ALLOWED_PHRASES:
        rest = rest.replace(phrase, " ")
    out += [m.group() for m in SNAKE.finditer(rest)]
    if lang != "en":
        out += [m.group() for m in ENGLISH_RUN.finditer(rest)]
    return list(dict.fromkeys(out))
