//! Disclosures (migration 0021): drafts, editable until published, and published disclosures,
//! which the database keeps final (triggers refuse UPDATE and DELETE).

use crate::sqlbuild::Where;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The fields a person writes (draft or published).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    pub unit_code: String,
    pub module: String,
    pub category: String,
    pub period: String,
    pub title: String,
    pub body: String,
    /// `domain::disclosure::table::Table` as JSON.
    pub table_json: Option<String>,
    pub supersedes: Option<i64>,
    /// SHA-256 (hex) of each attachment, as a JSON list.
    pub attachments: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub id: i64,
    pub content: Content,
    pub prepared_by: i64,
    pub prepared_by_name: String,
    pub prepared_at: String,
    pub approved_by: Option<i64>,
    pub approved_by_name: Option<String>,
    pub published_id: Option<i64>,
    /// The draft's version: an approval or a publication names the version it saw.
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRow {
    pub id: i64,
    pub content: Content,
    pub attachments: String,
    pub prepared_by_name: String,
    pub approved_by_name: Option<String>,
    pub published_by_name: String,
    pub published_at: String,
    /// The correction that replaced this one, if any.
    pub superseded_by: Option<i64>,
    /// Its index in the transparency log.
    pub log_index: Option<i64>,
}

fn content(r: &AnyRow) -> Result<Content> {
    Ok(Content {
        unit_code: r.try_get("unit_code")?,
        module: r.try_get("module")?,
        category: r.try_get("category")?,
        period: r.try_get("period")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        table_json: r.try_get("table_json")?,
        supersedes: r.try_get("supersedes")?,
        attachments: r.try_get("attachments")?,
    })
}

const DRAFT_COLUMNS: &str = "id, unit_code, module, category, period, title, body, table_json, \
     supersedes, prepared_by, prepared_by_name, prepared_at, approved_by, approved_by_name, \
     published_id, updated_at, attachments";

