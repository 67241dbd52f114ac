"""Bytes of a text file → str: UTF-8 (with or without BOM), GBK/GB18030, and files mixing both line by line."""
from __future__ import annotations

import codecs

from indicators.ingest.errors import ImportReport, IngestError

_SAMPLE = 64 * 1024


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 64 KB: not a text table."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(f"file starts with a UTF-16 mark but is not valid UTF-16 ({exc.reason})", report) from None
    if declared:
        try:
            codecs.lookup(declared)
            return data.decode(declared), declared
        except LookupError:
            report.warn(None, None, f"unknown encoding {declared!r}; detecting the encoding instead")
        except UnicodeDecodeError:
            report.warn(None, None, f"the file is not valid {declared}; detecting the encoding instead")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_by_line(data, report)


def _decode_by_line(data: bytes, report: ImportReport) -> tuple[str, str]:
    """Each line as UTF-8 if it is valid UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    parts: list[str] = []
    gb_lines: list[int] = []
    utf8_non_ascii = 0
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            text = line.decode("utf-8")
            if not line.isascii():
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
