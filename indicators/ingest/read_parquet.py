"""Parquet bytes → Grid (the column names are the header)."""
from __future__ import annotations

import io

import numpy as np

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid
from indicators.ingest.limits import Limits


def read_parquet_bytes(data: bytes, report: ImportReport, limits: Limits) -> Grid:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(io.BytesIO(data))
        message = limits.rows_message(handle.metadata.num_rows)
        if message:
            raise IngestError(message, report)
        table = handle.read()
        frame = table.to_pandas()
    except IngestError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, MemoryError, IndexError, KeyError) as exc:
        raise IngestError(f"cannot read the Parquet file ({type(exc).__name__}: {exc})", report) from None
    header = [str(c) for c in frame.columns]
    frame.columns = range(len(header))
    return Grid(cells=frame, row_numbers=np.arange(1, len(frame) + 1), header=header)
