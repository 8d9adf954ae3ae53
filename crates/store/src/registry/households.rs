use crate::rows::{bind_cells, row, Cell, Run, Stored};
use crate::sqlbuild::{like_contains, Where};
use crate::{now_text, Result};
use domain::registry::search::NameSearch;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct HouseholdRow {
        pub id: i64,
        pub village_code: String,
        pub grid_code: Option<String>,
        pub household_no: String,
        pub address: String,
        pub head_name: String,
        /// Tag codes joined by `,`.
        pub tags: String,
        pub notes: String,
        pub created_at: String,
        pub updated_at: String,
        pub member_count: i64,
        /// Name of the grid or micro-grid, for lists.
        pub grid_name: Option<String>,
    }
}

/// What the application writes: the household's own fields.
#[derive(Debug, Clone, Default)]
pub struct HouseholdWrite {
    pub village_code: String,
    pub grid_code: Option<String>,
    pub household_no: String,
    pub address: String,
    pub head_name: String,
    pub tags: String,
    pub notes: String,
}

impl HouseholdWrite {
    /// The fields an update sets, in the order of [`insert`] and [`update`]: all but the
    /// village.
    fn cells(&self) -> Vec<Cell<'_>> {
        let text = [
            &self.household_no,
            &self.address,
            &self.head_name,
            &self.tags,
            &self.notes,
        ];
        std::iter::once(self.grid_code.cell())
            .chain(text.into_iter().map(Stored::cell))
            .collect()
    }
}

/// The list's columns, written once for both `SELECT` forms below.
macro_rules! household_columns {
    () => {
        "SELECT h.id, h.village_code, h.grid_code, h.household_no, h.address, h.head_name, \
         h.tags, h.notes, h.created_at, h.updated_at, \
         h.member_count, \
         (SELECT u.name FROM units u WHERE u.code = h.grid_code) AS grid_name"
    };
}
const SELECT_COLUMNS: &str = household_columns!();
const SELECT: &str = concat!(household_columns!(), " FROM households h");

