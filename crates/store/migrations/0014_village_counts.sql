-- County scale (issue 8): households and people per village, kept by triggers on households
-- (whose member_count the store keeps, migration 11), so a county's or township's dashboard and
-- the total of an unfiltered household list sum at most a few hundred rows instead of scanning
-- 500,000 index entries. Triggers, not application code: every writer (imports, the CLI, a
-- hand-run SQL fix) keeps them right. On PostgreSQL a village's row is locked by the household
-- writes of that village only.
CREATE TABLE village_counts (
    village_code  TEXT PRIMARY KEY,
    township_code TEXT NOT NULL,
    county_code   TEXT NOT NULL,
    households    BIGINT NOT NULL,
    members       BIGINT NOT NULL
);
INSERT INTO village_counts (village_code, township_code, county_code, households, members)
    SELECT village_code, MIN(township_code), MIN(county_code), COUNT(*), CAST(COALESCE(SUM(member_count), 0) AS BIGINT)
    FROM households GROUP BY village_code;
CREATE INDEX village_counts_township ON village_counts (township_code);
CREATE INDEX village_counts_county ON village_counts (county_code);

--sqlite CREATE TRIGGER vc_households_insert AFTER INSERT ON households BEGIN INSERT INTO village_counts (village_code, township_code, county_code, households, members) VALUES (NEW.village_code, NEW.township_code, NEW.county_code, 1, NEW.member_count) ON CONFLICT (village_code) DO UPDATE SET households = village_counts.households + 1, members = village_counts.members + excluded.members; END;
--sqlite CREATE TRIGGER vc_households_delete AFTER DELETE ON households BEGIN UPDATE village_counts SET households = households - 1, members = members - OLD.member_count WHERE village_code = OLD.village_code; END;
--sqlite CREATE TRIGGER vc_households_update AFTER UPDATE OF village_code, member_count ON households WHEN OLD.village_code IS NOT NEW.village_code OR OLD.member_count IS NOT NEW.member_count BEGIN UPDATE village_counts SET households = households - 1, members = members - OLD.member_count WHERE village_code = OLD.village_code; INSERT INTO village_counts (village_code, township_code, county_code, households, members) VALUES (NEW.village_code, NEW.township_code, NEW.county_code, 1, NEW.member_count) ON CONFLICT (village_code) DO UPDATE SET households = village_counts.households + 1, members = village_counts.members + excluded.members; END;

--pg CREATE FUNCTION vc_households() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP IN ('DELETE', 'UPDATE') THEN IF TG_OP = 'UPDATE' AND OLD.village_code IS NOT DISTINCT FROM NEW.village_code AND OLD.member_count IS NOT DISTINCT FROM NEW.member_count THEN RETURN NULL; END IF; UPDATE village_counts SET households = households - 1, members = members - OLD.member_count WHERE village_code = OLD.village_code; END IF; IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO village_counts (village_code, township_code, county_code, households, members) VALUES (NEW.village_code, NEW.township_code, NEW.county_code, 1, NEW.member_count) ON CONFLICT (village_code) DO UPDATE SET households = village_counts.households + 1, members = village_counts.members + EXCLUDED.members; END IF; RETURN NULL; END $$;
--pg CREATE TRIGGER vc_households AFTER INSERT OR DELETE OR UPDATE ON households FOR EACH ROW EXECUTE FUNCTION vc_households();

-- The dashboard's overdue rectifications: open tasks past a deadline are few; without this
-- index a county's dashboard read every flag of its 500 villages to find them.
CREATE INDEX contract_flags_due ON contract_flags (status, deadline, village_code);
