"""Source rows for imports: an id derived from a hash of the source text (stable across re-imports)."""
from __future__ import annotations

import hashlib

from indicators.ingest.cell_text import normalise_label


def source_id_for(text: str, existing_ids: set[str] | frozenset[str] = frozenset()) -> str:
    """An existing source id given verbatim is used as is; any other text gets 'import_<sha256[:12]>'."""
    clean = normalise_label(text)
    if clean in existing_ids:
        return clean
    return "import_" + hashlib.sha256(clean.encode("utf-8")).hexdigest()[:12]
