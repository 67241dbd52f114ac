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


MIME = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


def brief_bytes(pack: BriefPack, suffix: str) -> bytes:
    """The pack as file bytes (for a download button): ``suffix`` is '.pptx', '.docx' or '.pdf'."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tongcheng-brief-") as tmp:
        return write_brief(pack, Path(tmp) / f"brief{suffix}").read_bytes()


def brief_filename(pack: BriefPack, suffix: str) -> str:
    """'同城化简报_chengdu-shanghai_2022.pptx'."""
    stem = "同城化简报" if pack.lang != "en" else "integration_brief"
    return f"{stem}_{'-'.join(pack.metro_ids)}_{pack.year}{suffix}"
