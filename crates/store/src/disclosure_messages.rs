//! Villagers' messages on a village's modules and disclosures, and the answers (migration 0021).

use crate::sqlbuild::Where;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageRow {
    pub id: i64,
    pub village_code: String,
    pub module: String,
    pub disclosure_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub kind: String,
    pub body: String,
    pub created_at: String,
    pub answer: Option<String>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<String>,
}

fn row(r: &AnyRow) -> Result<MessageRow> {
    Ok(MessageRow {
        id: r.try_get("id")?,
        village_code: r.try_get("village_code")?,
        module: r.try_get("module")?,
        disclosure_id: r.try_get("disclosure_id")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        kind: r.try_get("kind")?,
        body: r.try_get("body")?,
        created_at: r.try_get("created_at")?,
        answer: r.try_get("answer")?,
        answered_by_name: r.try_get("answered_by_name")?,
        answered_at: r.try_get("answered_at")?,
    })
}

pub struct NewMessage<'a> {
    pub village_code: &'a str,
    pub township_code: &'a str,
    pub module: &'a str,
    pub disclosure_id: Option<i64>,
    pub author_id: i64,
    pub author_name: &'a str,
    pub kind: &'a str,
    pub body: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, m: &NewMessage<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO disclosure_messages (village_code, township_code, module, disclosure_id, \
         author_id, author_name, kind, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(m.village_code)
    .bind(m.township_code)
    .bind(m.module)
    .bind(m.disclosure_id)
    .bind(m.author_id)
    .bind(m.author_name)
    .bind(m.kind)
    .bind(m.body)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Answers a message once; `false` when it was answered meanwhile.
pub async fn answer(
    conn: &mut AnyConnection,
    id: i64,
    answer: &str,
    by: &str,
    kind: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE disclosure_messages SET answer = $1, answered_by_name = $2, answered_at = $3, \
         kind = $4 WHERE id = $5 AND answered_at IS NULL",
    )
    .bind(answer)
    .bind(by)
    .bind(now_text())
    .bind(kind)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<MessageRow>> {
    let r = sqlx::query("SELECT * FROM disclosure_messages WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    r.as_ref().map(row).transpose()
}

/// Messages of a subtree (newest first), or of one author.
pub async fn list(
    conn: &mut AnyConnection,
    root: Option<&str>,
    author: Option<i64>,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let mut w = Where::default();
    if let Some(r) = root {
        match r.len() {
            0 => {}
            9 => {
                w.add("township_code = ?", r);
            }
            12 => {
                w.add("village_code = ?", r);
            }
            _ => {
                w.add_subtree("village_code", r);
            }
        }
    }
    if let Some(a) = author {
        w.add_plain(&format!("author_id = {a}"));
    }
    let sql = format!(
        "SELECT * FROM disclosure_messages{} ORDER BY id DESC LIMIT {}",
        w.sql(),
        limit.clamp(1, 1000)
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter().map(row).collect()
}
