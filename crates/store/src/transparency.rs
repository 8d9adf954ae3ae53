//! The transparency log's rows (migration 0019): entries, perfect-subtree hashes, checkpoints.
//! Appends are serialised by the one `log_state` row (its UPDATE takes the row lock on
//! PostgreSQL; SQLite writes one at a time anyway), so two publications never get one index.

use crate::rows::{FromRow, Run};
use crate::{now_text, Result};
use domain::transparency::merkle::{Hash, Node};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// One published entry: the exact leaf bytes and what they are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub index: u64,
    pub kind: String,
    pub unit_code: String,
    pub ref_id: Option<i64>,
    /// The leaf bytes (UTF-8 text: canonical JSON).
    pub leaf: String,
    pub created_at: String,
}

/// A stored hash (hex text) back to bytes; a malformed one is a broken row.
fn hash_of(text: &str, table: &str) -> Result<Hash> {
    hex::decode(text)
        .ok()
        .and_then(|b| Hash::try_from(b).ok())
        .ok_or_else(|| crate::StoreError::Constraint(format!("bad hash in {table}")))
}

fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| crate::StoreError::Constraint("log index out of range".into()))
}

fn to_u64(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| crate::StoreError::Constraint("negative log index".into()))
}

/// Takes the next index (inside the caller's write transaction) and returns it.
pub async fn next_index(conn: &mut AnyConnection) -> Result<u64> {
    let size: i64 = sqlx::query("UPDATE log_state SET size = size + 1 WHERE id = 1 RETURNING size")
        .read_one(conn)
        .await?;
    to_u64(size - 1)
}

/// The number of entries (committed, or written by this transaction).
pub async fn size(conn: &mut AnyConnection) -> Result<u64> {
    let size = sqlx::query("SELECT size FROM log_state WHERE id = 1")
        .read_one(conn)
        .await?;
    to_u64(size)
}

pub async fn insert_entry(
    conn: &mut AnyConnection,
    index: u64,
    kind: &str,
    unit_code: &str,
    ref_id: Option<i64>,
    leaf: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO log_entries (idx, kind, unit_code, ref_id, leaf, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_i64(index)?)
    .bind(kind)
    .bind(unit_code)
    .bind(ref_id)
    .bind(leaf)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores perfect-subtree hashes (hex).
pub async fn insert_nodes(conn: &mut AnyConnection, nodes: &[(Node, Hash)]) -> Result<()> {
    for (n, h) in nodes {
        sqlx::query("INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3)")
            .bind(i64::from(n.level))
            .bind(to_i64(n.index)?)
            .bind(hex::encode(h))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The stored hashes of these subtrees (those that exist), in one query.
pub async fn nodes(conn: &mut AnyConnection, wanted: &[Node]) -> Result<Vec<(Node, Hash)>> {
    let mut out = Vec::with_capacity(wanted.len());
    // Bounded batches keep the statement small whatever the plan's length.
    for chunk in wanted.chunks(64) {
        let mut sql = String::from("SELECT level, idx, hash FROM log_nodes WHERE ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(" OR ");
            }
            sql.push_str(&format!(
                "(level = ${} AND idx = ${})",
                2 * i + 1,
                2 * i + 2
            ));
        }
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q.bind(i64::from(n.level)).bind(to_i64(n.index)?);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let level = u32::try_from(r.try_get::<i64, _>(0)?)
                .map_err(|_| crate::StoreError::Constraint("bad log level".into()))?;
            let index = to_u64(r.try_get(1)?)?;
            let hash = hash_of(&r.try_get::<String, _>(2)?, "log_nodes")?;
            out.push((Node { level, index }, hash));
        }
    }
    Ok(out)
}

const ENTRY_COLS: &str = "idx, kind, unit_code, ref_id, leaf, created_at";

impl FromRow for EntryRow {
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(EntryRow {
            index: to_u64(r.try_get(0)?)?,
            kind: r.try_get(1)?,
            unit_code: r.try_get(2)?,
            ref_id: r.try_get(3)?,
            leaf: r.try_get(4)?,
            created_at: r.try_get(5)?,
        })
    }
}

