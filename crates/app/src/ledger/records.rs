//! Forms and actions on single records: create/update each ledger, record a debt resolution or
//! a claim collection, follow up a flag (rectification task). Each write is one transaction
//! with its audit entry; contract writes recompute the village's flags in the same transaction.

use super::convert::*;
use super::recompute::recompute_village;
use super::{today, village_code_for_write, Kind};
use crate::{audit, Actor, App, AppError, Result};
use domain::ledger::{ContractDraft, DebtActionDraft, CLAIM_COLLECTED, DEBT_RESOLVED};
use domain::message::catalogue as msg;
use domain::Fen;
use serde::Deserialize;
use serde_json::json;
use store::ledger::claims::{self, ClaimRow};
use store::ledger::contracts::{self, ContractRow};
use store::ledger::debts;
use store::ledger::register::{find_by_no, get_in};

pub use super::register::save;
pub use super::registers::ContractForm;

fn not_found(what: domain::message::Entry, id: i64) -> AppError {
    AppError::not_found(what, id)
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
    let form = ContractForm {
        status: status.map(str::to_string),
        draft: draft.clone(),
    };
    save(app, actor, village, id, &form).await
}

/// An action recorded on a record of a register: a debt's resolution, a claim's collection.
// Implemented here only, used with concrete actions (the futures stay `Send` for axum).
#[allow(async_fn_in_trait)]
pub trait RecordAction: serde::de::DeserializeOwned + Default + Send + Sync {
    /// The register whose records it acts on.
    const ON: Kind;
    /// One attempt, one transaction.
    async fn add_once(&self, app: &App, actor: &Actor, village: &str, id: i64) -> Result<i64>;
}

/// Records an action on record `id` of a village; once more if the database aborted it for a
/// concurrent write.
pub async fn add_action<A: RecordAction>(
    app: &App,
    actor: &Actor,
    village: &str,
    id: i64,
    draft: &A,
) -> Result<i64> {
    crate::retry::once!(draft.add_once(app, actor, village, id).await)
}

/// A resolution is refused (422 on `amount_yuan`) when it would resolve more than remains.
impl RecordAction for DebtActionDraft {
    const ON: Kind = Kind::Debts;
    async fn add_once(&self, app: &App, actor: &Actor, village: &str, id: i64) -> Result<i64> {
        add_debt_action_once(app, actor, village, id, self).await
    }
}

/// On an arrears claim the contract's paid amount grows too, so the arrears flag and the claim
/// follow.
impl RecordAction for CollectionDraft {
    const ON: Kind = Kind::Claims;
    async fn add_once(&self, app: &App, actor: &Actor, village: &str, id: i64) -> Result<i64> {
        add_collection_once(app, actor, village, id, self).await
    }
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
        .ok_or_else(|| not_found(msg::DEBT, debt_id))?;
    let draft = DebtActionDraft {
        debt_no: debt.fields.debt_no.clone(),
        ..draft.clone()
    };
    let a = draft.validate().map_err(AppError::Invalid)?;
    DEBT_RESOLVED
        .apply(Fen(debt.fields.principal_fen), Fen(resolved), a.amount)
        .map_err(|e| AppError::field("amount_yuan", e.text()))?;
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

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CollectionDraft {
    pub amount_yuan: String,
    pub collected_on: String,
    pub note: String,
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
        .map_err(|e| errors.push(domain::registry::FieldError::new("amount_yuan", e.text())))
        .ok();
    let on = domain::dates::parse_date(draft.collected_on.trim())
        .map_err(|e| errors.push(domain::registry::FieldError::new("collected_on", e.text())))
        .ok();
    let (Some(amount), Some(on)) = (amount, on) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = super::begin_write(app, village).await?;
    let claim = get_in::<ClaimRow>(&mut tx, village, claim_id)
        .await?
        .ok_or_else(|| not_found(msg::CLAIM, claim_id))?;
    CLAIM_COLLECTED
        .apply(
            Fen(claim.fields.amount_fen),
            Fen(claim.collected_fen),
            amount,
        )
        .map_err(|e| AppError::field("amount_yuan", e.text()))?;
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
        if let Some(c) = find_by_no::<ContractRow>(&mut tx, village, no).await? {
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

pub use super::rectification::{update_flag, RectificationDraft};
