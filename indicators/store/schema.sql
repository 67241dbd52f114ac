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
    membership_basis VARCHAR,                -- where the member list comes from (the plan scope's status)
    status        VARCHAR,                   -- plan scope: verified_page | partial_verified | unverified | from_memory
    stated_population DOUBLE                 -- persons, as the plan (or its page) states it
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

-- Evidence class and hygiene flags (indicators/store/hygiene.py): added to stores built before they existed.
-- evidence: observed | snapshot | modelled | proxy | apportioned | estimated (NULL until classified at build;
-- the engine's queries classify NULL rows with the same rule). flags: comma-separated, NULL = none.
ALTER TABLE observation ADD COLUMN IF NOT EXISTS evidence VARCHAR;
ALTER TABLE observation ADD COLUMN IF NOT EXISTS flags VARCHAR;
ALTER TABLE flow ADD COLUMN IF NOT EXISTS evidence VARCHAR;
ALTER TABLE flow ADD COLUMN IF NOT EXISTS flags VARCHAR;

-- Plans and their monitoring (建设进程): plans the seed documents name, their task areas, their targets and
-- the task ledger analysts keep (imported from / exported to an Excel template; page edits keep history).
CREATE TABLE IF NOT EXISTS plan (
    plan_id       VARCHAR PRIMARY KEY,       -- e.g. 'yrd_3yr_2024_2026'
    scope         VARCHAR NOT NULL,          -- metro_id or group name ('YRD')
    scope_kind    VARCHAR NOT NULL CHECK (scope_kind IN ('metro', 'group')),
    title_zh      VARCHAR NOT NULL,
    title_en      VARCHAR,
    issuer        VARCHAR,
    period_start  INTEGER NOT NULL,
    period_end    INTEGER NOT NULL,
    period_basis  VARCHAR NOT NULL DEFAULT 'stated' CHECK (period_basis IN ('stated', 'inferred')),
    tasks_stated  INTEGER,                   -- the count the document states (165), NULL when none
    projects_stated INTEGER,                 -- project lists (成都 202 / 197 重大项目)
    reported_status VARCHAR,                 -- a completion the sources report (圆满完成), else NULL
    source_id     VARCHAR NOT NULL,
    source_line   INTEGER,                   -- line of the seed the row rests on
    source_quote  VARCHAR,
    note          VARCHAR
);

CREATE TABLE IF NOT EXISTS plan_area (
    plan_id       VARCHAR NOT NULL,
    area_id       VARCHAR NOT NULL,          -- 'A1' … unique within the plan
    seq           INTEGER NOT NULL,
    name_zh       VARCHAR NOT NULL,
    name_en       VARCHAR,
    tasks_stated  INTEGER,
    source_id     VARCHAR NOT NULL,
    source_line   INTEGER,
    source_quote  VARCHAR,
    note          VARCHAR,
    PRIMARY KEY (plan_id, area_id)
);

CREATE TABLE IF NOT EXISTS plan_target (
    plan_id       VARCHAR NOT NULL,
    target_id     VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    source_line   INTEGER,
    source_quote  VARCHAR,
    PRIMARY KEY (plan_id, target_id)
);

-- The task ledger. status: 未启动 / 推进中 / 已完成 / 滞后 / 未知 (never guessed: 未知 unless a source says).
CREATE TABLE IF NOT EXISTS task (
    task_id       VARCHAR PRIMARY KEY,
    plan_id       VARCHAR NOT NULL,
    area_id       VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    lead_unit     VARCHAR,                   -- 牵头单位
    deadline      VARCHAR,                   -- '2025', '2025-06' or '2025-06-30'
    status        VARCHAR NOT NULL CHECK (status IN ('未启动', '推进中', '已完成', '滞后', '未知')),
    evidence_text VARCHAR,
    evidence_link VARCHAR,
    evidence_date VARCHAR,                   -- ISO date
    indicators    VARCHAR,                   -- linked catalog indicator ids, comma-separated
    targets       VARCHAR,                   -- linked target ids, comma-separated
    source_id     VARCHAR,
    source_line   INTEGER,
    note          VARCHAR,
    updated_at    TIMESTAMP,
    updated_by    VARCHAR
);

-- Previous values of every task row an import or a page edit changed (the row as it was, and who/when).
CREATE TABLE IF NOT EXISTS task_history (
    task_id       VARCHAR NOT NULL,
    plan_id       VARCHAR,
    area_id       VARCHAR,
    title         VARCHAR,
    lead_unit     VARCHAR,
    deadline      VARCHAR,
    status        VARCHAR,
    evidence_text VARCHAR,
    evidence_link VARCHAR,
    evidence_date VARCHAR,
    indicators    VARCHAR,
    targets       VARCHAR,
    source_id     VARCHAR,
    source_line   INTEGER,
    note          VARCHAR,
    updated_at    TIMESTAMP,
    updated_by    VARCHAR,
    replaced_at   TIMESTAMP NOT NULL,
    replaced_by   VARCHAR NOT NULL,          -- local user of the change
    change_kind   VARCHAR NOT NULL,          -- 'import' | 'edit'
    change_ref    VARCHAR                    -- import id (file) or 'page'
);