pub async fn entry_at(conn: &mut AnyConnection, index: u64) -> Result<Option<EntryRow>> {
    sqlx::query(&format!(
        "SELECT {ENTRY_COLS} FROM log_entries WHERE idx = $1"
    ))
    .bind(to_i64(index)?)
    .read_optional(conn)
    .await
}

/// Entries from `from` on, in index order, at most `limit`.
pub async fn entries(conn: &mut AnyConnection, from: u64, limit: i64) -> Result<Vec<EntryRow>> {
    sqlx::query(&format!(
        "SELECT {ENTRY_COLS} FROM log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2"
    ))
    .bind(to_i64(from)?)
    .bind(limit)
    .read_all(conn)
    .await
}

/// The entries about one thing (e.g. kind `credit.final`, the round's id), oldest first.
pub async fn entries_of(
    conn: &mut AnyConnection,
    kind: &str,
    ref_id: i64,
) -> Result<Vec<EntryRow>> {
    sqlx::query(&format!(
        "SELECT {ENTRY_COLS} FROM log_entries WHERE kind = $1 AND ref_id = $2 ORDER BY idx"
    ))
    .bind(kind)
    .bind(ref_id)
    .read_all(conn)
    .await
}

/// A signed checkpoint as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointRow {
    pub size: u64,
    pub root: Hash,
    pub note: String,
    pub created_at: String,
}

/// Keeps a checkpoint unless one for this size exists; `true` when this call kept it.
pub async fn insert_checkpoint(
    conn: &mut AnyConnection,
    size: u64,
    root: &Hash,
    note: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (size) DO NOTHING",
    )
    .bind(to_i64(size)?)
    .bind(hex::encode(root))
    .bind(note)
    .bind(now_text())
    .run(conn)
    .await?;
    Ok(done == 1)
}

impl FromRow for CheckpointRow {
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(CheckpointRow {
            size: to_u64(r.try_get(0)?)?,
            root: hash_of(&r.try_get::<String, _>(1)?, "log_checkpoints")?,
            note: r.try_get(2)?,
            created_at: r.try_get(3)?,
        })
    }
}

const CHECKPOINTS: &str = "SELECT size, root, note, created_at FROM log_checkpoints";

/// The newest checkpoint (largest size).
pub async fn latest_checkpoint(conn: &mut AnyConnection) -> Result<Option<CheckpointRow>> {
    sqlx::query(&format!("{CHECKPOINTS} ORDER BY size DESC LIMIT 1"))
        .read_optional(conn)
        .await
}

/// Every checkpoint, smallest first (for the audit).
pub async fn checkpoints(conn: &mut AnyConnection) -> Result<Vec<CheckpointRow>> {
    sqlx::query(&format!("{CHECKPOINTS} ORDER BY size"))
        .read_all(conn)
        .await
}

/// The checkpoint the log signed for `size`, if any.
pub async fn checkpoint_at(conn: &mut AnyConnection, size: u64) -> Result<Option<CheckpointRow>> {
    sqlx::query(&format!("{CHECKPOINTS} WHERE size = $1"))
        .bind(to_i64(size)?)
        .read_optional(conn)
        .await
}

/// Keeps a witness's signature line for a size (the first one it sent stays).
pub async fn insert_cosignature(
    conn: &mut AnyConnection,
    size: u64,
    witness: &str,
    line: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO log_cosignatures (size, witness, line, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (size, witness) DO NOTHING",
    )
    .bind(to_i64(size)?)
    .bind(witness)
    .bind(line)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The witnesses' signature lines of a size, by witness name.
pub async fn cosignatures(conn: &mut AnyConnection, size: u64) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT line FROM log_cosignatures WHERE size = $1 ORDER BY witness")
        .bind(to_i64(size)?)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}
