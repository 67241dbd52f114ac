"""Bytes of a text file → str: UTF-8 (with or without BOM), GBK/GB18030, and files mixing both line by line."""
from __future__ import annotations

import codecs
import re

from indicators.ingest.errors import ImportReport, IngestError

_SAMPLE = 64 * 1024
# Characters a Chinese statistical table plausibly contains beyond ASCII: CJK ideographs, CJK and full-width
# punctuation, and a few symbols (km², µg/m³, ‰, —, …). GBK bytes read as UTF-8 produce other scripts
# (元 = D4 AA is valid UTF-8 for the Armenian 'Ԫ'), which is how a wrong guess shows.
_IMPLAUSIBLE = re.compile("[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
                          "\u2010-\u206f²³µ·×°]")
_PLAUSIBLE_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def plausibility(text: str) -> int:
    """Higher for text that looks like a Chinese table: +1 per CJK character, -2 per character of another script."""
    return len(_PLAUSIBLE_CJK.findall(text)) - 2 * len(_IMPLAUSIBLE.findall(text))


def _better_as_gb18030(data: bytes, utf8_text: str) -> str | None:
    """The GB18030 reading of bytes that are valid UTF-8, when it is clearly the more plausible one."""
    if not _IMPLAUSIBLE.search(utf8_text):
        return None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return gb_text if plausibility(gb_text) > plausibility(utf8_text) else None


def utf16_kind(data: bytes) -> str | None:
    """'utf-16' (with a byte-order mark), 'utf-16-le' / 'utf-16-be' (without one: ASCII digits and
    delimiters leave a NUL in every other byte), or None. Excel's "Unicode text" export is UTF-16 LE."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even = sample[0::2][:pairs].count(0)
    odd = sample[1::2][:pairs].count(0)
    if odd >= 0.2 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if even >= 0.2 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 64 KB: not a text table (UTF-16 text is text)."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if utf16_kind(sample) is not None:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def decode_text(data: bytes, report: ImportReport, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Raises IngestError naming the first undecodable line."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[len(codecs.BOM_UTF8):]
    wide = utf16_kind(data)
    if wide is not None and (declared is None or declared.lower().replace("_", "-").startswith("utf-16")):
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError as exc:
            raise IngestError(f"the file looks like UTF-16 text but byte {exc.start:,} is not valid UTF-16 "
                              f"({exc.reason}); save it again as UTF-8 CSV", report) from None
    if declared:
        try:
            codecs.lookup(declared)
            return data.decode(declared), declared
        except LookupError:
            report.warn(None, None, f"unknown encoding {declared!r}; detecting the encoding instead")
        except UnicodeDecodeError:
            report.warn(None, None, f"the file is not valid {declared}; detecting the encoding instead")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_by_line(data, report)
    gb_text = _better_as_gb18030(data, text)
    return (gb_text, "gb18030") if gb_text is not None else (text, "utf-8")


def _decode_by_line(data: bytes, report: ImportReport) -> tuple[str, str]:
    """Each line as UTF-8 if it is valid UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    parts: list[str] = []
    gb_lines: list[int] = []
    utf8_non_ascii = 0
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            text = line.decode("utf-8")
            gb_text = _better_as_gb18030(line, text)
            if gb_text is not None:
                text = gb_text
                gb_lines.append(number)
            elif not line.isascii():
                utf8_non_ascii += 1
        except UnicodeDecodeError:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError as exc:
                snippet = line[max(0, exc.start - 4): exc.end + 4]
                report.error(number, None, "bytes that are neither UTF-8 nor GBK/GB18030 "
                             "(save the file as UTF-8 CSV)", snippet.hex(" "))
                raise IngestError("cannot decode the file as UTF-8 or GBK/GB18030", report) from None
            gb_lines.append(number)
        parts.append(text)
    if gb_lines and utf8_non_ascii:
        shown = ", ".join(str(n) for n in gb_lines[:10]) + (" …" if len(gb_lines) > 10 else "")
        report.warn(None, None, f"mixed encodings: {len(gb_lines)} line(s) read as GBK/GB18030 ({shown}), "
                                f"{utf8_non_ascii} as UTF-8; check the names in those lines")
        return "".join(parts), "mixed utf-8/gb18030"
    return "".join(parts), "gb18030"
