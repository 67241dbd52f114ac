"""Parquet bytes → Grid (the column names are the header).

Checked from the footer before any data page is read: the row count, the column count and the column
types — a nested column (list, struct, map) cannot be one value per cell and is refused by name."""
from __future__ import annotations

import io

import numpy as np

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid
from indicators.ingest.limits import Limits


def _nested_columns(schema) -> list[tuple[str, str]]:
    import pyarrow.types as pat

    out = []
    for field in schema:
        t = field.type
        if pat.is_nested(t) or pat.is_dictionary(t) and pat.is_nested(t.value_type):
            out.append((field.name, str(t)))
    return out


def read_parquet_bytes(data: bytes, report: ImportReport, limits: Limits) -> Grid:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(io.BytesIO(data))
        message = limits.rows_message(handle.metadata.num_rows)
        if message:
            raise IngestError(message, report)
        schema = handle.schema_arrow
        message = limits.columns_message(len(schema.names))
        if message:
            raise IngestError(message, report)
        nested = _nested_columns(schema)
        if nested:
            for name, kind in nested:
                report.error(None, name, f"column {name!r} holds nested values ({kind}); each cell must hold one "
                                         "value: flatten the column (one row per value) and export again")
            raise IngestError(f"the Parquet file has {len(nested)} nested column(s) "
                              f"({', '.join(repr(n) for n, _ in nested[:5])}); nothing read", report)
        table = handle.read()
        frame = table.to_pandas()
    except IngestError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, MemoryError, IndexError, KeyError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise IngestError(f"cannot read the Parquet file: it is damaged or not written by a Parquet writer "
                          f"({reason}); export it again from its source", report) from None
    header = [str(c) for c in frame.columns]
    frame.columns = range(len(header))
    return Grid(cells=frame, row_numbers=np.arange(1, len(frame) + 1), header=header)
