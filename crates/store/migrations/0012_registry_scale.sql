-- County scale (issue 8): lists read only the rows they show, name search uses an index.
-- The household list is ordered by (village, number) within a township or county: these two
-- indexes give that order directly (no sort of the whole area to show 50 rows) and cover the
-- page-skipping subquery (SQLite keeps the row id in every index; PostgreSQL is told to, so
-- skipping is an index-only scan). They replace the single-column township/county indexes.
--sqlite CREATE INDEX households_township_order ON households (township_code, village_code, household_no);
--sqlite CREATE INDEX households_county_order ON households (county_code, village_code, household_no);
--pg CREATE INDEX households_township_order ON households (township_code, village_code, household_no) INCLUDE (id);
--pg CREATE INDEX households_county_order ON households (county_code, village_code, household_no) INCLUDE (id);
DROP INDEX households_township;
DROP INDEX households_county;
-- Name search in a township or wider area matches from the start of a name (a range on the
-- name). PostgreSQL compares bytes only with the pattern operator class, whatever the
-- database's collation; SQLite's default BINARY collation already does.
--sqlite CREATE INDEX members_name ON members (name);
--pg CREATE INDEX members_name ON members (name text_pattern_ops);
--sqlite CREATE INDEX households_head ON households (head_name);
--pg CREATE INDEX households_head ON households (head_name text_pattern_ops);