/// Restricts households to a unit subtree, using the denormalised county/township/village
/// columns so each level is an indexed equality.
pub fn scope_filter(w: &mut Where, root: &str) {
    match root.len() {
        0 => {}
        1..=5 => {
            w.add_subtree("h.county_code", root);
        }
        6..=8 => {
            w.add("h.county_code = ?", root);
        }
        9..=11 => {
            w.add("h.township_code = ?", root);
        }
        12..=14 => {
            w.add("h.village_code = ?", root);
        }
        _ => {
            w.add_subtree("h.grid_code", root);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    /// The unit subtree to list (already checked against the account's scope).
    pub unit: String,
    /// Text typed in the search box, matched as `domain::registry::search` decides.
    pub text: Option<NameSearch>,
    /// Keyed hash of a resident ID typed in the search box.
    pub id_hash: Option<String>,
    pub tag: Option<String>,
    /// Only households that consented to share their credit information (bank officers).
    pub consenting_only: bool,
    pub offset: i64,
    pub limit: i64,
}

const ORDER: &str = " ORDER BY h.village_code, h.household_no";

/// One page of households and the number that match.
///
/// Why three shapes: at county scale (500,000 households) a list must not read or sort the
/// whole area to show 50 rows. With a name prefix or a resident ID, the few matching
/// households are found by index first (`hits`) and joined to the area (`CROSS JOIN` makes
/// SQLite start from them; PostgreSQL plans it as a plain join). Otherwise the page's ids are
/// picked from the (area, village, number) index alone — skipping rows of earlier pages costs
/// index entries only — and only those rows are read in full.
pub async fn list(
    conn: &mut AnyConnection,
    f: &HouseholdFilter,
) -> Result<(Vec<HouseholdRow>, i64)> {
    let mut w = Where::default();
    let hits = if let Some(hash) = &f.id_hash {
        w.args.push(hash.clone());
        Some("SELECT m.household_id AS hid FROM members m WHERE m.id_hash = $1".to_string())
    } else if let Some(NameSearch::Prefix { lo, hi }) = &f.text {
        w.args.push(lo.clone());
        w.args.push(hi.clone());
        let (ge, lt) = if crate::lock::is_postgres(conn) {
            ("~>=~", "~<~")
        } else {
            (">=", "<")
        };
        Some(format!(
            "SELECT m.household_id AS hid FROM members m WHERE m.name {ge} $1 AND m.name {lt} $2 \
             UNION SELECT hh.id FROM households hh WHERE hh.head_name {ge} $1 AND hh.head_name {lt} $2"
        ))
    } else {
        None
    };
    scope_filter(&mut w, &f.unit);
    if let Some(NameSearch::Contains(t)) = &f.text {
        let pat = like_contains(t);
        let n = w.next_index();
        w.args.push(pat);
        w.add_plain(&format!(
            "(h.household_no LIKE ${n} ESCAPE '\\' OR h.head_name LIKE ${n} ESCAPE '\\' \
             OR h.address LIKE ${n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM members m \
             WHERE m.household_id = h.id AND m.name LIKE ${n} ESCAPE '\\'))"
        ));
    }
    if let Some(tag) = &f.tag {
        w.add("(',' || h.tags || ',') LIKE ?", format!("%,{tag},%"));
    }
    if f.consenting_only {
        w.add_plain(
            "EXISTS (SELECT 1 FROM credit_profiles p WHERE p.household_id = h.id \
             AND p.consent_to_share = 1)",
        );
    }
    if hits.is_some() {
        w.add_plain("h.id = hit.hid");
    }
    let from = match &hits {
        Some(hits) => format!(" FROM ({hits}) hit CROSS JOIN households h"),
        None => " FROM households h".to_string(),
    };
    let unfiltered = hits.is_none() && f.text.is_none() && f.tag.is_none() && !f.consenting_only;
    let mut offset = f.offset.max(0);
    let total: i64 = if unfiltered && f.unit.len() < 12 && offset > 0 {
        // A later page of a whole township, county or more: the kept per-village counts
        // (migration 14) give the total and the village the page starts in, so the page
        // query seeks to that village in the (area, village, number) index and skips fewer
        // than one village's rows instead of every row of the earlier pages.
        let sizes = village_sizes(conn, &f.unit).await?;
        let total = sizes.iter().map(|(_, n)| n).sum();
        let mut before = 0;
        match sizes.iter().find(|(_, n)| {
            let past = before + n > offset;
            if !past {
                before += n;
            }
            past
        }) {
            Some((village, _)) => {
                w.add("h.village_code >= ?", village.clone());
                offset -= before;
            }
            None => return Ok((Vec::new(), total)),
        }
        total
    } else if unfiltered && f.unit.len() < 12 {
        // A whole township, county or more: the kept per-village counts (migration 14).
        counts_by_child(conn, &f.unit, f.unit.len())
            .await?
            .households
    } else if unfiltered && f.unit.len() == 12 {
        // A whole village: its kept count (no row yet: no household ever).
        sqlx::query("SELECT households FROM village_counts WHERE village_code = $1")
            .bind(&f.unit)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or(0)
    } else {
        let count_sql = format!("SELECT COUNT(*){from}{}", w.sql());
        w.bind(sqlx::query(&count_sql))
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?
    };
    let page = format!("{ORDER} LIMIT {} OFFSET {}", f.limit.clamp(1, 500), offset);
    let sql = match hits {
        Some(_) => format!("{SELECT_COLUMNS}{from}{}{page}", w.sql()),
        None => format!(
            "{SELECT_COLUMNS} FROM households h WHERE h.id IN (SELECT h.id FROM households h{}{page}){ORDER}",
            w.sql()
        ),
    };
    Ok((w.bind(sqlx::query(&sql)).read_all(conn).await?, total))
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<HouseholdRow>> {
    sqlx::query(&format!("{SELECT} WHERE h.id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn find_by_no(
    conn: &mut AnyConnection,
    village: &str,
    no: &str,
) -> Result<Option<HouseholdRow>> {
    sqlx::query(&format!(
        "{SELECT} WHERE h.village_code = $1 AND h.household_no = $2"
    ))
    .bind(village)
    .bind(no)
    .read_optional(conn)
    .await
}

pub async fn insert(conn: &mut AnyConnection, h: &HouseholdWrite) -> Result<i64> {
    let (township, county) = crate::ledger::parents(&h.village_code);
    let q = sqlx::query(
        "INSERT INTO households (village_code, township_code, county_code, grid_code, household_no, \
         address, head_name, tags, notes, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&h.village_code)
    .bind(township)
    .bind(county);
    bind_cells(q, h.cells())
        .bind(now_text())
        .read_one(conn)
        .await
}

/// Updates the household's own fields (not its village).
pub async fn update(conn: &mut AnyConnection, id: i64, h: &HouseholdWrite) -> Result<u64> {
    let q = sqlx::query(
        "UPDATE households SET grid_code = $1, household_no = $2, address = $3, head_name = $4, \
         tags = $5, notes = $6, updated_at = $7 WHERE id = $8",
    );
    bind_cells(q, h.cells())
        .bind(now_text())
        .bind(id)
        .run(conn)
        .await
}

pub async fn set_grid(conn: &mut AnyConnection, id: i64, grid: Option<&str>) -> Result<u64> {
    sqlx::query("UPDATE households SET grid_code = $1, updated_at = $2 WHERE id = $3")
        .bind(grid)
        .bind(now_text())
        .bind(id)
        .run(conn)
        .await
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM members WHERE household_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM households WHERE id = $1")
        .bind(id)
        .run(conn)
        .await
}

/// Households and members in a unit subtree (dashboard figures).
pub async fn counts(conn: &mut AnyConnection, root: &str) -> Result<(i64, i64)> {
    let mut w = Where::default();
    scope_filter(&mut w, root);
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(h.member_count), 0) AS BIGINT) FROM households h{}",
        w.sql()
    );
    w.bind(sqlx::query(&sql)).read_one(conn).await
}

/// Households and members of a subtree in total and per child unit of `root` (codes
/// `child_len` digits long), from ONE scan: the rows are grouped by the denormalised column of
/// the level below the scope (county, township, village or grid code), which is the order of the
/// `households_*_counts` covering indexes, so no sort is needed; longer codes are folded onto
/// their child prefix here. Households outside every child (no grid, under a village) count in
/// the total only.
pub async fn counts_by_child(
    conn: &mut AnyConnection,
    root: &str,
    child_len: usize,
) -> Result<ScopeFigures> {
    // Above a village the kept per-village counts (migration 14) hold the same figures in a
    // few hundred rows; a village's grids are counted from its households.
    let sql = if root.len() < 12 && child_len <= 12 {
        let key = match child_len {
            0..=6 => "v.county_code",
            9 => "v.township_code",
            _ => "v.village_code",
        };
        let mut w = Where::default();
        match root.len() {
            0 => {}
            1..=5 => {
                w.add_subtree("v.county_code", root);
            }
            6..=8 => {
                w.add("v.county_code = ?", root);
            }
            _ => {
                w.add("v.township_code = ?", root);
            }
        }
        let sql = format!(
            "SELECT {key} AS k, CAST(SUM(v.households) AS BIGINT), CAST(SUM(v.members) AS BIGINT) \
             FROM village_counts v{} GROUP BY {key} ORDER BY {key}",
            w.sql()
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&mut *conn).await?;
        return fold_children(&rows, child_len);
    } else {
        let key = match child_len {
            0..=6 => "h.county_code",
            9 => "h.township_code",
            12 => "h.village_code",
            _ => "h.grid_code",
        };
        (key, ())
    };
    let key = sql.0;
    let mut w = Where::default();
    scope_filter(&mut w, root);
    let sql = format!(
        "SELECT {key} AS k, COUNT(*), CAST(COALESCE(SUM(h.member_count), 0) AS BIGINT) \
         FROM households h{} GROUP BY {key} ORDER BY {key}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    fold_children(&rows, child_len)
}

/// `(village, households)` of every village with households under `root` (shorter than a
/// village code), in village order, from the kept counts (migration 14).
async fn village_sizes(conn: &mut AnyConnection, root: &str) -> Result<Vec<(String, i64)>> {
    let mut w = Where::default();
    match root.len() {
        0 => {}
        1..=5 => {
            w.add_subtree("v.county_code", root);
        }
        6..=8 => {
            w.add("v.county_code = ?", root);
        }
        _ => {
            w.add("v.township_code = ?", root);
        }
    }
    let sql = format!(
        "SELECT v.village_code, v.households FROM village_counts v{} ORDER BY v.village_code",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Sums `(key, households, people)` rows, in key order, onto the child prefix of each key.
fn fold_children(rows: &[AnyRow], child_len: usize) -> Result<ScopeFigures> {
    let mut out = ScopeFigures::default();
    for r in rows {
        let (h, m): (i64, i64) = (r.try_get(1)?, r.try_get(2)?);
        out.households += h;
        out.members += m;
        let Some(k) = r.try_get::<Option<String>, _>(0)? else {
            continue;
        };
        let Some(child) = k.get(..child_len) else {
            continue;
        };
        match out.children.last_mut() {
            Some(last) if last.0 == child => {
                last.1 += h;
                last.2 += m;
            }
            _ => out.children.push((child.to_string(), h, m)),
        }
    }
    Ok(out)
}

/// A subtree's households and people, and each child unit's (code, households, people).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeFigures {
    pub households: i64,
    pub members: i64,
    pub children: Vec<(String, i64, i64)>,
}

/// Household counts per grid code under a village (for grid pages and the 10–15 rule).
pub async fn counts_by_grid(conn: &mut AnyConnection, village: &str) -> Result<Vec<(String, i64)>> {
    sqlx::query(
        "SELECT grid_code, COUNT(*) AS n FROM households WHERE village_code = $1 AND grid_code IS NOT NULL \
         GROUP BY grid_code",
    )
    .bind(village)
    .read_all(conn)
    .await
}
