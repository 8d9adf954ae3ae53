//! Charging for collective land used without a contract (无合同占用): each charge is a claim
//! with origin `resource:<resource_no>`, so its collections are tracked like any claim.

use super::village_for_write;
use crate::{audit, Actor, App, AppError, Result};
use domain::ledger::{ClaimDraft, ResourceStatus};
use domain::message::catalogue as msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::ledger::claims::ClaimRow;
use store::ledger::register::{find_by_no, get_in, insert};
use store::ledger::resources::ResourceRow;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ChargeDraft {
    pub debtor: String,
    pub amount_yuan: String,
    pub arose_on: String,
    pub note: String,
}

pub fn charge_origin(resource_no: &str) -> String {
    format!("resource:{resource_no}")
}

/// Records a charge on a resource occupied without a contract; returns the claim id.
pub async fn charge_resource(
    app: &App,
    actor: &Actor,
    village: &str,
    resource_id: i64,
    draft: &ChargeDraft,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let mut tx = super::begin_write(app, village).await?;
    let r = get_in::<ResourceRow>(&mut tx, village, resource_id)
        .await?
        .ok_or_else(|| AppError::not_found(msg::RESOURCE, resource_id))?;
    if ResourceStatus::parse(&r.fields.status) != Some(ResourceStatus::OccupiedWithoutContract) {
        return Err(AppError::field("status", msg::CHARGE_UNCONTRACTED_ONLY));
    }
    let mut n = 1;
    let claim_no = loop {
        let no = format!("SF-{}-{n}", r.fields.resource_no);
        if find_by_no::<ClaimRow>(&mut tx, village, &no)
            .await?
            .is_none()
        {
            break no;
        }
        n += 1;
    };
    let claim = ClaimDraft {
        claim_no,
        debtor: draft.debtor.clone(),
        amount_yuan: draft.amount_yuan.clone(),
        arose_on: draft.arose_on.clone(),
        origin: charge_origin(&r.fields.resource_no),
        note: draft.note.clone(),
    }
    .validate_for_app()
    .map_err(AppError::Invalid)?;
    let id = insert::<ClaimRow>(&mut tx, &super::convert::claim_write(village, &claim)).await?;
    audit::record(
        &mut tx,
        actor,
        "ledger.resource.charge",
        "resource",
        resource_id,
        village,
        json!({"after": {"claim_no": claim.claim_no, "debtor": claim.debtor, "amount_fen": claim.amount.0}, "claim_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
