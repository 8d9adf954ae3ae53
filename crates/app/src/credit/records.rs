//! Score records entered by grid members, with the fairness rules against favouritism, their
//! confirmation by a second recorder, declared relations, and household filing.

use super::{load_household, load_round, refused, rules_of, state};
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use domain::credit::{check_confirmer, check_recorder, HouseholdRef};
use domain::message::catalogue as msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::credit::records::{self as records_store, NewRecord, ProfileRow};
use store::AnyConnection;

/// The recorder's own household and declared relations.
pub(super) async fn ties(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<(Option<HouseholdRef>, Vec<HouseholdRef>)> {
    let rows = records_store::relations_of(conn, username).await?;
    let own = rows
        .iter()
        .find(|(_, k)| k == "own")
        .map(|(h, _)| HouseholdRef(*h));
    let related = rows
        .iter()
        .filter(|(_, k)| k != "own")
        .map(|(h, _)| HouseholdRef(*h))
        .collect();
    Ok((own, related))
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct RecordInput {
    pub household_id: i64,
    pub item_code: String,
    /// `YYYY-MM-DD` (other common forms accepted).
    pub occurred_on: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Recorded {
    pub id: i64,
    /// A heavy item: counts only after a second recorder confirms it.
    pub pending: bool,
}

/// Records a scored event for a household of the recorder's grids. Refused for the recorder's
/// own household or a declared relation; heavy items stay pending until confirmed.
pub async fn record(
    app: &App,
    actor: &Actor,
    round_id: i64,
    input: &RecordInput,
) -> Result<Recorded> {
    actor.require(Permission::EditCredit)?;
    let mut tx = app.db.begin().await?;
    let round = load_round(&mut tx, actor, round_id).await?;
    state(&round).can_record().map_err(refused)?;
    let h = load_household(&mut tx, actor, Some(&round), input.household_id).await?;
    let rules = rules_of(&round)?;
    let mut errors = Vec::new();
    let item = rules.item(input.item_code.trim());
    if item.is_none() {
        errors.push(domain::registry::FieldError::new(
            "item_code",
            msg::CREDIT_UNKNOWN_ITEM.with(&[("code", &input.item_code.trim())]),
        ));
    }
    let on = domain::dates::parse_date(&input.occurred_on);
    if on.is_err() {
        errors.push(domain::registry::FieldError::new(
            "occurred_on",
            msg::DATE_INVALID.with(&[("value", &input.occurred_on.trim())]),
        ));
    }
    domain::text::check_lines(&mut errors, &[("item_code", &input.item_code)]);
    domain::text::check_free_texts(&mut errors, &[("evidence", &input.evidence)]);
    if input.evidence.trim().is_empty() {
        errors.push(domain::registry::FieldError::new(
            "evidence",
            msg::CREDIT_EVIDENCE_REQUIRED,
        ));
    }
    let (Some(item), Ok(on), true) = (item, on, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let (own, related) = ties(&mut tx, &actor.username).await?;
    check_recorder(own, &related, HouseholdRef(h.id)).map_err(|e| AppError::Forbidden(e.text()))?;
    let pending = rules.needs_confirmation(item);
    let id = records_store::insert(
        &mut tx,
        &NewRecord {
            round_id,
            household_id: h.id,
            item_code: item.code.clone(),
            occurred_on: on.format("%Y-%m-%d").to_string(),
            recorder: actor.username.clone(),
            evidence: input.evidence.trim().to_string(),
            confirmed_by: None,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.record.create",
        "credit_record",
        id,
        &h.village_code,
        json!({"after": {"round": round_id, "household": h.id, "item": item.code,
            "points": item.points, "occurred_on": on.to_string(), "pending": pending}}),
    )
    .await?;
    tx.commit().await?;
    Ok(Recorded { id, pending })
}

/// A second recorder confirms a heavy record: someone else than the recorder, not tied to the
/// household.
pub async fn confirm(app: &App, actor: &Actor, record_id: i64) -> Result<()> {
    actor.require(Permission::EditCredit)?;
    let mut tx = app.db.begin().await?;
    let rec = records_store::get(&mut tx, record_id)
        .await?
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))?;
    let round = load_round(&mut tx, actor, rec.round_id).await?;
    state(&round).can_record().map_err(refused)?;
    let h = load_household(&mut tx, actor, Some(&round), rec.household_id).await?;
    let (own, related) = ties(&mut tx, &actor.username).await?;
    check_confirmer(
        &rec.recorder,
        &actor.username,
        own,
        &related,
        HouseholdRef(h.id),
    )
    .map_err(|e| AppError::Forbidden(e.text()))?;
    if records_store::confirm(&mut tx, record_id, &actor.username).await? == 0 {
        return Err(AppError::Conflict(msg::CREDIT_ALREADY_CONFIRMED.text()));
    }
    audit::record(
        &mut tx,
        actor,
        "credit.record.confirm",
        "credit_record",
        record_id,
        &h.village_code,
        json!({"before": {"confirmed_by": null}, "after": {"confirmed_by": actor.username}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where a record belongs: `(round id, household id)`, for the page to go back to after a
/// confirmation. Not found when the household is outside the actor's area.
pub async fn place_of(app: &App, actor: &Actor, record_id: i64) -> Result<(i64, i64)> {
    actor.require(Permission::ViewRegistry)?;
    super::not_for_banks(actor)?;
    let mut conn = app.db.read().await?;
    let rec = records_store::get(&mut conn, record_id)
        .await?
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::RECORD.text()))?;
    let h = load_household(&mut conn, actor, None, rec.household_id).await?;
    Ok((rec.round_id, h.id))
}

/// Declares the account's own household (`own`) or a relation (`relation`): the account can
/// no longer score or confirm records of that household.
pub async fn declare(app: &App, actor: &Actor, household_id: i64, kind: &str) -> Result<i64> {
    actor.require(Permission::EditCredit)?;
    let kind = match kind {
        "own" => "own",
        "relation" => "relation",
        _ => {
            return Err(AppError::field(
                "kind",
                domain::message::catalogue::RELATION_KIND,
            ))
        }
    };
    let mut tx = app.db.begin().await?;
    let h = load_household(&mut tx, actor, None, household_id).await?;
    let id = records_store::declare_relation(&mut tx, &actor.username, household_id, kind).await?;
    audit::record(
        &mut tx,
        actor,
        "credit.relation.declare",
        "credit_relation",
        id,
        &h.village_code,
        json!({"after": {"household": household_id, "kind": kind}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(default)]
pub struct ProfileInput {
    /// Working-age labourers in the household.
    pub labour: i64,
    pub industry: String,
    pub income_band: String,
    pub loans: String,
    pub repayment: String,
    pub consent_to_share: bool,
}

/// Files a household's information (grid member on a phone).
pub async fn file_profile(
    app: &App,
    actor: &Actor,
    household_id: i64,
    p: &ProfileInput,
) -> Result<()> {
    crate::retry::once!(file_profile_once(app, actor, household_id, p).await)
}

async fn file_profile_once(
    app: &App,
    actor: &Actor,
    household_id: i64,
    p: &ProfileInput,
) -> Result<()> {
    actor.require(Permission::EditCredit)?;
    if !(0..=50).contains(&p.labour) {
        return Err(AppError::field(
            "labour",
            domain::message::catalogue::BETWEEN.field("labour", &[("min", &0), ("max", &50)]),
        ));
    }
    let mut errors = Vec::new();
    domain::text::check_lines(
        &mut errors,
        &[
            ("industry", &p.industry),
            ("income_band", &p.income_band),
            ("loans", &p.loans),
            ("repayment", &p.repayment),
        ],
    );
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let h = load_household(&mut tx, actor, None, household_id).await?;
    let before = records_store::profile(&mut tx, household_id).await?;
    records_store::save_profile(
        &mut tx,
        &ProfileRow {
            household_id,
            labour: p.labour,
            industry: p.industry.trim().into(),
            income_band: p.income_band.trim().into(),
            loans: p.loans.trim().into(),
            repayment: p.repayment.trim().into(),
            consent_to_share: p.consent_to_share,
            filed_by: actor.username.clone(),
            filed_at: String::new(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.profile.file",
        "household",
        household_id,
        &h.village_code,
        json!({"before": before.map(|b| json!({"consent": b.consent_to_share, "income_band": b.income_band})),
            "after": {"consent": p.consent_to_share, "income_band": p.income_band}}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn profile(app: &App, actor: &Actor, household_id: i64) -> Result<Option<ProfileInput>> {
    actor.require(Permission::ViewRegistry)?;
    super::not_for_banks(actor)?;
    let mut conn = app.db.read().await?;
    load_household(&mut conn, actor, None, household_id).await?;
    Ok(records_store::profile(&mut conn, household_id)
        .await?
        .map(|p| ProfileInput {
            labour: p.labour,
            industry: p.industry,
            income_band: p.income_band,
            loans: p.loans,
            repayment: p.repayment,
            consent_to_share: p.consent_to_share,
        }))
}
