//! The export bundle of a village's disclosures (`grassroots disclosure export`): the signed
//! checkpoint, the log's key, and per disclosure its exact leaf and inclusion proof, so anyone
//! can check it offline (`grassroots verify`, `domain::disclosure::bundle::verify`).

use crate::{transparency, App, AppError, Result};
use base64::Engine;
use domain::disclosure::bundle::{Bundle, Entry, Shown};
use domain::transparency::note::{self, Checkpoint};

/// Most disclosures one bundle holds (a village publishes a few hundred a year).
pub const MAX_ENTRIES: i64 = 100_000;

pub async fn bundle(app: &App, unit_code: &str) -> Result<Bundle> {
    let signed = transparency::checkpoint(app).await?;
    let (text, _) = note::open(&signed, &[app.log.verifier()])
        .map_err(|e| AppError::Internal(format!("own checkpoint: {e}")))?;
    let size = Checkpoint::parse(&text)
        .map_err(|e| AppError::Internal(format!("own checkpoint: {e}")))?
        .size;
    let rows = {
        let mut conn = app.db.read().await?;
        store::disclosure::all_of_unit(&mut conn, unit_code, MAX_ENTRIES).await?
    };
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        // Published after the checkpoint was read: the next bundle will hold it.
        let Some(index) = row
            .log_index
            .and_then(|i| u64::try_from(i).ok())
            .filter(|i| *i < size)
        else {
            continue;
        };
        let leaf = transparency::entry(app, index).await?.leaf;
        let proof = transparency::inclusion(app, index, size).await?;
        let v = super::board::public_one(app, row.id).await?;
        entries.push(Entry {
            index,
            leaf: b64(leaf.as_bytes()),
            proof: transparency::base64_hashes(&proof),
            disclosure: Shown {
                id: v.id,
                unit: v.unit_code,
                unit_name: v.unit_name,
                module: v.module.key().to_string(),
                category: v.category,
                category_name: v.category_name,
                period: v.period,
                title: v.title,
                body: v.body,
                table: v.table,
                attachments: v.attachments,
                published_at: v.published_at,
                supersedes: v.supersedes,
                prepared_by: v.prepared_by,
                approved_by: v.approved_by,
                published_by: v.published_by,
            },
        });
    }
    Ok(Bundle {
        checkpoint: signed,
        key: app.log.verifier().text(),
        entries,
    })
}
