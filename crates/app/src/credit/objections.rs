//! Objections filed by villagers on the public page during publicity, resolved by the review
//! group; corrections after final as new entries.

use super::assess::rescore;
use super::{load_household, load_round, refused, rules_of, state};
use crate::{audit, Actor, App, AppError, Result};
use chrono::NaiveDate;
use domain::access::{Permission, Role, Scope};
use domain::credit::{Grade, RoundStage};
use domain::message::catalogue as msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::credit::objections::{self as obj_store, CorrectionRow, ObjectionRow};

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ObjectionInput {
    pub household_no: String,
    pub name: String,
    pub contact: String,
    pub reason: String,
}

/// The round in publicity for a village (latest), if any.
pub async fn publicity_round(
    app: &App,
    village: &str,
) -> Result<Option<store::credit::rounds::RoundRow>> {
    let mut conn = app.db.read().await?;
    let rows = store::credit::rounds::list_related(&mut conn, village).await?;
    Ok(rows
        .into_iter()
        .find(|r| village.starts_with(&r.unit_code) && r.stage == RoundStage::Publicity.as_str()))
}

/// Objections one address may file on the public pages in an hour.
pub const PUBLIC_OBJECTIONS_PER_HOUR: i64 = 10;

/// Files an objection from the public village page (no account): name, contact and reason are
/// required; allowed only while publicity runs. Audited under the villager's name.
pub async fn raise_public(
    app: &App,
    village: &str,
    input: &ObjectionInput,
    ip: &str,
    today: NaiveDate,
) -> Result<i64> {
    let mut errors = Vec::new();
    domain::text::check_lines(
        &mut errors,
        &[
            ("household_no", &input.household_no),
            ("name", &input.name),
            ("contact", &input.contact),
        ],
    );
    domain::text::check_free_texts(&mut errors, &[("reason", &input.reason)]);
    for (field, value) in [
        ("household_no", &input.household_no),
        ("name", &input.name),
        ("contact", &input.contact),
        ("reason", &input.reason),
    ] {
        if value.trim().is_empty() {
            errors.push(domain::registry::FieldError::new(
                field,
                msg::REQUIRED.field(field, &[]),
            ));
        } else if value.chars().count() > 500 {
            errors.push(domain::registry::FieldError::new(
                field,
                msg::TOO_LONG.field(field, &[("max", &500)]),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let round = publicity_round(app, village)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::ROUND_IN_PUBLICITY.text()))?;
    let mut tx = app.db.begin().await?;
    state(&round).can_object(today).map_err(refused)?;
    // The form needs no account: bound how many one address may file.
    let since = (chrono::Utc::now() - chrono::Duration::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if obj_store::raised_from(&mut tx, ip, &since).await? >= PUBLIC_OBJECTIONS_PER_HOUR {
        return Err(AppError::Throttled(3600));
    }
    let h = store::registry::households::find_by_no(&mut tx, village, input.household_no.trim())
        .await?
        .ok_or_else(|| AppError::field("household_no", msg::CREDIT_NO_SUCH_HOUSEHOLD))?;
    // The contact is stored like a phone: ciphertext, and a masked form for the review group.
    let contact = input.contact.trim();
    let id = obj_store::insert(
        &mut tx,
        round.id,
        h.id,
        input.name.trim(),
        &app.cipher.encrypt(contact)?,
        &domain::mask::mask_contact(contact),
        input.reason.trim(),
        &today.to_string(),
    )
    .await?;
    let public = Actor {
        user_id: None,
        username: format!("public:{}", input.name.trim()),
        display_name: input.name.trim().to_string(),
        role: Role::GridMember,
        scope: Scope::new(village),
        ip: ip.to_string(),
    };
    audit::record(
        &mut tx,
        &public,
        "credit.objection.raise",
        "credit_objection",
        id,
        village,
        json!({"after": {"round": round.id, "household": h.id, "reason": input.reason.trim()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectionView {
    pub id: i64,
    pub round_id: i64,
    pub household_id: i64,
    pub household_no: String,
    pub village_code: String,
    pub raised_by: String,
    /// Masked (`138****5678`); roles that may reveal personal numbers can see it in full,
    /// audited (`objection_contacts::reveal`).
    pub contact: String,
    pub reason: String,
    pub raised_on: String,
    pub status: String,
    pub fix_points: i64,
    pub fix_record_id: Option<i64>,
    pub decision_reason: String,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
}

fn view(o: ObjectionRow) -> ObjectionView {
    ObjectionView {
        id: o.id,
        round_id: o.round_id,
        household_id: o.household_id,
        household_no: o.household_no,
        village_code: o.village_code,
        raised_by: o.raised_by,
        contact: o.contact_masked,
        reason: o.reason,
        raised_on: o.raised_on,
        status: o.status,
        fix_points: o.fix_points,
        fix_record_id: o.fix_record_id,
        decision_reason: o.decision_reason,
        decided_by: o.decided_by,
        decided_on: o.decided_on,
    }
}

/// Objections of a round in the account's area.
pub async fn list(app: &App, actor: &Actor, round_id: i64) -> Result<Vec<ObjectionView>> {
    actor.require(Permission::EditCredit)?;
    let mut conn = app.db.read().await?;
    load_round(&mut conn, actor, round_id).await?;
    let rows = obj_store::of_round(&mut conn, round_id).await?;
    Ok(rows
        .into_iter()
        .filter(|o| actor.can_see(&o.village_code))
        .map(view)
        .collect())
}

/// The review group's decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Upheld: correct the score by `points`, or void record `record_id` (one of the two).
    Uphold {
        #[serde(default)]
        points: i64,
        #[serde(default)]
        record_id: Option<i64>,
        #[serde(default)]
        reason: String,
    },
    /// Rejected: a reason is required (it is shown to the household).
    Reject { reason: String },
}

/// Resolves an open objection; an upheld one corrects the household's score at once.
pub async fn resolve(
    app: &App,
    actor: &Actor,
    objection_id: i64,
    decision: &Decision,
    today: NaiveDate,
) -> Result<ObjectionView> {
    actor.require(Permission::EditCredit)?;
    let reason = match decision {
        Decision::Reject { reason } | Decision::Uphold { reason, .. } => reason,
    };
    domain::text::check_free_text("reason", reason).map_err(|e| AppError::Invalid(vec![e]))?;
    let mut tx = app.db.begin().await?;
    let o = obj_store::get(&mut tx, objection_id)
        .await?
        .filter(|o| actor.can_see(&o.village_code))
        .ok_or_else(|| AppError::NotFound(msg::OBJECTION.text()))?;
    let round = load_round(&mut tx, actor, o.round_id).await?;
    state(&round).can_resolve().map_err(refused)?;
    let on = today.to_string();
    let (status, points, record_id, reason) = match decision {
        Decision::Reject { reason } => {
            if reason.trim().is_empty() {
                return Err(AppError::field("reason", msg::CREDIT_REJECTION_REASON));
            }
            ("rejected", 0, None, reason.trim().to_string())
        }
        Decision::Uphold {
            points,
            record_id,
            reason,
        } => {
            if *points == 0 && record_id.is_none() {
                return Err(AppError::field("points", msg::CREDIT_UPHOLD_NEEDS));
            }
            let reason = if reason.trim().is_empty() {
                format!("objection #{objection_id}")
            } else {
                reason.trim().to_string()
            };
            ("upheld", *points, *record_id, reason)
        }
    };
    if let Some(rid) = record_id {
        let rec = store::credit::records::get(&mut tx, rid)
            .await?
            .filter(|r| r.household_id == o.household_id && r.round_id == o.round_id)
            .ok_or_else(|| AppError::field("record_id", msg::CREDIT_NOT_THIS_HOUSEHOLDS))?;
        store::credit::records::void(&mut tx, rec.id, &reason).await?;
    }
    if obj_store::decide(
        &mut tx,
        objection_id,
        status,
        points,
        record_id,
        &reason,
        &actor.username,
        &on,
    )
    .await?
        == 0
    {
        return Err(AppError::Conflict(msg::CREDIT_ALREADY_RESOLVED.text()));
    }
    let mut after =
        json!({"status": status, "points": points, "record": record_id, "reason": reason});
    if status == "upheld" {
        let rules = rules_of(&round)?;
        let b = rescore(&mut tx, &rules, round.id, o.household_id).await?;
        after["score"] = json!(b.total);
        after["grade"] = json!(b.grade.as_str());
    }
    audit::record(
        &mut tx,
        actor,
        "credit.objection.resolve",
        "credit_objection",
        objection_id,
        &o.village_code,
        json!({"before": {"status": "open"}, "after": after}),
    )
    .await?;
    tx.commit().await?;
    let row = obj_store::get(&mut *app.db.read().await?, objection_id)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::OBJECTION.text()))?;
    Ok(view(row))
}

/// A correction after final: a new audited entry (points or a grade), never an edit.
#[allow(clippy::too_many_arguments)]
pub async fn correct(
    app: &App,
    actor: &Actor,
    round_id: i64,
    household_id: i64,
    points: i64,
    grade: Option<&str>,
    reason: &str,
    today: NaiveDate,
) -> Result<i64> {
    actor.require(Permission::EditCredit)?;
    let mut tx = app.db.begin().await?;
    let round = load_round(&mut tx, actor, round_id).await?;
    state(&round).can_correct().map_err(refused)?;
    let h = load_household(&mut tx, actor, Some(&round), household_id).await?;
    // The review group works at village level or above, not from a grid.
    actor.require_unit(&h.village_code)?;
    let grade = match grade.map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => Some(
            Grade::parse_strict(g)
                .map_err(refused)?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    domain::text::check_free_text("reason", reason).map_err(|e| AppError::Invalid(vec![e]))?;
    if reason.trim().is_empty() {
        return Err(AppError::field(
            "reason",
            msg::REQUIRED.field("reason", &[]),
        ));
    }
    if points == 0 && grade.is_none() {
        return Err(AppError::field("points", msg::CREDIT_CORRECTION_NEEDS));
    }
    let mut row = CorrectionRow {
        id: 0,
        round_id,
        household_id,
        points,
        grade: grade.clone(),
        reason: reason.trim().into(),
        made_by: actor.username.clone(),
        made_on: today.to_string(),
    };
    let id = obj_store::insert_correction(&mut tx, &row).await?;
    row.id = id;
    // The final grades are in the log; so is every correction made after them.
    let leaf = crate::transparency::correction_leaf(&h.village_code, &row, &h.household_no)?;
    crate::transparency::append(
        &mut tx,
        crate::transparency::CREDIT_CORRECTION,
        &h.village_code,
        Some(id),
        &leaf,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.correction.create",
        "credit_correction",
        id,
        &h.village_code,
        json!({"after": {"round": round_id, "household": household_id, "points": points,
            "grade": grade, "reason": reason.trim()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
