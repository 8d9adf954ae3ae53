use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RoundRow {
        pub id: i64,
        pub unit_code: String,
        pub period: String,
        pub rules_name: String,
        pub rules_toml: String,
        pub stage: String,
        pub assessed_on: Option<String>,
        pub publicity_start: Option<String>,
        pub publicity_days: i64,
        pub finalized_on: Option<String>,
        pub created_by: String,
        pub created_at: String,
    }
}

const SELECT: &str = "SELECT id, unit_code, period, rules_name, rules_toml, stage, assessed_on, \
    publicity_start, publicity_days, finalized_on, created_by, created_at FROM credit_rounds";

pub async fn insert(
    conn: &mut AnyConnection,
    unit: &str,
    period: &str,
    rules_name: &str,
    rules_toml: &str,
    by: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_rounds (unit_code, period, rules_name, rules_toml, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit)
    .bind(period)
    .bind(rules_name)
    .bind(rules_toml)
    .bind(by)
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<RoundRow>> {
    sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

/// Rounds whose unit is inside `root` or contains it (a township round covers its villages).
pub async fn list_related(conn: &mut AnyConnection, root: &str) -> Result<Vec<RoundRow>> {
    // Ancestors are the root's prefixes at each level's code length: an IN list on the index.
    let (lo, hi) = domain::registry::subtree_bounds(root);
    let ancestors: Vec<&str> = domain::registry::Level::ALL
        .iter()
        .filter_map(|l| root.get(..l.code_len()))
        .filter(|a| a.len() < root.len())
        .collect();
    let placeholders: String = (0..ancestors.len())
        .map(|i| format!(", ${}", i + 3))
        .collect();
    let sql = format!(
        "{SELECT} WHERE unit_code BETWEEN $1 AND $2 OR unit_code IN (''{placeholders}) \
         ORDER BY id DESC LIMIT 200"
    );
    let mut q = sqlx::query(&sql).bind(lo).bind(hi);
    for a in ancestors {
        q = q.bind(a);
    }
    q.read_all(conn).await
}

/// Writes the state machine's fields, only if the stage is still `expected` (so two concurrent
/// transitions cannot both win). Returns rows changed.
#[allow(clippy::too_many_arguments)]
pub async fn set_state(
    conn: &mut AnyConnection,
    id: i64,
    expected: &str,
    stage: &str,
    assessed_on: Option<&str>,
    publicity_start: Option<&str>,
    publicity_days: i64,
    finalized_on: Option<&str>,
) -> Result<u64> {
    sqlx::query(
        "UPDATE credit_rounds SET stage = $1, assessed_on = $2, publicity_start = $3, \
         publicity_days = $4, finalized_on = $5 WHERE id = $6 AND stage = $7",
    )
    .bind(stage)
    .bind(assessed_on)
    .bind(publicity_start)
    .bind(publicity_days)
    .bind(finalized_on)
    .bind(id)
    .bind(expected)
    .run(conn)
    .await
}

row! {
    /// Per village of a round: households, assessed, open objections.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct VillageProgress {
        pub village_code: String,
        pub village_name: String,
        pub households: i64,
        pub filed: i64,
        pub records: i64,
        pub assessed: i64,
        pub open_objections: i64,
    }
}

/// Per-village figures of a round within `area` (the round's unit, or a part of it: one
/// village's account reads its village's households, not the whole township's).
///
/// Set-based: one grouped pass over the area's households (a household has at most one profile
/// and one assessment per round, so those join one-to-one), and one grouped pass each over the
/// round's records and open objections, joined back by village. The former per-household
/// correlated subqueries cost four index probes for each of a township's 25,000 households.
pub async fn progress(
    conn: &mut AnyConnection,
    round: &RoundRow,
    area: &str,
) -> Result<Vec<VillageProgress>> {
    let s = super::unit_households(area, 2);
    let cond = &s.cond;
    let sql = format!(
        "SELECT hv.village_code, COALESCE(u.name, hv.village_code) AS vname, hv.n, hv.filed, \
         COALESCE(rv.n, 0) AS recs, hv.assessed, COALESCE(ov.n, 0) AS open_obj \
         FROM (SELECT h.village_code, COUNT(*) AS n, COUNT(p.household_id) AS filed, \
               COUNT(a.household_id) AS assessed \
               FROM households h \
               LEFT JOIN credit_profiles p ON p.household_id = h.id \
               LEFT JOIN credit_assessments a ON a.round_id = $1 AND a.household_id = h.id \
               WHERE {cond} GROUP BY h.village_code) hv \
         LEFT JOIN (SELECT h.village_code, COUNT(*) AS n FROM credit_records r \
               JOIN households h ON h.id = r.household_id \
               WHERE r.round_id = $1 AND {cond} GROUP BY h.village_code) rv \
           ON rv.village_code = hv.village_code \
         LEFT JOIN (SELECT h.village_code, COUNT(*) AS n FROM credit_objections o \
               JOIN households h ON h.id = o.household_id \
               WHERE o.round_id = $1 AND o.status = 'open' AND {cond} GROUP BY h.village_code) ov \
           ON ov.village_code = hv.village_code \
         LEFT JOIN units u ON u.code = hv.village_code \
         ORDER BY hv.village_code"
    );
    s.bind(sqlx::query(&sql).bind(round.id))
        .read_all(conn)
        .await
}
