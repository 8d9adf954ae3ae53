use crate::rows::{row, Run};
use crate::Result;
use sqlx::AnyConnection;
use sqlx::Row as _;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UnitRow {
        pub code: String,
        pub name: String,
        pub level: String,
        pub parent_code: Option<String>,
        pub leader: String,
    }
}

const COLS: &str = "code, name, level, parent_code, leader";

/// Rows per INSERT statement in bulk upserts: 4 values each stays far below both engines'
/// parameter limits while amortising the round trip.
pub const UPSERT_CHUNK: usize = 500;

/// Inserts units or updates their names, levels and parents; never duplicates a code. Returns
/// how many rows were inserted or actually changed.
pub async fn upsert(conn: &mut AnyConnection, rows: &[UnitRow]) -> Result<u64> {
    let mut changed = 0;
    for chunk in rows.chunks(UPSERT_CHUNK) {
        let mut sql = String::from("INSERT INTO units (code, name, level, parent_code) VALUES ");
        sql.push_str(&crate::sqlbuild::values_list(conn, chunk.len(), 4));
        sql.push_str(
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
             parent_code = excluded.parent_code \
             WHERE units.name <> excluded.name OR units.level <> excluded.level \
             OR COALESCE(units.parent_code, '') <> COALESCE(excluded.parent_code, '')",
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.code.as_str())
                .bind(r.name.as_str())
                .bind(r.level.as_str())
                .bind(r.parent_code.as_deref());
        }
        changed += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

pub async fn insert(conn: &mut AnyConnection, u: &UnitRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO units (code, name, level, parent_code, leader) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&u.code)
    .bind(&u.name)
    .bind(&u.level)
    .bind(u.parent_code.as_deref())
    .bind(&u.leader)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO unit_level_counts (province, level, n) VALUES ($1, $2, 1) \
         ON CONFLICT (province, level) DO UPDATE SET n = unit_level_counts.n + 1",
    )
    .bind(u.code.get(..2).unwrap_or_default())
    .bind(&u.level)
    .execute(&mut *conn)
    .await?;
    if let Some(county) = u.code.get(..6).filter(|_| u.code.len() > 6) {
        sqlx::query(
            "INSERT INTO county_level_counts (county, level, n) VALUES ($1, $2, 1) \
             ON CONFLICT (county, level) DO UPDATE SET n = county_level_counts.n + 1",
        )
        .bind(county)
        .bind(&u.level)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Recounts the units per level of each of `provinces` (two-digit codes) after a bulk write,
/// so the nationwide and county figures stay a read of a few dozen rows: ONE grouped scan of
/// each province gives both, per county and level (units of a county's code length or
/// shorter grouped under their own code); the province's figures are summed here.
pub async fn recount_levels(
    conn: &mut AnyConnection,
    provinces: &std::collections::BTreeSet<String>,
) -> Result<()> {
    for p in provinces {
        let groups = crate::sqlbuild::bind_subtree(
            sqlx::query(
                "SELECT SUBSTR(code, 1, 6) AS c, level, \
                 CAST(CASE WHEN LENGTH(code) > 6 THEN 1 ELSE 0 END AS BIGINT) AS below, \
                 CAST(COUNT(*) AS BIGINT) AS n \
                 FROM units WHERE code BETWEEN $1 AND $2 \
                 GROUP BY SUBSTR(code, 1, 6), level, CASE WHEN LENGTH(code) > 6 THEN 1 ELSE 0 END",
            ),
            p,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut province: std::collections::BTreeMap<String, i64> = Default::default();
        let mut county: Vec<(String, String, i64)> = Vec::new();
        for g in &groups {
            let (c, level, below, n): (String, String, i64, i64) =
                (g.try_get(0)?, g.try_get(1)?, g.try_get(2)?, g.try_get(3)?);
            *province.entry(level.clone()).or_default() += n;
            if below == 1 {
                county.push((c, level, n));
            }
        }
        sqlx::query("DELETE FROM unit_level_counts WHERE province = $1")
            .bind(p)
            .execute(&mut *conn)
            .await?;
        for (level, n) in &province {
            sqlx::query("INSERT INTO unit_level_counts (province, level, n) VALUES ($1, $2, $3)")
                .bind(p)
                .bind(level)
                .bind(n)
                .execute(&mut *conn)
                .await?;
        }
        crate::sqlbuild::bind_subtree(
            sqlx::query("DELETE FROM county_level_counts WHERE county BETWEEN $1 AND $2"),
            p,
        )
        .execute(&mut *conn)
        .await?;
        for chunk in county.chunks(UPSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO county_level_counts (county, level, n) VALUES {}",
                crate::sqlbuild::values_list(conn, chunk.len(), 3)
            );
            let mut q = sqlx::query(&sql);
            for (c, level, n) in chunk {
                q = q.bind(c.as_str()).bind(level.as_str()).bind(*n);
            }
            q.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

pub async fn update_grid(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    leader: &str,
) -> Result<u64> {
    sqlx::query("UPDATE units SET name = $1, leader = $2 WHERE code = $3")
        .bind(name)
        .bind(leader)
        .bind(code)
        .run(conn)
        .await
}

pub async fn get(conn: &mut AnyConnection, code: &str) -> Result<Option<UnitRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM units WHERE code = $1"))
        .bind(code)
        .read_optional(conn)
        .await
}

pub async fn children(conn: &mut AnyConnection, code: &str) -> Result<Vec<UnitRow>> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM units WHERE parent_code = $1 ORDER BY code"
    ))
    .bind(code)
    .read_all(conn)
    .await
}

