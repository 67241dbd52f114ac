"""Read how sources are cited (table ``source_citation``, derived by ``derive/citations.py``), joined to ``source``
so a source without a citation row (an analyst's import) still has its title and publisher."""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.db import query_df

CITATION_COLUMNS = ["source_id", "title", "publisher", "date_published", "kind", "publisher_zh", "publisher_en",
                    "document_zh", "document_en", "compilation_zh", "compilation_en", "original_note_zh",
                    "original_note_en"]


def citations(con: duckdb.DuckDBPyConnection, source_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per source (all, or those in ``source_ids``) with its citation fields (NULL when not derived)."""
    try:
        return query_df(con, """
            SELECT s.source_id, s.title, s.publisher, s.date_published, c.kind, c.publisher_zh, c.publisher_en,
                   c.document_zh, c.document_en, c.compilation_zh, c.compilation_en, c.original_note_zh,
                   c.original_note_en
            FROM source s LEFT JOIN source_citation c ON c.source_id = s.source_id
            WHERE ? OR list_contains(?, s.source_id)
            ORDER BY s.source_id""", [source_ids is None, list(source_ids or [])])
    except duckdb.CatalogException:   # a store built before source_citation existed: titles only
        df = query_df(con, """
            SELECT source_id, title, publisher, date_published FROM source
            WHERE ? OR list_contains(?, source_id) ORDER BY source_id""", [source_ids is None, list(source_ids or [])])
        return df.reindex(columns=CITATION_COLUMNS)
