-- County scale (issue 8): dashboards and unit pages count households and people per unit
-- from an index instead of counting each household's members one by one (a county: 500,000
-- correlated look-ups, about a second). Every household carries its member count, kept by the
-- store's member insert/delete in the same transaction.
ALTER TABLE households ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
UPDATE households SET member_count = (SELECT COUNT(*) FROM members m WHERE m.household_id = households.id);
-- One covering index per scope level, in the order the per-child figures group by: a county's
-- townships, a township's villages, a village's grids are each one ordered index range.
CREATE INDEX households_county_counts ON households (county_code, township_code, member_count);
CREATE INDEX households_township_counts ON households (township_code, village_code, member_count);
CREATE INDEX households_village_counts ON households (village_code, grid_code, member_count);

-- The national dashboard's units per level (665,276 units in the national set) come from a
-- small table of counts per province and level instead of a scan of every unit; recounted
-- for the provinces a divisions import touched, and counted up when a grid is created.
CREATE TABLE unit_level_counts (
    province TEXT NOT NULL,
    level    TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (province, level)
);
INSERT INTO unit_level_counts (province, level, n)
    SELECT SUBSTR(code, 1, 2), level, COUNT(*) FROM units GROUP BY SUBSTR(code, 1, 2), level;
