//! Forms and actions on single records: create/update each ledger, record a debt resolution or
//! a claim collection, follow up a flag (rectification task). Each write is one transaction
//! with its audit entry; contract writes recompute the village's flags in the same transaction.

use super::convert::*;
use super::recompute::{follow_renamed_contract, recompute_village};
use super::{today, village_code_for_write, village_for_write};
use crate::{audit, Actor, App, AppError, Result};
use domain::ledger::{
    apply_collection, apply_resolution, ClaimDraft, ContractDraft, DebtActionDraft, DebtDraft,
    ResourceDraft,
};
use domain::Fen;
use serde::Deserialize;
use serde_json::json;
use store::ledger::{claims, contracts, debts, resources};

fn not_found(what: &str, id: i64) -> AppError {
    AppError::NotFound(format!("{what} {id}").into())
}

fn taken(field: &'static str) -> AppError {
    AppError::field(
        field,
        "this number is already used in the village (编号已存在)",
    )
}

/// Creates (`id` None) or updates a contract. `status` is `active` (default) or `terminated`.
pub async fn save_contract(
    app: &App,
    actor: &Actor,
    village: &str,
    id: Option<i64>,
    draft: &ContractDraft,
    status: Option<&str>,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let mut tx = super::begin_write(app, village).await?;
    let before = match id {
        Some(id) => Some(
            contracts::get(&mut tx, id)
                .await?
                .filter(|c| c.fields.village_code == village)
                .ok_or_else(|| not_found("contract", id))?,
        ),
        None => None,
    };
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => before
            .as_ref()
            .map(|b| b.fields.status.clone())
            .unwrap_or_else(|| "active".into()),
        Some(s @ ("active" | "terminated")) => s.to_string(),
        Some(other) => {
            return Err(AppError::field(
                "status",
                format!("unknown status '{other}' (active, terminated)"),
            ))
        }
    };
    let (c, keep) =
        validate_contract(draft, before.as_ref().map(|b| &b.fields)).map_err(AppError::Invalid)?;
    if let Some(other) = contracts::find_by_no(&mut tx, village, &c.contract_no).await? {
        if Some(other.id) != id {
            return Err(taken("contract_no"));
        }
    }
    let keep_of = before.as_ref().map(|b| &b.fields).filter(|_| keep);
    let w = contract_write(app, village, &c, keep_of, &status)?;
    let id = match id {
        Some(id) => {
            contracts::update(&mut tx, id, &w).await?;
            id
        }
        None => contracts::insert(&mut tx, &w).await?,
    };
    if let Some(b) = &before {
        follow_renamed_contract(&mut tx, village, &b.fields.contract_no, &w.contract_no).await?;
    }
    recompute_village(&mut tx, village, today()).await?;
    let action = if before.is_some() {
        "ledger.contract.update"
    } else {
        "ledger.contract.create"
    };
    audit::record(&mut tx, actor, action, "contract", id, village, json!({
        "before": before.map(|b| contract_draft(&b.fields)), "after": contract_draft(&w), "status": status,
    }))
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn save_debt(
    app: &App,
    actor: &Actor,
    village: &str,
    id: Option<i64>,
    draft: &DebtDraft,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let d = draft.validate().map_err(AppError::Invalid)?;
    let mut tx = super::begin_write(app, village).await?;
    let before = match id {
        Some(id) => Some(
            debts::get(&mut tx, id)
                .await?
                .filter(|d| d.fields.village_code == village)
                .ok_or_else(|| not_found("debt", id))?,
        ),
        None => None,
    };
    if let Some(other) = debts::find_by_no(&mut tx, village, &d.debt_no).await? {
        if Some(other.id) != id {
            return Err(taken("debt_no"));
        }
    }
    if let Some(id) = id {
        let resolved = debts::resolved_of(&mut tx, id).await?;
        if d.principal.0 < resolved {
            return Err(AppError::field(
                "principal_yuan",
                format!(
                    "the principal cannot be below what is already resolved ({})",
                    Fen(resolved)
                ),
            ));
        }
    }
    let w = debt_write(village, &d);
    let id = match id {
        Some(id) => {
            debts::update(&mut tx, id, &w).await?;
            id
        }
        None => debts::insert(&mut tx, &w).await?,
    };
    let action = if before.is_some() {
        "ledger.debt.update"
    } else {
        "ledger.debt.create"
    };
    audit::record(
        &mut tx,
        actor,
        action,
        "debt",
        id,
        village,
        json!({
            "before": before.map(|b| debt_draft(&b.fields)), "after": debt_draft(&w),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a resolution action on a debt; refused (422 on `amount_yuan`) when it would resolve
/// more than what remains.
pub async fn add_debt_action(
    app: &App,
    actor: &Actor,
    village: &str,
    debt_id: i64,
    draft: &DebtActionDraft,
) -> Result<i64> {
    crate::retry::once!(add_debt_action_once(app, actor, village, debt_id, draft).await)
}

async fn add_debt_action_once(
    app: &App,
    actor: &Actor,
    village: &str,
    debt_id: i64,
    draft: &DebtActionDraft,
) -> Result<i64> {
    village_code_for_write(actor, village)?;
    let mut tx = super::begin_write(app, village).await?;
    // Read after the village's lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite): the total is
    // the one this write is checked against.
    let (debt, resolved) = debts::get_with_resolved(&mut tx, debt_id)
        .await?
        .filter(|(d, _)| d.fields.village_code == village)
        .ok_or_else(|| not_found("debt", debt_id))?;
    let draft = DebtActionDraft {
        debt_no: debt.fields.debt_no.clone(),
        ..draft.clone()
    };
    let a = draft.validate().map_err(AppError::Invalid)?;
    apply_resolution(Fen(debt.fields.principal_fen), Fen(resolved), a.amount)
        .map_err(|e| AppError::field("amount_yuan", e.to_string()))?;
    let w = action_write(village, debt_id, &a);
    let id = debts::insert_action(&mut tx, &w).await?;
    audit::record(
        &mut tx,
        actor,
        "ledger.debt.action",
        "debt",
        debt_id,
        village,
        json!({
            "after": draft, "action_id": id,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn save_claim(
    app: &App,
    actor: &Actor,
    village: &str,
    id: Option<i64>,
    draft: &ClaimDraft,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let mut tx = super::begin_write(app, village).await?;
    let before = match id {
        Some(id) => Some(
            claims::get(&mut tx, id)
                .await?
                .filter(|c| c.fields.village_code == village)
                .ok_or_else(|| not_found("claim", id))?,
        ),
        None => None,
    };
    let c = draft
        .validate_keeping(before.as_ref().and_then(|b| b.fields.origin.as_deref()))
        .map_err(AppError::Invalid)?;
    if let Some(other) = claims::find_by_no(&mut tx, village, &c.claim_no).await? {
        if Some(other.id) != id {
            return Err(taken("claim_no"));
        }
    }
    if let Some(b) = &before {
        if c.amount.0 < b.collected_fen {
            return Err(AppError::field(
                "amount_yuan",
                format!(
                    "the amount cannot be below what is already collected ({})",
                    Fen(b.collected_fen)
                ),
            ));
        }
    }
    let w = claim_write(village, &c);
    let id = match id {
        Some(id) => {
            claims::update(&mut tx, id, &w).await?;
            id
        }
        None => claims::insert(&mut tx, &w).await?,
    };
    let action = if before.is_some() {
        "ledger.claim.update"
    } else {
        "ledger.claim.create"
    };
    audit::record(
        &mut tx,
        actor,
        action,
        "claim",
        id,
        village,
        json!({
            "before": before.map(|b| claim_draft(&b.fields)), "after": claim_draft(&w),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CollectionDraft {
    pub amount_yuan: String,
    pub collected_on: String,
    pub note: String,
}

/// Records money collected on a claim. On an arrears claim the contract's paid amount grows too,
/// so the arrears flag and the claim follow.
pub async fn add_collection(
    app: &App,
    actor: &Actor,
    village: &str,
    claim_id: i64,
    draft: &CollectionDraft,
) -> Result<i64> {
    crate::retry::once!(add_collection_once(app, actor, village, claim_id, draft).await)
}

async fn add_collection_once(
    app: &App,
    actor: &Actor,
    village: &str,
    claim_id: i64,
    draft: &CollectionDraft,
) -> Result<i64> {
    village_code_for_write(actor, village)?;
    let mut errors = Vec::new();
    let amount = Fen::parse_yuan(draft.amount_yuan.trim())
        .map_err(|e| {
            errors.push(domain::registry::FieldError::new(
                "amount_yuan",
                e.to_string(),
            ))
        })
        .ok();
    let on = domain::dates::parse_date(draft.collected_on.trim())
        .map_err(|e| {
            errors.push(domain::registry::FieldError::new(
                "collected_on",
                e.to_string(),
            ))
        })
        .ok();
    let (Some(amount), Some(on)) = (amount, on) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = super::begin_write(app, village).await?;
    let claim = claims::get(&mut tx, claim_id)
        .await?
        .filter(|c| c.fields.village_code == village)
        .ok_or_else(|| not_found("claim", claim_id))?;
    apply_collection(
        Fen(claim.fields.amount_fen),
        Fen(claim.collected_fen),
        amount,
    )
    .map_err(|e| AppError::field("amount_yuan", e.to_string()))?;
    let on = on.format("%Y-%m-%d").to_string();
    let id =
        claims::insert_collection(&mut tx, claim_id, village, amount.0, &on, draft.note.trim())
            .await?;
    if let Some(no) = claim
        .fields
        .origin
        .as_deref()
        .and_then(|o| o.strip_prefix("arrears:"))
    {
        if let Some(c) = contracts::find_by_no(&mut tx, village, no).await? {
            contracts::add_paid(&mut tx, c.id, amount.0).await?;
            recompute_village(&mut tx, village, today()).await?;
        }
    }
    audit::record(&mut tx, actor, "ledger.claim.collection", "claim", claim_id, village, json!({
        "after": {"amount_fen": amount.0, "collected_on": on, "note": draft.note.trim()}, "collection_id": id,
    }))
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn save_resource(
    app: &App,
    actor: &Actor,
    village: &str,
    id: Option<i64>,
    draft: &ResourceDraft,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let r = draft.validate().map_err(AppError::Invalid)?;
    let mut tx = super::begin_write(app, village).await?;
    let before = match id {
        Some(id) => Some(
            resources::get(&mut tx, id)
                .await?
                .filter(|r| r.fields.village_code == village)
                .ok_or_else(|| not_found("resource", id))?,
        ),
        None => None,
    };
    if let Some(other) = resources::find_by_no(&mut tx, village, &r.resource_no).await? {
        if Some(other.id) != id {
            return Err(taken("resource_no"));
        }
    }
    let w = resource_write(village, &r);
    let id = match id {
        Some(id) => {
            resources::update(&mut tx, id, &w).await?;
            id
        }
        None => resources::insert(&mut tx, &w).await?,
    };
    let action = if before.is_some() {
        "ledger.resource.update"
    } else {
        "ledger.resource.create"
    };
    audit::record(
        &mut tx,
        actor,
        action,
        "resource",
        id,
        village,
        json!({
            "before": before.map(|b| resource_draft(&b.fields)), "after": resource_draft(&w),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub use super::rectification::{update_flag, RectificationDraft};
