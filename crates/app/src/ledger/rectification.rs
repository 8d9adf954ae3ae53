//! The follow-up (rectification task) of one flag: status open → rectified | waived with a
//! reason, deadline and evidence note. Every change is audited with before and after.

use super::village_for_write;
use crate::{audit, Actor, App, AppError, Result};
use domain::ledger::RectificationStatus;
use domain::message::catalogue as msg;
use serde::Deserialize;
use serde_json::json;
use store::ledger::{contracts, flags};

fn not_found(what: domain::message::Entry, id: i64) -> AppError {
    AppError::not_found(what, id)
}

/// The follow-up of one flag: status (open → rectified | waived with a reason), deadline,
/// reason and evidence note.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RectificationDraft {
    pub status: String,
    pub deadline: String,
    pub reason: String,
    pub evidence: String,
}

pub async fn update_flag(
    app: &App,
    actor: &Actor,
    village: &str,
    flag_id: i64,
    draft: &RectificationDraft,
) -> Result<()> {
    village_for_write(app, actor, village).await?;
    let mut tx = super::begin_write(app, village).await?;
    let f = flags::get(&mut tx, flag_id)
        .await?
        .filter(|f| f.village_code == village)
        .ok_or_else(|| not_found(msg::FLAG, flag_id))?;
    let from = RectificationStatus::parse(&f.status)
        .ok_or_else(|| AppError::Internal(format!("stored flag status '{}'", f.status)))?;
    let to = match draft.status.trim() {
        "" => from,
        s => RectificationStatus::parse(s).ok_or_else(|| {
            AppError::field(
                "status",
                msg::UNKNOWN_CHOICE.field(
                    "status",
                    &[("value", &s), ("known", &"open, rectified, waived")],
                ),
            )
        })?,
    };
    if to != from {
        from.transition(to, &draft.reason)
            .map_err(|e| AppError::field("status", e.text()))?;
    } else if from.is_closed() {
        return Err(AppError::field("status", msg::TASK_CLOSED));
    }
    // Empty fields keep what is stored (partial updates from the API).
    let deadline = match draft.deadline.trim() {
        "" => f.deadline.clone(),
        d => Some(
            domain::dates::parse_date(d)
                .map_err(|e| AppError::field("deadline", e.text()))?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    let keep = |new: &str, old: &str| {
        if new.trim().is_empty() {
            old.to_string()
        } else {
            new.trim().to_string()
        }
    };
    let reason = keep(&draft.reason, &f.reason);
    let evidence = keep(&draft.evidence, &f.evidence);
    flags::update_task(
        &mut tx,
        flag_id,
        to.as_str(),
        deadline.as_deref(),
        &reason,
        &evidence,
    )
    .await?;
    contracts::refresh_flag_counts(&mut tx, f.contract_id).await?;
    audit::record(&mut tx, actor, "ledger.flag.update", "contract_flag", flag_id, village, json!({
        "before": {"status": f.status, "deadline": f.deadline, "reason": f.reason, "evidence": f.evidence},
        "after": {"status": to.as_str(), "deadline": deadline, "reason": reason, "evidence": evidence},
        "code": f.code, "contract_id": f.contract_id,
    }))
    .await?;
    tx.commit().await?;
    Ok(())
}
