-- tongcheng store: one idempotent DDL block. Every statement is safe to run again.
-- Codes are GB/T 2260 6-digit strings (municipalities as 110100/120100/310100/500100).

CREATE TABLE IF NOT EXISTS source (
    source_id     VARCHAR PRIMARY KEY,       -- short stable id, e.g. 'facts_city_obs', 'seed_001'
    title         VARCHAR NOT NULL,
    publisher     VARCHAR,
    url           VARCHAR,                   -- URL or document reference
    licence       VARCHAR,
    date_accessed VARCHAR,                   -- ISO date
    date_published VARCHAR,
    notes         VARCHAR
);

CREATE TABLE IF NOT EXISTS region (
    code          VARCHAR PRIMARY KEY,       -- 6-digit GB/T 2260
    name_zh       VARCHAR NOT NULL,          -- official name, e.g. '成都市'
    name_en       VARCHAR,
    level         VARCHAR NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent_code   VARCHAR,                   -- province code for prefectures, prefecture code for counties
    land_area_km2 DOUBLE,
    seat_lon      DOUBLE,
    seat_lat      DOUBLE,
    valid_from    INTEGER,                   -- first year the unit exists (NULL = before coverage)
    valid_to      INTEGER,                   -- last year (NULL = still exists), e.g. 巢湖 2011, 莱芜 2018
    source_id     VARCHAR
);

-- Alternative names that resolve to a region (成都, 成都市, Chengdu, old names).
CREATE TABLE IF NOT EXISTS region_alias (
    alias         VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    PRIMARY KEY (alias, code)
);

-- Boundary changes and other known series breaks, so a break is visible, not silent.
CREATE TABLE IF NOT EXISTS series_break (
    code          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,          -- first year on the new basis
    indicator     VARCHAR,                   -- NULL = all indicators of the region
    kind          VARCHAR NOT NULL,          -- 'boundary_change' | 'census_rebasing' | 'revision' | 'unexplained'
    description   VARCHAR NOT NULL,
    change_pct    DOUBLE,
    source_id     VARCHAR
);

CREATE TABLE IF NOT EXISTS metro (
    metro_id      VARCHAR PRIMARY KEY,       -- e.g. 'chengdu', 'shanghai'
    name_zh       VARCHAR NOT NULL,          -- '成都都市圈'
    name_en       VARCHAR NOT NULL,
    core_code     VARCHAR NOT NULL,          -- core city's region code
    plan_document VARCHAR,                   -- e.g. '成都都市圈发展规划'
    plan_year     INTEGER,
    stated_area_km2 DOUBLE,                  -- area stated in the plan (2.64万km² -> 26400)
    group_name    VARCHAR,                   -- e.g. 'YRD' for the Yangtze River Delta metros
    color         VARCHAR,                   -- fixed chart colour
    source_id     VARCHAR,
    membership_basis VARCHAR                 -- 'seed' | 'plan_from_memory' : where the member list comes from
);

CREATE TABLE IF NOT EXISTS metro_member (
    metro_id      VARCHAR NOT NULL,
    code          VARCHAR NOT NULL,
    role          VARCHAR NOT NULL CHECK (role IN ('core', 'member', 'partial')),
    parts         VARCHAR,                   -- for partial members: the counties/districts inside ('市区、什邡、广汉、中江')
    valid_from    INTEGER NOT NULL DEFAULT 1900,
    valid_to      INTEGER NOT NULL DEFAULT 9999,
    source_id     VARCHAR,
    note          VARCHAR,
    PRIMARY KEY (metro_id, code, valid_from)
);

-- Observations in long form; value in the indicator's canonical unit (see indicators/catalog).
CREATE TABLE IF NOT EXISTS observation (
    code          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    indicator     VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,
    source_id     VARCHAR NOT NULL,
    quality       VARCHAR NOT NULL CHECK (quality IN ('official', 'cross_checked', 'single_source', 'conflict',
                                                      'census', 'estimate', 'modelled', 'synthetic')),
    note          VARCHAR,
    PRIMARY KEY (code, year, indicator, source_id)
);

-- Values replaced by an explicit `import --replace`: the old value stays recoverable.
CREATE TABLE IF NOT EXISTS observation_history (
    code          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    indicator     VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,
    source_id     VARCHAR NOT NULL,
    quality       VARCHAR NOT NULL,
    note          VARCHAR,
    replaced_at   TIMESTAMP NOT NULL,
    replaced_by_import VARCHAR                -- the import id / file that replaced it
);

CREATE TABLE IF NOT EXISTS flow (
    origin_code   VARCHAR NOT NULL,
    dest_code     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    period        VARCHAR,                   -- e.g. '2020-01-07..2020-01-08' when not a whole year
    kind          VARCHAR NOT NULL,          -- 'migration_share' | 'commuting' | 'rail_minutes' | 'gravity_linkage' | ...
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,          -- '%', '人次', 'min', 'index'
    source_id     VARCHAR NOT NULL,
    quality       VARCHAR NOT NULL,
    note          VARCHAR,
    PRIMARY KEY (origin_code, dest_code, year, kind, source_id)
);

-- Plan targets for a metro or a region group (e.g. 'YRD').
CREATE TABLE IF NOT EXISTS target (
    target_id     VARCHAR PRIMARY KEY,
    scope         VARCHAR NOT NULL,          -- metro_id or group name ('YRD')
    scope_kind    VARCHAR NOT NULL CHECK (scope_kind IN ('metro', 'group', 'region')),
    indicator     VARCHAR NOT NULL,
    comparator    VARCHAR NOT NULL CHECK (comparator IN ('>=', '<=', '=', '~')),
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    target_year   INTEGER NOT NULL,
    base_year     INTEGER,
    base_value    DOUBLE,
    applies_to    VARCHAR,                   -- 'each_city' | 'aggregate'
    source_id     VARCHAR NOT NULL,
    note          VARCHAR                    -- e.g. OCR doubts
);

-- Figures reported in documents that are not series (104 train pairs a day ...).
CREATE TABLE IF NOT EXISTS fact (
    fact_id       VARCHAR PRIMARY KEY,
    metro_id      VARCHAR,                   -- NULL for region-group facts (YRD)
    scope         VARCHAR,                   -- free text when not one metro ('长三角')
    topic         VARCHAR NOT NULL,          -- dimension / theme, e.g. '一张网'
    statement_zh  VARCHAR NOT NULL,
    statement_en  VARCHAR,
    value         DOUBLE,
    unit          VARCHAR,
    as_of         VARCHAR,                   -- date or year the figure refers to
    source_id     VARCHAR NOT NULL,
    quality       VARCHAR NOT NULL DEFAULT 'single_source'
);

-- One row per import (or build), for the audit trail.
CREATE TABLE IF NOT EXISTS import_log (
    import_id     VARCHAR PRIMARY KEY,
    file_name     VARCHAR,
    file_sha256   VARCHAR,
    started_at    TIMESTAMP,
    rows_inserted INTEGER,
    rows_updated  INTEGER,
    rows_unchanged INTEGER,
    rows_rejected INTEGER,
    options       VARCHAR
);

CREATE TABLE IF NOT EXISTS meta (
    key           VARCHAR PRIMARY KEY,
    value         VARCHAR
);