/// Every unit below a village (its grids and micro-grids), in code order (each grid directly
/// followed by its micro-grids), each with the number of households assigned to that very
/// unit: one indexed range on the code and one look-up per unit in the (village, grid) index,
/// instead of a query per grid.
pub async fn below_village_with_households(
    conn: &mut AnyConnection,
    village: &str,
) -> Result<Vec<(UnitRow, i64)>> {
    let sql = format!(
        "SELECT {COLS}, (SELECT COUNT(*) FROM households h WHERE h.village_code = $3 \
         AND h.grid_code = units.code) AS n FROM units \
         WHERE code BETWEEN $1 AND $2 AND code <> $3 ORDER BY code"
    );
    let rows = crate::sqlbuild::bind_subtree(sqlx::query(&sql), village)
        .bind(village)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                <UnitRow as crate::rows::FromRow>::from_row(r)?,
                r.try_get("n")?,
            ))
        })
        .collect()
}

/// Top-level units (provinces), for the national administrator's tree.
pub async fn roots(conn: &mut AnyConnection) -> Result<Vec<UnitRow>> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM units WHERE parent_code IS NULL ORDER BY code"
    ))
    .read_all(conn)
    .await
}

/// Several units by code (breadcrumbs).
pub async fn get_many(conn: &mut AnyConnection, codes: &[String]) -> Result<Vec<UnitRow>> {
    let mut out = Vec::new();
    for c in codes {
        if let Some(u) = get(&mut *conn, c).await? {
            out.push(u);
        }
    }
    Ok(out)
}

/// Number of units of each level under `prefix` (excluding the unit itself).
pub async fn count_by_level(conn: &mut AnyConnection, prefix: &str) -> Result<Vec<(String, i64)>> {
    if prefix.is_empty() {
        // The whole country: the kept counts, not a scan of every unit.
        return sqlx::query(
            "SELECT level, CAST(SUM(n) AS BIGINT) AS n FROM unit_level_counts \
             WHERE n > 0 GROUP BY level",
        )
        .read_all(conn)
        .await;
    }
    if prefix.len() == 6 {
        // A county: the kept counts (migration 20), not a scan of its tens of thousands of
        // units.
        return sqlx::query(
            "SELECT level, n FROM county_level_counts WHERE county = $1 AND n > 0 ORDER BY level",
        )
        .bind(prefix)
        .read_all(conn)
        .await;
    }
    let q = sqlx::query(
        "SELECT level, COUNT(*) AS n FROM units WHERE code BETWEEN $1 AND $2 AND code <> $3 \
         GROUP BY level",
    );
    crate::sqlbuild::bind_subtree(q, prefix)
        .bind(prefix)
        .read_all(conn)
        .await
}

pub async fn count_all(conn: &mut AnyConnection) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM units")
        .read_one(conn)
        .await
}

/// The highest existing child code under `parent` of the given length, to number new grids.
pub async fn max_child_code(conn: &mut AnyConnection, parent: &str) -> Result<Option<String>> {
    sqlx::query("SELECT MAX(code) FROM units WHERE parent_code = $1")
        .bind(parent)
        .read_one(conn)
        .await
}

/// The villages of a subtree in code order, at most `limit` (an index range on the code).
pub async fn villages_under(
    conn: &mut AnyConnection,
    prefix: &str,
    limit: i64,
) -> Result<Vec<UnitRow>> {
    let sql = format!(
        "SELECT {COLS} FROM units WHERE code BETWEEN $1 AND $2 AND level = 'village' \
         ORDER BY code LIMIT {}",
        limit.clamp(1, 100_000)
    );
    crate::sqlbuild::bind_subtree(sqlx::query(&sql), prefix)
        .read_all(conn)
        .await
}
