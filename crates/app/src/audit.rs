//! Appending to and reading the audit log.

use crate::{Actor, App, Result};
use domain::access::Permission;
use serde_json::Value;
use store::audit::{AuditEntry, AuditFilter};
use store::AnyConnection;

/// Appends one entry: who, when (now), from where, what entity, and a summary (e.g. before/after).
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    unit_code: &str,
    summary: Value,
) -> Result<()> {
    store::audit::append(
        conn,
        &AuditEntry {
            actor_id: actor.user_id,
            actor_name: actor.username.clone(),
            ip: actor.ip.clone(),
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id: entity_id.to_string(),
            unit_code: unit_code.into(),
            summary: summary.to_string(),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Reads the log within the account's subtree (officers only).
pub async fn list(
    app: &App,
    actor: &Actor,
    mut filter: AuditFilter,
) -> Result<(Vec<AuditEntry>, i64)> {
    actor.require(Permission::ViewAudit)?;
    if !filter.unit_prefix.starts_with(&actor.scope.root) {
        filter.unit_prefix = actor.scope.root.clone();
    }
    let mut conn = app
        .db
        .pool
        .acquire()
        .await
        .map_err(store::StoreError::from)?;
    Ok(store::audit::list(&mut conn, &filter).await?)
}
