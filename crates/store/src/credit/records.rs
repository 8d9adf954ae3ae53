//! Score records, recorder relations and household filing.

use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RecordRow {
        pub id: i64,
        pub round_id: i64,
        pub household_id: i64,
        pub item_code: String,
        pub occurred_on: String,
        pub recorder: String,
        pub evidence: String,
        pub confirmed_by: Option<String>,
        pub voided: bool,
        pub void_reason: String,
        pub created_at: String,
    }
}

const SELECT: &str = "SELECT id, round_id, household_id, item_code, occurred_on, recorder, \
    evidence, confirmed_by, voided, void_reason, created_at FROM credit_records";

#[derive(Debug, Clone, Default)]
pub struct NewRecord {
    pub round_id: i64,
    pub household_id: i64,
    pub item_code: String,
    pub occurred_on: String,
    pub recorder: String,
    pub evidence: String,
    pub confirmed_by: Option<String>,
}

pub async fn insert(conn: &mut AnyConnection, r: &NewRecord) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_records (round_id, household_id, item_code, occurred_on, recorder, \
         evidence, confirmed_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.round_id)
    .bind(r.household_id)
    .bind(&r.item_code)
    .bind(&r.occurred_on)
    .bind(&r.recorder)
    .bind(&r.evidence)
    .bind(r.confirmed_by.as_deref())
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<RecordRow>> {
    sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn of_household(
    conn: &mut AnyConnection,
    round_id: i64,
    household_id: i64,
) -> Result<Vec<RecordRow>> {
    sqlx::query(&format!(
        "{SELECT} WHERE round_id = $1 AND household_id = $2 ORDER BY occurred_on, id"
    ))
    .bind(round_id)
    .bind(household_id)
    .read_all(conn)
    .await
}

/// Confirms a pending record (only if still unconfirmed).
pub async fn confirm(conn: &mut AnyConnection, id: i64, by: &str) -> Result<u64> {
    sqlx::query(
        "UPDATE credit_records SET confirmed_by = $1 WHERE id = $2 AND confirmed_by IS NULL",
    )
    .bind(by)
    .bind(id)
    .run(conn)
    .await
}

pub async fn void(conn: &mut AnyConnection, id: i64, reason: &str) -> Result<u64> {
    sqlx::query(
        "UPDATE credit_records SET voided = 1, void_reason = $1 WHERE id = $2 AND voided = 0",
    )
    .bind(reason)
    .bind(id)
    .run(conn)
    .await
}

/// `(household_id, kind)` the user declared: `own` or `relation`.
pub async fn relations_of(conn: &mut AnyConnection, username: &str) -> Result<Vec<(i64, String)>> {
    sqlx::query("SELECT household_id, kind FROM credit_relations WHERE username = $1 ORDER BY id")
        .bind(username)
        .read_all(conn)
        .await
}

pub async fn declare_relation(
    conn: &mut AnyConnection,
    username: &str,
    household_id: i64,
    kind: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_relations (username, household_id, kind, declared_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(username)
    .bind(household_id)
    .bind(kind)
    .bind(now_text())
    .read_one(conn)
    .await
}

row! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ProfileRow {
        pub household_id: i64,
        pub labour: i64,
        pub industry: String,
        pub income_band: String,
        pub loans: String,
        pub repayment: String,
        pub consent_to_share: bool,
        pub filed_by: String,
        pub filed_at: String,
    }
}

pub async fn profile(conn: &mut AnyConnection, household_id: i64) -> Result<Option<ProfileRow>> {
    sqlx::query(
        "SELECT household_id, labour, industry, income_band, loans, repayment, consent_to_share, \
         filed_by, filed_at FROM credit_profiles WHERE household_id = $1",
    )
    .bind(household_id)
    .read_optional(conn)
    .await
}

/// Files (or re-files) a household's information.
pub async fn save_profile(conn: &mut AnyConnection, p: &ProfileRow) -> Result<()> {
    // One upsert, not delete-then-insert: two concurrent filings of one household would both
    // delete nothing and the second insert would collide on PostgreSQL.
    sqlx::query(
        "INSERT INTO credit_profiles (household_id, labour, industry, income_band, loans, \
         repayment, consent_to_share, filed_by, filed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (household_id) DO UPDATE SET labour = excluded.labour, \
         industry = excluded.industry, income_band = excluded.income_band, \
         loans = excluded.loans, repayment = excluded.repayment, \
         consent_to_share = excluded.consent_to_share, filed_by = excluded.filed_by, \
         filed_at = excluded.filed_at",
    )
    .bind(p.household_id)
    .bind(p.labour)
    .bind(&p.industry)
    .bind(&p.income_band)
    .bind(&p.loans)
    .bind(&p.repayment)
    .bind(i64::from(p.consent_to_share))
    .bind(&p.filed_by)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// Households of a unit subtree whose filing consents to sharing with banks.
pub async fn consenting_in(conn: &mut AnyConnection, unit: &str) -> Result<Vec<i64>> {
    let s = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT p.household_id FROM credit_profiles p JOIN households h ON h.id = p.household_id \
         WHERE p.consent_to_share = 1 AND {}",
        s.cond
    );
    s.bind(sqlx::query(&sql)).read_all(conn).await
}

/// Unconfirmed, not voided records of a round per item code among the households of the
/// subtree of `unit` (the caller keeps the items its rules say need a second recorder).
pub async fn unconfirmed_by_item(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<Vec<(String, i64)>> {
    let s = super::unit_households(unit, 2);
    let sql = format!(
        "SELECT r.item_code, COUNT(*) FROM credit_records r JOIN households h ON h.id = r.household_id \
         WHERE r.round_id = $1 AND r.confirmed_by IS NULL AND r.voided = 0 AND {} GROUP BY r.item_code",
        s.cond
    );
    s.bind(sqlx::query(&sql).bind(round_id))
        .read_all(conn)
        .await
}
