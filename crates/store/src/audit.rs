//! The audit log: append-only (the schema's triggers refuse UPDATE and DELETE).

use crate::rows::{row, AnyQuery, Run};
use crate::sqlbuild::{like_contains, Where};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
    pub struct AuditEntry {
        pub id: i64,
        pub at: String,
        pub actor_id: Option<i64>,
        pub actor_name: String,
        pub ip: String,
        pub action: String,
        pub entity_type: String,
        pub entity_id: String,
        pub unit_code: String,
        /// JSON: `{"before": …, "after": …}` or other facts of the action.
        pub summary: String,
    }
}

const INSERT: &str = "INSERT INTO audit_log (at, actor_id, actor_name, ip, action, entity_type, \
     entity_id, unit_code, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

fn bind_entry<'q>(q: AnyQuery<'q>, e: &'q AuditEntry) -> AnyQuery<'q> {
    q.bind(if e.at.is_empty() {
        now_text()
    } else {
        e.at.clone()
    })
    .bind(e.actor_id)
    .bind(&e.actor_name)
    .bind(&e.ip)
    .bind(&e.action)
    .bind(&e.entity_type)
    .bind(&e.entity_id)
    .bind(&e.unit_code)
    .bind(&e.summary)
}

pub async fn append(conn: &mut AnyConnection, e: &AuditEntry) -> Result<()> {
    bind_entry(sqlx::query(INSERT), e).execute(conn).await?;
    Ok(())
}

/// [`append`] together with the running request's `Idempotency-Key` row (see
/// [`crate::idempotency::WrittenKey`]); `false` when another request holds the key, and then
/// the caller must roll back (the entry may have been inserted). On SQLite both go in one
/// statement batch: one round trip to the connection's thread instead of two, on every keyed
/// write.
pub async fn append_keyed(
    conn: &mut AnyConnection,
    e: &AuditEntry,
    key: &crate::idempotency::WrittenKey<'_>,
) -> Result<bool> {
    if crate::lock::is_postgres(conn) {
        if key.insert(conn).await?.is_none() {
            return Ok(false);
        }
        append(conn, e).await?;
        return Ok(true);
    }
    // Parameters are numbered across the batch: $1..$8 the key, $9..$17 the entry.
    const BATCH: &str = concat!(
        crate::idempotency::insert_written_sql!(),
        "; INSERT INTO audit_log (at, actor_id, actor_name, ip, action, entity_type, \
         entity_id, unit_code, summary) VALUES ($9, $10, $11, $12, $13, $14, $15, $16, $17)"
    );
    let rows = bind_entry(key.bind(sqlx::query(BATCH)), e)
        .fetch_all(conn)
        .await?;
    Ok(!rows.is_empty())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Unit subtree (entries with an empty unit, e.g. logins, are visible to the national admin only).
    pub unit_prefix: String,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub text: Option<String>,
    /// Instants (RFC 3339 UTC): `from` inclusive, `to` exclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

pub async fn list(conn: &mut AnyConnection, f: &AuditFilter) -> Result<(Vec<AuditEntry>, i64)> {
    let mut w = Where::default();
    if !f.unit_prefix.is_empty() {
        w.add_subtree("unit_code", &f.unit_prefix);
    }
    let text = f
        .text
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(like_contains);
    let filters = [
        ("actor_name = ?", f.actor.as_deref()),
        ("action = ?", f.action.as_deref()),
        ("entity_type = ?", f.entity_type.as_deref()),
        ("summary LIKE ? ESCAPE '\\'", text.as_deref()),
        ("at >= ?", f.from.as_deref()),
        ("at < ?", f.to.as_deref()),
    ];
    for (cond, value) in filters {
        if let Some(v) = value.filter(|s| !s.is_empty()) {
            w.add(cond, v);
        }
    }
    let count = format!("SELECT COUNT(*) FROM audit_log{}", w.sql());
    let total: i64 = w.bind(sqlx::query(&count)).read_one(&mut *conn).await?;
    let sql = format!(
        "SELECT id, at, actor_id, actor_name, ip, action, entity_type, entity_id, unit_code, summary \
         FROM audit_log{} ORDER BY id DESC LIMIT {} OFFSET {}",
        w.sql(),
        f.limit.clamp(1, 500),
        f.offset.max(0)
    );
    Ok((w.bind(sqlx::query(&sql)).read_all(conn).await?, total))
}
