//! The batch assessment's reads and writes: every household of a round, all its records in one
//! streaming query, assessments written with multi-row inserts.

use crate::rows::{row, Run};
use crate::sqlbuild::bind_subtree;
use crate::Result;
use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Row};

/// Ids of the households of a unit (village or township), ascending. Sorted here, not in SQL:
/// the area's index is ordered by village and number, and a million ids sort in memory in a
/// few milliseconds where the engine would build a temporary B-tree.
pub async fn household_ids(conn: &mut AnyConnection, unit: &str) -> Result<Vec<i64>> {
    let s = super::unit_households(unit, 1);
    let sql = format!("SELECT h.id FROM households h WHERE {}", s.cond);
    let mut ids: Vec<i64> = s.bind(sqlx::query(&sql)).read_all(conn).await?;
    ids.sort_unstable();
    Ok(ids)
}

/// The records of one household as the batch read packs them: `(item_code, confirmed,
/// voided)` from `code:flags,code:flags`.
pub fn unpack(packed: &str) -> impl Iterator<Item = (&str, bool, bool)> {
    packed.split(',').filter_map(|one| {
        let (code, flags) = one.rsplit_once(':')?;
        let flags: u8 = flags.parse().ok()?;
        Some((code, flags & 2 != 0, flags & 1 != 0))
    })
}

/// Streams every record of a round into `each(household_id, packed)`, households in ascending
/// order, in one query; read the records with [`unpack`]. The records of a household come
/// packed in one text (item codes hold no `:` or `,`), so the driver hands over one row per
/// household instead of one per record: the per-row cost of the driver, not the engine,
/// dominates at millions of records. `string_agg` exists on SQLite (3.44+) and PostgreSQL.
pub async fn stream_records<F>(conn: &mut AnyConnection, round_id: i64, each: F) -> Result<()>
where
    F: FnMut(i64, &str),
{
    stream_records_between(conn, round_id, i64::MIN, i64::MAX, each).await
}

/// [`stream_records`] for the households whose id is in `first..=last` only (one part of a
/// round read by several connections at once).
pub async fn stream_records_between<F>(
    conn: &mut AnyConnection,
    round_id: i64,
    first: i64,
    last: i64,
    mut each: F,
) -> Result<()>
where
    F: FnMut(i64, &str),
{
    let mut rows = sqlx::query(
        "SELECT household_id, string_agg(item_code || ':' || \
         (CASE WHEN confirmed_by IS NULL THEN 0 ELSE 2 END + voided), ',') \
         FROM credit_records WHERE round_id = $1 AND household_id BETWEEN $2 AND $3 \
         GROUP BY household_id ORDER BY household_id",
    )
    .bind(round_id)
    .bind(first)
    .bind(last)
    .fetch(conn);
    while let Some(r) = rows.try_next().await? {
        let household_id: i64 = r.try_get(0)?;
        let packed: &str = r.try_get(1)?;
        each(household_id, packed);
    }
    Ok(())
}