fn draft(r: &AnyRow) -> Result<DraftRow> {
    Ok(DraftRow {
        id: r.try_get("id")?,
        content: content(r)?,
        prepared_by: r.try_get("prepared_by")?,
        prepared_by_name: r.try_get("prepared_by_name")?,
        prepared_at: r.try_get("prepared_at")?,
        approved_by: r.try_get("approved_by")?,
        approved_by_name: r.try_get("approved_by_name")?,
        published_id: r.try_get("published_id")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const COLUMNS: &str = "d.id, d.unit_code, d.module, d.category, d.period, d.title, d.body, \
     d.table_json, d.supersedes, d.attachments, d.prepared_by_name, d.approved_by_name, \
     d.published_by_name, d.published_at, \
     (SELECT s.id FROM disclosures s WHERE s.supersedes = d.id) AS superseded_by, \
     (SELECT e.idx FROM log_entries e WHERE e.kind = 'disclosure' AND e.ref_id = d.id) AS log_index";

fn published(r: &AnyRow) -> Result<DisclosureRow> {
    Ok(DisclosureRow {
        id: r.try_get("id")?,
        content: content(r)?,
        attachments: r.try_get("attachments")?,
        prepared_by_name: r.try_get("prepared_by_name")?,
        approved_by_name: r.try_get("approved_by_name")?,
        published_by_name: r.try_get("published_by_name")?,
        published_at: r.try_get("published_at")?,
        superseded_by: r.try_get("superseded_by")?,
        log_index: r.try_get("log_index")?,
    })
}

pub async fn insert_draft(
    conn: &mut AnyConnection,
    c: &Content,
    prepared_by: i64,
    prepared_by_name: &str,
) -> Result<i64> {
    let now = now_text();
    let row = sqlx::query(
        "INSERT INTO disclosure_drafts (unit_code, module, category, period, title, body, \
         table_json, supersedes, prepared_by, prepared_by_name, prepared_at, updated_at, \
         attachments) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
    )
    .bind(&c.unit_code)
    .bind(&c.module)
    .bind(&c.category)
    .bind(&c.period)
    .bind(&c.title)
    .bind(&c.body)
    .bind(&c.table_json)
    .bind(c.supersedes)
    .bind(prepared_by)
    .bind(prepared_by_name)
    .bind(now)
    .bind(&c.attachments)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Rewrites an unpublished draft; editing withdraws an approval (the approver approved the
/// old text). `false` when the draft is gone or already published.
pub async fn update_draft(conn: &mut AnyConnection, id: i64, c: &Content) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE disclosure_drafts SET period = $1, title = $2, body = $3, table_json = $4, \
         approved_by = NULL, approved_by_name = NULL, approved_at = NULL, updated_at = $5, \
         attachments = $7 WHERE id = $6 AND published_id IS NULL",
    )
    .bind(&c.period)
    .bind(&c.title)
    .bind(&c.body)
    .bind(&c.table_json)
    .bind(now_text())
    .bind(id)
    .bind(&c.attachments)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the second person's approval of the version they saw (`seen`: its `updated_at`);
/// `false` when already approved, published, or edited since.
pub async fn approve_draft(
    conn: &mut AnyConnection,
    id: i64,
    approver: i64,
    approver_name: &str,
    seen: &str,
) -> Result<bool> {
    let now = now_text();
    let done = sqlx::query(
        "UPDATE disclosure_drafts SET approved_by = $1, approved_by_name = $2, approved_at = $3, \
         updated_at = $3 WHERE id = $4 AND published_id IS NULL AND approved_by IS NULL \
         AND updated_at = $5",
    )
    .bind(approver)
    .bind(approver_name)
    .bind(now)
    .bind(id)
    .bind(seen)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn draft_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<DraftRow>> {
    let sql = format!("SELECT {DRAFT_COLUMNS} FROM disclosure_drafts WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(draft).transpose()
}

/// Unpublished drafts in a unit subtree, newest first.
pub async fn open_drafts(conn: &mut AnyConnection, root: &str) -> Result<Vec<DraftRow>> {
    let mut w = Where::default();
    w.add_plain("published_id IS NULL");
    if !root.is_empty() {
        w.add_subtree("unit_code", root);
    }
    let sql = format!(
        "SELECT {DRAFT_COLUMNS} FROM disclosure_drafts{} ORDER BY id DESC LIMIT 200",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter().map(draft).collect()
}

/// What is published, beside the draft it came from.
pub struct Publication<'a> {
    pub content: &'a Content,
    pub township_code: &'a str,
    pub county_code: &'a str,
    pub period_start: &'a str,
    pub prepared_by_name: &'a str,
    pub approved_by_name: Option<&'a str>,
    pub published_by: i64,
    pub published_by_name: &'a str,
    pub published_at: &'a str,
    pub draft_id: i64,
    /// The draft's version the content was read from.
    pub seen: &'a str,
    /// Finance: the draft must be approved (checked again here, under any race).
    pub needs_approval: bool,
}

/// Publishes a draft: inserts the final row and marks the draft, or returns `None` when the
/// draft was published, edited or lost its approval meanwhile (the caller rolls back). A second correction of the same
/// disclosure fails on the UNIQUE `supersedes` (a constraint error).
pub async fn publish(conn: &mut AnyConnection, p: &Publication<'_>) -> Result<Option<i64>> {
    let c = p.content;
    let row = sqlx::query(
        "INSERT INTO disclosures (unit_code, township_code, county_code, module, category, \
         period, period_start, title, body, table_json, prepared_by_name, approved_by_name, \
         published_by, published_by_name, published_at, supersedes, draft_id, attachments) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         RETURNING id",
    )
    .bind(&c.unit_code)
    .bind(p.township_code)
    .bind(p.county_code)
    .bind(&c.module)
    .bind(&c.category)
    .bind(&c.period)
    .bind(p.period_start)
    .bind(&c.title)
    .bind(&c.body)
    .bind(&c.table_json)
    .bind(p.prepared_by_name)
    .bind(p.approved_by_name)
    .bind(p.published_by)
    .bind(p.published_by_name)
    .bind(p.published_at)
    .bind(c.supersedes)
    .bind(p.draft_id)
    .bind(&c.attachments)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get(0)?;
    let marked = sqlx::query(
        "UPDATE disclosure_drafts SET published_id = $1, updated_at = $2 \
         WHERE id = $3 AND published_id IS NULL AND updated_at = $4 \
         AND (approved_by IS NOT NULL OR $5 = 0)",
    )
    .bind(id)
    .bind(now_text())
    .bind(p.draft_id)
    .bind(p.seen)
    .bind(i64::from(p.needs_approval))
    .execute(conn)
    .await?;
    Ok((marked.rows_affected() == 1).then_some(id))
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<DisclosureRow>> {
    let sql = format!("SELECT {COLUMNS} FROM disclosures d WHERE d.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(published).transpose()
}

/// A village's disclosures, newest first; optionally one module only.
pub async fn of_unit(
    conn: &mut AnyConnection,
    unit_code: &str,
    module: Option<&str>,
    limit: i64,
) -> Result<Vec<DisclosureRow>> {
    let mut w = Where::default();
    w.add("d.unit_code = ?", unit_code);
    if let Some(m) = module {
        w.add("d.module = ?", m);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosures d{} ORDER BY d.published_at DESC, d.id DESC LIMIT {}",
        w.sql(),
        limit.clamp(1, 500)
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter().map(published).collect()
}

/// The first publication date (`YYYY-MM-DD…`) of every (village, category, period) in a
/// subtree whose period starts on or after `from` (`YYYY-MM-DD`): what the on-time / late /
/// missing table is computed from (bounded in time: a village's years of history are not read).
pub async fn first_publications(
    conn: &mut AnyConnection,
    root: &str,
    from: &str,
) -> Result<Vec<(String, String, String, String)>> {
    let mut w = Where::default();
    w.add("period_start >= ?", from);
    match root.len() {
        0 => {}
        6 => {
            w.add("county_code = ?", root);
        }
        9 => {
            w.add("township_code = ?", root);
        }
        _ => {
            w.add_subtree("unit_code", root);
        }
    }
    let sql = format!(
        "SELECT unit_code, category, period, MIN(published_at) FROM disclosures{} \
         GROUP BY unit_code, category, period",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}

/// Every disclosure of a village in publication order (an export), at most `limit`.
pub async fn all_of_unit(
    conn: &mut AnyConnection,
    unit_code: &str,
    limit: i64,
) -> Result<Vec<DisclosureRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosures d WHERE d.unit_code = $1 ORDER BY d.id LIMIT {}",
        limit.clamp(1, 1_000_000)
    );
    let rows = sqlx::query(&sql).bind(unit_code).fetch_all(conn).await?;
    rows.iter().map(published).collect()
}

/// One line of a finance statement drawn from the ledgers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerLine {
    /// `rent` (a contract's rent for the period), `collection` (a claim collected), or
    /// `debt.<method>` (a debt resolved).
    pub kind: String,
    pub item: String,
    pub party: String,
    pub amount_fen: i64,
    pub on: String,
}

/// What the ledgers hold for a village between `from` (inclusive) and `to` (exclusive):
/// active contracts overlapping the period (their annual rent; the caller prorates), claims
/// collected and debts resolved in it.
pub async fn ledger_lines(
    conn: &mut AnyConnection,
    village: &str,
    from: &str,
    to: &str,
) -> Result<Vec<LedgerLine>> {
    let mut out = Vec::new();
    let rows = sqlx::query(
        "SELECT contract_no, counterparty, annual_rent_fen, start_on FROM contracts \
         WHERE village_code = $1 AND status = 'active' AND start_on < $3 AND end_on >= $2 \
         ORDER BY contract_no",
    )
    .bind(village)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        out.push(LedgerLine {
            kind: "rent".into(),
            item: r.try_get(0)?,
            party: r.try_get(1)?,
            amount_fen: r.try_get(2)?,
            on: r.try_get(3)?,
        });
    }
    let rows = sqlx::query(
        "SELECT c.claim_no, c.debtor, x.amount_fen, x.collected_on FROM claim_collections x \
         JOIN claims c ON c.id = x.claim_id WHERE x.village_code = $1 \
         AND x.collected_on >= $2 AND x.collected_on < $3 ORDER BY x.collected_on, x.id",
    )
    .bind(village)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        out.push(LedgerLine {
            kind: "collection".into(),
            item: r.try_get(0)?,
            party: r.try_get(1)?,
            amount_fen: r.try_get(2)?,
            on: r.try_get(3)?,
        });
    }
    let rows = sqlx::query(
        "SELECT d.debt_no, d.creditor, a.method, a.amount_fen, a.acted_on FROM debt_actions a \
         JOIN debts d ON d.id = a.debt_id WHERE a.village_code = $1 \
         AND a.acted_on >= $2 AND a.acted_on < $3 ORDER BY a.acted_on, a.id",
    )
    .bind(village)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let method: String = r.try_get(2)?;
        out.push(LedgerLine {
            kind: format!("debt.{method}"),
            item: r.try_get(0)?,
            party: r.try_get(1)?,
            amount_fen: r.try_get(3)?,
            on: r.try_get(4)?,
        });
    }
    Ok(out)
}

/// Adds counted views (no visitor is recorded, only the number).
pub async fn add_views(conn: &mut AnyConnection, counts: &[(i64, i64)]) -> Result<()> {
    for (id, n) in counts {
        sqlx::query(
            "INSERT INTO disclosure_views (disclosure_id, views) VALUES ($1, $2) \
             ON CONFLICT (disclosure_id) DO UPDATE SET views = disclosure_views.views + excluded.views",
        )
        .bind(id)
        .bind(n)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn views(conn: &mut AnyConnection, id: i64) -> Result<i64> {
    let row = sqlx::query("SELECT views FROM disclosure_views WHERE disclosure_id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

/// One attachment, stored once by its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub sha256: String,
    pub mime: String,
    pub size: i64,
    pub name: String,
    /// The bytes in standard base64.
    pub data: String,
}

/// Keeps a file unless one with that hash is kept already (the same bytes).
pub async fn insert_file(conn: &mut AnyConnection, f: &FileRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO disclosure_files (sha256, mime, size, name, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&f.sha256)
    .bind(&f.mime)
    .bind(f.size)
    .bind(&f.name)
    .bind(&f.data)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn file(conn: &mut AnyConnection, sha256: &str) -> Result<Option<FileRow>> {
    let row = sqlx::query(
        "SELECT sha256, mime, size, name, data FROM disclosure_files WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(FileRow {
            sha256: r.try_get(0)?,
            mime: r.try_get(1)?,
            size: r.try_get(2)?,
            name: r.try_get(3)?,
            data: r.try_get(4)?,
        })
    })
    .transpose()
}
