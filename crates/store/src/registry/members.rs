use crate::rows::{bind_cells, row, Run, Stored};
use crate::Result;
use sqlx::AnyConnection;

row! {
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
}

impl MemberRow {
    /// The person's fields (`$1..$9` of an insert after the household and position, of an
    /// update before the id).
    fn person(&self) -> Vec<crate::rows::Cell<'_>> {
        [
            &self.sex,
            &self.birth_date,
            &self.id_cipher,
            &self.id_hash,
            &self.id_masked,
            &self.phone_cipher,
            &self.phone_masked,
        ]
        .into_iter()
        .map(Stored::cell)
        .collect()
    }
}

const COLS: &str =
    "id, household_id, position, name, relation, sex, birth_date, id_cipher, id_hash, \
    id_masked, phone_cipher, phone_masked";

pub async fn of_household(conn: &mut AnyConnection, household_id: i64) -> Result<Vec<MemberRow>> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM members WHERE household_id = $1 ORDER BY position, id"
    ))
    .bind(household_id)
    .read_all(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<MemberRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM members WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn insert(conn: &mut AnyConnection, m: &MemberRow) -> Result<i64> {
    let q = sqlx::query(
        "INSERT INTO members (household_id, position, name, relation, sex, birth_date, id_cipher, id_hash, \
         id_masked, phone_cipher, phone_masked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(m.household_id)
    .bind(m.position)
    .bind(&m.name)
    .bind(&m.relation);
    let id = bind_cells(q, m.person()).read_one(&mut *conn).await?;
    adjust_count(conn, m.household_id, 1).await?;
    Ok(id)
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
    let q = sqlx::query(
        "UPDATE members SET name = $1, relation = $2, sex = $3, birth_date = $4, id_cipher = $5, id_hash = $6, \
         id_masked = $7, phone_cipher = $8, phone_masked = $9 WHERE id = $10",
    )
    .bind(&m.name)
    .bind(&m.relation);
    bind_cells(q, m.person()).bind(m.id).run(conn).await
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
        .run(&mut *conn)
        .await?;
    sqlx::query("UPDATE households SET member_count = 0 WHERE id = $1")
        .bind(household_id)
        .execute(conn)
        .await?;
    Ok(n)
}

/// Members anywhere holding this resident ID (by keyed hash): one person, one household.
pub async fn find_by_id_hash(conn: &mut AnyConnection, hash: &str) -> Result<Vec<MemberRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM members WHERE id_hash = $1"))
        .bind(hash)
        .read_all(conn)
        .await
}
