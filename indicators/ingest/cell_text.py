"""Reading numbers and labels out of yearbook cells.

Full-width digits and punctuation (１２３，４５６．７), thousands separators (12,345 / 12 345), and the
usual missing-value markers ('—', '-', '…', '..', blank) are handled here; everything else that is not a
number is an error with a reason.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata

# Markers yearbooks use for "no data". Compared after NFKC normalisation and stripping.
MISSING_MARKERS = frozenset({
    "", "-", "--", "---", "—", "——", "–", "―", "－", "…", "……", "...", "..", ".", "·", "/", "\\",
    "na", "n/a", "nan", "null", "none", "无", "空", "暂无", "缺", "缺失", "不详", "x", "×",
})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")


def normalise_label(text: object) -> str:
    """NFKC (full-width → ASCII), collapse whitespace, strip. For names, headers, units."""
    if text is None:
        return ""
    if isinstance(text, float) and math.isnan(text):
        return ""
    out = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub(" ", out).strip()


def is_missing(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return normalise_label(cell).lower() in MISSING_MARKERS


class NumberParseError(ValueError):
    """The cell is not a number (the message is the reason shown to the analyst)."""


def parse_number(cell: object) -> tuple[float | None, bool]:
    """(value, had_percent_sign). ``None`` for a missing marker; raises NumberParseError otherwise.

    Accepts '1,234.5', '１２３４．５', '12 345', '65.2%', '+3', '1.2e3'.
    """
    if isinstance(cell, bool):
        raise NumberParseError("a true/false value is not a number")
    if isinstance(cell, (int, float)):
        value = float(cell)
        if math.isnan(value):
            return None, False
        if math.isinf(value):
            raise NumberParseError("infinite value")
        return value, False
    text = normalise_label(cell)
    if text.lower() in MISSING_MARKERS:
        return None, False
    if text.startswith(("=", "@")):
        raise NumberParseError("formula text, not a value (export the sheet with values, not formulas)")
    percent = False
    if text.endswith("%"):
        percent, text = True, text[:-1].strip()
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1].strip()
    candidate = text
    if _THOUSANDS.match(candidate):
        candidate = candidate.replace(",", "")
    elif _SPACED_THOUSANDS.match(candidate):
        candidate = candidate.replace(" ", "")
    if not _PLAIN.match(candidate):
        raise NumberParseError("not a number")
    value = float(candidate)
    if math.isinf(value):
        raise NumberParseError("number too large")
    return value, percent


def parse_year(cell: object) -> int | None:
    """2019, 2019.0, '2019', '2019年', '２０１９年' → 2019; None when not a plain year."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, (_dt.date, _dt.datetime)):   # a year header typed as a date in Excel
        return cell.year
    if isinstance(cell, float):
        return int(cell) if not math.isnan(cell) and cell.is_integer() else None
    text = normalise_label(cell)
    match = re.fullmatch(r"(\d{4})(?:\.0)?\s*(?:年|年度|年末)?", text)
    return int(match.group(1)) if match else None
