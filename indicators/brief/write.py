"""Write a briefing pack to a file; the format follows the suffix (.pptx, .docx, .pdf)."""
from __future__ import annotations

from pathlib import Path

from indicators.brief.pack import BriefPack

FORMATS = (".pptx", ".docx", ".pdf")


def write_brief(pack: BriefPack, path: str | Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".pptx":
        from indicators.brief.pptx_writer import write_pptx
        return write_pptx(pack, path)
    if suffix == ".docx":
        from indicators.brief.docx_writer import write_docx
        return write_docx(pack, path)
    if suffix == ".pdf":
        from indicators.brief.pdf_writer import write_pdf
        return write_pdf(pack, path)
    raise ValueError(f"unknown brief format {suffix!r}; use one of {', '.join(FORMATS)}")
