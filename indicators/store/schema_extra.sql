-- tongcheng store, DATA engineer's additions. Idempotent like schema.sql; applied by build after it.

-- One row per shipped data/ file: where it came from (its *.meta.yaml origin sidecar) and its digest,
-- so the dashboard can show the origin of every table without reading data/.
CREATE TABLE IF NOT EXISTS data_origin (
    file_name     VARCHAR PRIMARY KEY,       -- e.g. 'observation_pm25.csv'
    table_name    VARCHAR NOT NULL,          -- the store table the rows went into
    producer      VARCHAR,
    title         VARCHAR,
    url           VARCHAR,
    licence       VARCHAR,
    date_accessed VARCHAR,
    processing    VARCHAR,
    rows_loaded   INTEGER,
    sha256        VARCHAR
);

-- Where each region's seat coordinates come from ('rail_cityinfo' | 'boundary_centroid').
CREATE TABLE IF NOT EXISTS region_seat_basis (
    code          VARCHAR PRIMARY KEY,
    seat_basis    VARCHAR
);

-- How each source is cited to a reader (derived: indicators/store/derive/citations.py). kind: document |
-- class (publisher and kind of document recorded, not the edition) | compilation | computed. '{city}' in a
-- publisher is filled with the city a value describes.
CREATE TABLE IF NOT EXISTS source_citation (
    source_id     VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL CHECK (kind IN ('document', 'class', 'compilation', 'computed')),
    publisher_zh  VARCHAR,                   -- empty when the source records no issuer
    publisher_en  VARCHAR,
    document_zh   VARCHAR NOT NULL,
    document_en   VARCHAR NOT NULL,
    compilation_zh VARCHAR,
    compilation_en VARCHAR,
    original_note_zh VARCHAR,
    original_note_en VARCHAR,
    basis         VARCHAR                    -- the shared text the citation rests on
);
