use crate::Result;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A member as stored: personal numbers only as ciphertext, keyed hash and masked form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberRow {
    pub id: i64,
    pub household_id: i64,
    pub position: i64,
    pub name: String,
    pub relation: String,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub id_cipher: Option<String>,
    pub id_hash: Option<String>,
    pub id_masked: Option<String>,
    pub phone_cipher: Option<String>,
    pub phone_masked: Option<String>,
}

fn from_row(r: &AnyRow) -> Result<MemberRow> {
    Ok(MemberRow {
        id: r.try_get("id")?,
        household_id: r.try_get("household_id")?,
        position: r.try_get("position")?,
        name: r.try_get("name")?,
        relation: r.try_get("relation")?,
        sex: r.try_get("sex")?,
        birth_date: r.try_get("birth_date")?,
        id_cipher: r.try_get("id_cipher")?,
        id_hash: r.try_get("id_hash")?,
        id_masked: r.try_get("id_masked")?,
        phone_cipher: r.try_get("phone_cipher")?,
        phone_masked: r.try_get("phone_masked")?,
    })
}

const COLS: &str =
    "id, household_id, position, name, relation, sex, birth_date, id_cipher, id_hash, \
    id_masked, phone_cipher, phone_masked";

pub async fn of_household(conn: &mut AnyConnection, household_id: i64) -> Result<Vec<MemberRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM members WHERE household_id = $1 ORDER BY position, id"
    ))
    .bind(household_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<MemberRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM members WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(conn: &mut AnyConnection, m: &MemberRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO members (household_id, position, name, relation, sex, birth_date, id_cipher, id_hash, \
         id_masked, phone_cipher, phone_masked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(m.household_id)
    .bind(m.position)
    .bind(&m.name)
    .bind(&m.relation)
    .bind(m.sex.as_deref())
    .bind(m.birth_date.as_deref())
    .bind(m.id_cipher.as_deref())
    .bind(m.id_hash.as_deref())
    .bind(m.id_masked.as_deref())
    .bind(m.phone_cipher.as_deref())
    .bind(m.phone_masked.as_deref())
    .fetch_one(&mut *conn)
    .await?;
    adjust_count(conn, m.household_id, 1).await?;
    Ok(row.try_get(0)?)
}

/// Keeps `households.member_count` (what dashboards sum) equal to the household's members;
/// always called inside the transaction that adds or removes them.
async fn adjust_count(conn: &mut AnyConnection, household_id: i64, by: i64) -> Result<()> {
    sqlx::query("UPDATE households SET member_count = member_count + $1 WHERE id = $2")
        .bind(by)
        .bind(household_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update(conn: &mut AnyConnection, m: &MemberRow) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE members SET name = $1, relation = $2, sex = $3, birth_date = $4, id_cipher = $5, id_hash = $6, \
         id_masked = $7, phone_cipher = $8, phone_masked = $9 WHERE id = $10",
    )
    .bind(&m.name)
    .bind(&m.relation)
    .bind(m.sex.as_deref())
    .bind(m.birth_date.as_deref())
    .bind(m.id_cipher.as_deref())
    .bind(m.id_hash.as_deref())
    .bind(m.id_masked.as_deref())
    .bind(m.phone_cipher.as_deref())
    .bind(m.phone_masked.as_deref())
    .bind(m.id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    let gone: Option<i64> =
        sqlx::query_scalar("DELETE FROM members WHERE id = $1 RETURNING household_id")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match gone {
        Some(household_id) => {
            adjust_count(conn, household_id, -1).await?;
            Ok(1)
        }
        None => Ok(0),
    }
}

pub async fn delete_of_household(conn: &mut AnyConnection, household_id: i64) -> Result<u64> {
    let n = sqlx::query("DELETE FROM members WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("UPDATE households SET member_count = 0 WHERE id = $1")
        .bind(household_id)
        .execute(conn)
        .await?;
    Ok(n)
}

/// Members anywhere holding this resident ID (by keyed hash): one person, one household.
pub async fn find_by_id_hash(conn: &mut AnyConnection, hash: &str) -> Result<Vec<MemberRow>> {
    let rows = sqlx::query(&format!("SELECT {COLS} FROM members WHERE id_hash = $1"))
        .bind(hash)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}
