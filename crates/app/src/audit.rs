//! Appending to and reading the audit log.

use crate::{Actor, App, Result};
use domain::access::Permission;
use serde_json::Value;
use store::audit::{AuditEntry, AuditFilter};
use store::AnyConnection;

/// Appends one entry: who, when (now), from where, what entity, and a summary (e.g. before/after),
/// with the running request's `Idempotency-Key` marked written in the same transaction.
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    unit_code: &str,
    summary: Value,
) -> Result<()> {
    let e = entry(actor, action, entity_type, entity_id, unit_code, summary);
    crate::idempotency::append_with_key(conn, &e).await
}

/// [`record`] of an action on an account (entity `user`, in the account's unit).
pub async fn record_user(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    user: &store::accounts::users::UserRow,
    summary: Value,
) -> Result<()> {
    let unit = user.unit_code.as_deref().unwrap_or("");
    record(conn, actor, action, "user", user.id, unit, summary).await
}

fn entry(
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    unit_code: &str,
    summary: Value,
) -> AuditEntry {
    AuditEntry {
        actor_id: actor.user_id,
        actor_name: actor.username.clone(),
        ip: actor.ip.clone(),
        action: action.into(),
        entity_type: entity_type.into(),
        entity_id: entity_id.to_string(),
        unit_code: unit_code.into(),
        summary: summary.to_string(),
        ..Default::default()
    }
}

/// Ends a file import's transaction: its audit entry (entity `import`, the file), then commits
/// it, or for a dry run rolls it back (nothing written, the entry neither).
pub async fn import_done(
    mut tx: store::WriteTx,
    actor: &Actor,
    action: &str,
    file: &str,
    unit_code: &str,
    summary: Value,
    dry_run: bool,
) -> Result<()> {
    record(&mut tx, actor, action, "import", file, unit_code, summary).await?;
    tx.commit_unless(dry_run).await?;
    Ok(())
}

/// Records a refused attempt in its own transaction (the refused write's transaction is rolled
/// back, and the attempt must stay on record), e.g. a resident ID tested outside one's scope.
/// The request wrote nothing, so its `Idempotency-Key` is not marked written: after a
/// correction the same key may run again.
pub async fn record_refusal(
    app: &App,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    unit_code: &str,
    summary: Value,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    store::audit::append(
        &mut tx,
        &entry(actor, action, entity_type, entity_id, unit_code, summary),
    )
    .await?;
    tx.commit().await?;
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
    let mut conn = app.db.read().await?;
    Ok(store::audit::list(&mut conn, &filter).await?)
}

/// The audit filters people type (pages and API share them): dates are China-time days.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    pub unit: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl AuditQuery {
    pub fn page(&self) -> i64 {
        self.page.unwrap_or(1).clamp(1, 1_000_000)
    }

    pub fn per_page(&self) -> i64 {
        self.per_page.unwrap_or(50).clamp(1, 500)
    }

    pub fn filter(&self) -> AuditFilter {
        AuditFilter {
            unit_prefix: self.unit.clone().unwrap_or_default(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            entity_type: self.entity.clone(),
            text: self.q.clone(),
            from: self.from.as_deref().and_then(|d| day_start_utc(d, 0)),
            to: self.to.as_deref().and_then(|d| day_start_utc(d, 1)),
            offset: (self.page() - 1) * self.per_page(),
            limit: self.per_page(),
        }
    }
}

/// The UTC instant at which a China-time calendar day starts (`day_offset` days after `date`),
/// for filtering the log by the dates people type.
pub fn day_start_utc(date: &str, day_offset: i64) -> Option<String> {
    let d = domain::dates::parse_date(date)
        .ok()?
        .checked_add_signed(chrono::Duration::days(day_offset))?;
    let local = d
        .and_hms_opt(0, 0, 0)?
        .checked_sub_signed(chrono::Duration::hours(8))?;
    Some(format!("{}Z", local.format("%Y-%m-%dT%H:%M:%S%.3f")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn china_days_start_at_16_utc_the_day_before() {
        assert_eq!(
            super::day_start_utc("2026-11-27", 0).as_deref(),
            Some("2026-11-26T16:00:00.000Z")
        );
        assert_eq!(
            super::day_start_utc("2026-11-27", 1).as_deref(),
            Some("2026-11-27T16:00:00.000Z")
        );
        assert_eq!(super::day_start_utc("nonsense", 0), None);
    }
}
