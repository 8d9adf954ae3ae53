-- County scale (issue 8): a county's dashboard shows its units per level. A county of 500
-- villages with grids and micro-grids holds 44,520 units, and counting them by level read
-- every one on each visit (the county dashboard's main cost once households were counted from
-- `village_counts`). Kept per county like `unit_level_counts` is per province: recounted for
-- the provinces a divisions import touched, counted up when a grid is created. Units of a
-- county's own code length or shorter (provinces, cities, counties) are not held here.
CREATE TABLE county_level_counts (
    county TEXT NOT NULL,
    level  TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (county, level)
);
INSERT INTO county_level_counts (county, level, n)
    SELECT SUBSTR(code, 1, 6), level, COUNT(*) FROM units WHERE LENGTH(code) > 6
    GROUP BY SUBSTR(code, 1, 6), level;
