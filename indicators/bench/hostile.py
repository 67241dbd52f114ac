"""Hostile inputs for the reliability tests and the `reject` bench part (made at run time, never committed).

* ``xlsx_shared_strings_bomb()`` — ≈2 MB XLSX whose xl/sharedStrings.xml expands ≈186:1 to ≈392 MB: under
  the old per-part ratio check (200:1) and the old total bound (400 MB), so it used to be parsed (minutes, GBs).
* ``xlsx_merged_bomb()`` — a tiny XLSX with one merged range over the whole sheet (A1:XFD1048576): openpyxl's
  full mode creates a cell object for every merged cell.
* ``xlsx_dimension_bomb()`` — a tiny XLSX claiming the dimension A1:XFD1048576 with rows far apart: the
  streaming reader pads every row to the claimed width.
* ``wide_csv(columns)`` — a CSV of 200,000 columns (≈2.3 MB).
"""
from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                  'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                  '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                  'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
                  'formats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                  '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(sheet_xml: str, shared_writer=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_writer is None:
            archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="0" '
                                                     'uniqueCount="0"></sst>')
        else:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
                shared_writer(member)
    return buffer.getvalue()


def xlsx_shared_strings_bomb(expanded_mb: int = 392) -> bytes:
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
    # one 1 MB block of strings, mostly repeated text with a little variety (so it compresses ~186:1, not 1000:1)
    import random

    rng = random.Random(15)
    parts = []
    size = 0
    while size < (1 << 20):
        text = "成都都市圈同城化" * 40 + "".join(rng.choice("0123456789") for _ in range(2))
        piece = f"<si><t>{text}</t></si>"
        parts.append(piece)
        size += len(piece.encode())
    block = "".join(parts).encode()

    def write(member):
        member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'.encode())
        written = 0
        while written < expanded_mb * (1 << 20):
            member.write(block)
            written += len(block)
        member.write(b"</sst>")

    return _workbook(sheet, write)


def xlsx_merged_bomb() -> bytes:
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row></sheetData>'
             '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>')
    return _workbook(sheet)


def xlsx_dimension_bomb(rows: int = 2_000) -> bytes:
    body = "".join(f'<row r="{r * 500}"><c r="A{r * 500}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><dimension ref="A1:XFD1048576"/>'
             f'<sheetData>{body}</sheetData></worksheet>')
    return _workbook(sheet)


def wide_csv(columns: int = 200_000) -> bytes:
    header = ",".join(f"{2000 + i % 24}年" if i else "地区" for i in range(columns))
    row = ",".join("1" if i else "成都" for i in range(columns))
    return (header + "\n" + row + "\n").encode("utf-8")
