"""Source rows for imports: an id derived from a hash of the source text (stable across re-imports)."""
from __future__ import annotations

import hashlib
from typing import Mapping

from indicators.ingest.cell_text import normalise_label


def source_id_for(text: str, existing: Mapping[str, str | None] | frozenset[str] = frozenset()) -> str:
    """The id for a source text: an existing source id given verbatim, or the id of the one existing source
    whose title is exactly this text; otherwise 'import_<sha256[:12]>' of the text."""
    clean = normalise_label(text)
    if clean in existing:
        return clean
    if isinstance(existing, Mapping):
        same_title = [sid for sid, title in existing.items() if title is not None and normalise_label(title) == clean]
        if len(same_title) == 1:
            return same_title[0]
    return "import_" + hashlib.sha256(clean.encode("utf-8")).hexdigest()[:12]