/// Upheld objections that add or remove points: `(household_id, points, reason)`.
pub async fn upheld_deltas(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<(i64, i64, String)>> {
    sqlx::query(
        "SELECT household_id, fix_points, decision_reason FROM credit_objections \
         WHERE round_id = $1 AND status = 'upheld' AND fix_points <> 0 ORDER BY id",
    )
    .bind(round_id)
    .read_all(conn)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentWrite {
    pub household_id: i64,
    pub score: i64,
    pub grade: String,
    pub earned: i64,
    pub breakdown: String,
}

/// Rows per INSERT statement.
const CHUNK: usize = 500;

/// Replaces the round's assessments (call inside a transaction), 500 rows per statement with
/// parameters bound by position (see [`crate::sqlbuild::values_list`] for why that matters on
/// SQLite at a million households).
pub async fn replace_all(
    conn: &mut AnyConnection,
    round_id: i64,
    rows: &[AssessmentWrite],
) -> Result<()> {
    delete_round(conn, round_id).await?;
    insert_many(conn, round_id, rows).await
}

/// Removes the round's assessments (before [`insert_many`] writes them anew).
pub async fn delete_round(conn: &mut AnyConnection, round_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM credit_assessments WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts assessments of households the round has none for yet, 500 rows per statement.
pub async fn insert_many(
    conn: &mut AnyConnection,
    round_id: i64,
    rows: &[AssessmentWrite],
) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO credit_assessments (round_id, household_id, score, grade, earned, \
             breakdown) VALUES {}",
            crate::sqlbuild::values_list(conn, chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(round_id)
                .bind(r.household_id)
                .bind(r.score)
                .bind(r.grade.as_str())
                .bind(r.earned)
                .bind(r.breakdown.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Replaces one household's assessment (after an upheld objection, during publicity: the
/// public page's version is bumped here, see migration 0009).
pub async fn replace_one(
    conn: &mut AnyConnection,
    round_id: i64,
    r: &AssessmentWrite,
) -> Result<()> {
    crate::public_pages::bump_round(conn, round_id).await?;
    sqlx::query("DELETE FROM credit_assessments WHERE round_id = $1 AND household_id = $2")
        .bind(round_id)
        .bind(r.household_id)
        .execute(&mut *conn)
        .await?;
    replace_rows(conn, round_id, std::slice::from_ref(r)).await
}

async fn replace_rows(
    conn: &mut AnyConnection,
    round_id: i64,
    rows: &[AssessmentWrite],
) -> Result<()> {
    for r in rows {
        sqlx::query(
            "INSERT INTO credit_assessments (round_id, household_id, score, grade, earned, \
             breakdown) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(round_id)
        .bind(r.household_id)
        .bind(r.score)
        .bind(r.grade.as_str())
        .bind(r.earned)
        .bind(r.breakdown.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AssessmentRow {
        pub round_id: i64,
        pub household_id: i64,
        pub village_code: String,
        pub household_no: String,
        pub head_name: String,
        pub score: i64,
        pub grade: String,
        pub earned: i64,
        pub is_final: bool,
    }
}

const SELECT: &str = "SELECT a.round_id, a.household_id, h.village_code, h.household_no, \
    h.head_name, a.score, a.grade, a.earned, a.final FROM credit_assessments a \
    JOIN households h ON h.id = a.household_id";

pub async fn get(
    conn: &mut AnyConnection,
    round_id: i64,
    household_id: i64,
) -> Result<Option<AssessmentRow>> {
    sqlx::query(&format!(
        "{SELECT} WHERE a.round_id = $1 AND a.household_id = $2"
    ))
    .bind(round_id)
    .bind(household_id)
    .read_optional(conn)
    .await
}

/// Assessments of a round in a unit subtree (village for publicity), by household number.
pub async fn of_round(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
    limit: i64,
) -> Result<Vec<AssessmentRow>> {
    let s = super::unit_households(unit, 2);
    let sql = format!(
        "{SELECT} WHERE a.round_id = $1 AND {} ORDER BY h.village_code, h.household_no LIMIT {}",
        s.cond,
        limit.clamp(1, 100_000)
    );
    s.bind(sqlx::query(&sql).bind(round_id))
        .read_all(conn)
        .await
}

/// One page of a round's assessments in a unit subtree, by household number, and how many
/// there are in all (a township round holds tens of thousands: pages never read them all).
/// Only households inside `round_unit` (as `results` keeps them). `known_total`: the count
/// when the caller already has it (the round page, from the villages' progress). `bank_view` keeps only final
/// grades of households that consented to share, as `records::consenting_in` does for the
/// same unit.
#[allow(clippy::too_many_arguments)]
pub async fn page_of_round(
    conn: &mut AnyConnection,
    round_id: i64,
    round_unit: &str,
    unit: &str,
    bank_view: bool,
    offset: i64,
    limit: i64,
    known_total: Option<i64>,
) -> Result<(Vec<AssessmentRow>, i64)> {
    let bank = if bank_view {
        " AND a.final = 1 AND EXISTS (SELECT 1 FROM credit_profiles p \
         WHERE p.household_id = a.household_id AND p.consent_to_share = 1)"
    } else {
        ""
    };
    // $2 and $3 bound the round's unit; the scope's value, if any, is $4.
    let s = super::unit_households(unit, 4);
    let filter = format!(
        "WHERE a.round_id = $1 AND h.village_code BETWEEN $2 AND $3 AND {}{bank}",
        s.cond
    );
    let bound = |sql| s.bind(bind_subtree(sqlx::query(sql).bind(round_id), round_unit));
    let count_sql = format!(
        "SELECT COUNT(*) FROM credit_assessments a JOIN households h ON h.id = a.household_id \
         {filter}"
    );
    let total = match known_total {
        Some(n) => n,
        None => bound(&count_sql).read_one(&mut *conn).await?,
    };
    let sql = format!(
        "{SELECT} {filter} ORDER BY h.village_code, h.household_no LIMIT {} OFFSET {}",
        limit.clamp(1, 1000),
        offset.max(0)
    );
    Ok((bound(&sql).read_all(conn).await?, total))
}

/// Marks the round's assessments final and credits each household's points account with what
/// it earned (a passbook entry per household), in set-based statements.
pub async fn finalize(conn: &mut AnyConnection, round_id: i64, note: &str, by: &str) -> Result<()> {
    sqlx::query("UPDATE credit_assessments SET final = 1 WHERE round_id = $1")
        .bind(round_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO points_accounts (household_id, balance) SELECT a.household_id, 0 \
         FROM credit_assessments a WHERE a.round_id = $1 AND a.earned > 0 AND NOT EXISTS \
         (SELECT 1 FROM points_accounts p WHERE p.household_id = a.household_id)",
    )
    .bind(round_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE points_accounts SET balance = balance + (SELECT a.earned FROM credit_assessments a \
         WHERE a.round_id = $1 AND a.household_id = points_accounts.household_id) \
         WHERE household_id IN (SELECT a.household_id FROM credit_assessments a \
         WHERE a.round_id = $1 AND a.earned > 0)",
    )
    .bind(round_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO points_entries (household_id, kind, amount, balance_after, note, created_by, \
         created_at) SELECT a.household_id, 'earn', a.earned, p.balance, $2, $3, $4 \
         FROM credit_assessments a JOIN points_accounts p ON p.household_id = a.household_id \
         WHERE a.round_id = $1 AND a.earned > 0",
    )
    .bind(round_id)
    .bind(note)
    .bind(by)
    .bind(crate::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `(id, village_code, household_no)` of the households of a unit.
pub async fn household_numbers(
    conn: &mut AnyConnection,
    unit: &str,
) -> Result<Vec<(i64, String, String)>> {
    let s = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT h.id, h.village_code, h.household_no FROM households h WHERE {}",
        s.cond
    );
    s.bind(sqlx::query(&sql)).read_all(conn).await
}
