//! Opening assessment rounds, following them through the four steps, publicity and final.

use super::{load_round, refused, rules_of, save_state, state};
use crate::{audit, Actor, App, AppError, Result};
use chrono::NaiveDate;
use domain::access::Permission;
use domain::credit::{Round, RoundStage, RuleSet};
use domain::message::catalogue as msg;
use domain::registry::Level;
use serde::Serialize;
use serde_json::json;
use store::credit::rounds::{self as rounds_store, RoundRow, VillageProgress};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RoundView {
    pub id: i64,
    pub unit_code: String,
    pub period: String,
    pub rules_name: String,
    pub stage: String,
    pub assessed_on: Option<String>,
    pub publicity_start: Option<String>,
    pub publicity_days: i64,
    /// Last day of publicity (inclusive).
    pub publicity_last_day: Option<String>,
    pub finalized_on: Option<String>,
    pub created_by: String,
}

pub fn view(r: &RoundRow) -> RoundView {
    let st = state(r);
    RoundView {
        id: r.id,
        unit_code: r.unit_code.clone(),
        period: r.period.clone(),
        rules_name: r.rules_name.clone(),
        stage: r.stage.clone(),
        assessed_on: r.assessed_on.clone(),
        publicity_start: r.publicity_start.clone(),
        publicity_days: r.publicity_days,
        publicity_last_day: st
            .publicity_last_day()
            .map(|d| d.format("%Y-%m-%d").to_string()),
        finalized_on: r.finalized_on.clone(),
        created_by: r.created_by.clone(),
    }
}

/// Opens a round for a village or a township with a rule set (TOML text; the shipped default
/// when `None`). The rule set is stored with the round, so later edits never change it.
pub async fn open(
    app: &App,
    actor: &Actor,
    unit: &str,
    period: &str,
    rules_toml: Option<&str>,
) -> Result<i64> {
    actor.require(Permission::EditCredit)?;
    let unit = unit.trim();
    domain::text::check_line("period", period).map_err(|e| AppError::Invalid(vec![e]))?;
    let period = period.trim();
    if period.is_empty() {
        return Err(AppError::field(
            "period",
            msg::REQUIRED.field("period", &[]),
        ));
    }
    let level = Level::from_code_len(unit.len());
    if !matches!(level, Some(Level::Village) | Some(Level::Township)) {
        return Err(AppError::field("unit", msg::CREDIT_ROUND_UNIT));
    }
    actor.require_unit(unit)?;
    let toml_text = rules_toml
        .map(str::to_string)
        .unwrap_or_else(|| domain::credit::DEFAULT_RULES_TOML.to_string());
    let rules = RuleSet::from_toml(&toml_text).map_err(|e| AppError::field("rules", e.text()))?;
    let mut tx = app.db.begin().await?;
    if store::registry::units::get(&mut tx, unit).await?.is_none() {
        return Err(AppError::NotFound(msg::UNIT.text()));
    }
    let id = rounds_store::insert(
        &mut tx,
        unit,
        period,
        rules.name(),
        &toml_text,
        &actor.username,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.round.open",
        "credit_round",
        id,
        unit,
        json!({"after": {"unit": unit, "period": period, "rules": rules.name(),
            "items": rules.items().len()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(app: &App, actor: &Actor, id: i64) -> Result<RoundView> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    Ok(view(&load_round(&mut conn, actor, id).await?))
}

/// The rule set a round scores with.
pub async fn rules(app: &App, actor: &Actor, id: i64) -> Result<RuleSet> {
    let mut conn = app.db.read().await?;
    rules_of(&load_round(&mut conn, actor, id).await?)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<RoundView>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let rows = rounds_store::list_related(&mut conn, &actor.scope.root).await?;
    Ok(rows.iter().map(view).collect())
}

/// Each village of the round (those the account may see) with its counts.
pub async fn progress(app: &App, actor: &Actor, id: i64) -> Result<Vec<VillageProgress>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, id).await?;
    progress_of(&mut conn, actor, &round).await
}

/// `progress` of a round already loaded for the account.
pub(super) async fn progress_of(
    conn: &mut store::AnyConnection,
    actor: &Actor,
    round: &RoundRow,
) -> Result<Vec<VillageProgress>> {
    // An account inside the round's unit reads only its own village (a grid member: the
    // village of its grid), which is all it is shown.
    let root = &actor.scope.root;
    let area = if actor.can_see(&round.unit_code) {
        round.unit_code.as_str()
    } else {
        root.get(..Level::Village.code_len()).unwrap_or(root)
    };
    let rows = rounds_store::progress(conn, round, area).await?;
    Ok(rows
        .into_iter()
        .filter(|v| actor.can_see(&v.village_code) || actor.scope.root.starts_with(&v.village_code))
        .collect())
}

/// Loads a round the account may run (its whole unit inside the account's area).
pub(super) async fn load_for_run(
    conn: &mut store::AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<RoundRow> {
    actor.require(Permission::EditCredit)?;
    let round = load_round(conn, actor, id).await?;
    actor.require_unit(&round.unit_code)?;
    Ok(round)
}

/// Starts publicity in the villages for `days` days (default 7) from `today`.
pub async fn publish(
    app: &App,
    actor: &Actor,
    id: i64,
    days: Option<u32>,
    today: NaiveDate,
) -> Result<RoundView> {
    let mut tx = app.db.begin().await?;
    let round = load_for_run(&mut tx, actor, id).await?;
    let mut st = state(&round);
    st.start_publicity(today, days).map_err(refused)?;
    save_state(&mut tx, &round, &st).await?;
    audit::record(
        &mut tx,
        actor,
        "credit.round.publish",
        "credit_round",
        id,
        &round.unit_code,
        json!({"before": {"stage": round.stage}, "after": {"stage": "publicity",
            "start": today.to_string(), "days": st.publicity_days}}),
    )
    .await?;
    tx.commit().await?;
    get(app, actor, id).await
}

/// Final assessment: refused while publicity runs or objections are open; locks the grades and
/// credits supermarket points earned by positive items.
/// Why the final assessment would be refused today (publicity running, objections open, wrong
/// stage), in the reader's words — so the page shows the reason instead of a button that fails.
/// `blocked: None` and `pending: 0`: it may run; `pending > 0` alone: it may run only leaving
/// those records out (`drop_pending`).
pub async fn finalize_refusal(
    app: &App,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    zh: bool,
) -> Result<FinalizeCheck> {
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, id).await?;
    let open = store::credit::objections::count_open(&mut conn, id).await?;
    let pending = pending_records(&mut conn, &round, &round.unit_code).await?;
    let mut st = state(&round);
    let say = |e: domain::credit::CreditError| if zh { e.message_zh() } else { e.to_string() };
    Ok(FinalizeCheck {
        blocked: st
            .finalize(today, usize::try_from(open).unwrap_or(usize::MAX))
            .err()
            .map(say),
        pending,
        pending_message: Round::check_pending(pending, false).err().map(say),
    })
}

/// What stands between a round and its final step (see [`finalize_refusal`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalizeCheck {
    /// Why it cannot run at all (stage, publicity, open objections).
    pub blocked: Option<String>,
    /// Heavy records waiting for a second recorder.
    pub pending: usize,
    pub pending_message: Option<String>,
}

/// Heavy records of the round no second recorder has confirmed yet (they do not count), among
/// the households of `unit` (the round's own unit, or an account's part of it).
pub async fn pending_records(
    conn: &mut store::AnyConnection,
    round: &RoundRow,
    unit: &str,
) -> Result<usize> {
    let rules = rules_of(round)?;
    let n: i64 = store::credit::records::unconfirmed_by_item(conn, round.id, unit)
        .await?
        .iter()
        .filter(|(code, _)| {
            rules
                .items()
                .iter()
                .any(|i| &i.code == code && rules.needs_confirmation(i))
        })
        .map(|(_, n)| n)
        .sum();
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The final assessment (grades lock). Refused while heavy records wait for confirmation,
/// unless `drop_pending` leaves them out explicitly (their number goes in the audit log).
pub async fn finalize(
    app: &App,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
    drop_pending: bool,
) -> Result<RoundView> {
    let mut tx = app.db.begin().await?;
    let round = load_for_run(&mut tx, actor, id).await?;
    let open = store::credit::objections::count_open(&mut tx, id).await?;
    let pending = pending_records(&mut tx, &round, &round.unit_code).await?;
    let mut st = state(&round);
    st.finalize(today, usize::try_from(open).unwrap_or(usize::MAX))
        .and_then(|()| Round::check_pending(pending, drop_pending))
        .map_err(refused)?;
    save_state(&mut tx, &round, &st).await?;
    store::credit::assess::finalize(
        &mut tx,
        id,
        &format!("round {} {}", id, round.period),
        &actor.username,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.round.finalize",
        "credit_round",
        id,
        &round.unit_code,
        json!({"before": {"stage": round.stage}, "after": {"stage": RoundStage::Final.as_str(),
            "on": today.to_string()}, "pending_records_left_out": pending}),
    )
    .await?;
    publish_final_grades(&mut tx, &round, today).await?;
    tx.commit().await?;
    get(app, actor, id).await
}

/// Appends each village's final grades to the transparency log, in the finalising transaction
/// (grades lock and are published together, or neither).
async fn publish_final_grades(
    conn: &mut store::AnyConnection,
    round: &RoundRow,
    today: NaiveDate,
) -> Result<()> {
    use crate::transparency::{append, CreditFinalLeaf, FinalGrade, CREDIT_FINAL};
    const MOST: usize = 100_000;
    let rows =
        store::credit::assess::of_round(conn, round.id, &round.unit_code, MOST as i64).await?;
    if rows.len() >= MOST {
        // A published list must be whole: refuse rather than log part of it.
        return Err(AppError::Internal(format!(
            "round {} has {MOST} or more households: too many to publish in one go",
            round.id
        )));
    }
    let mut villages: Vec<(String, Vec<FinalGrade>)> = Vec::new();
    for r in rows.into_iter().filter(|r| r.is_final) {
        let grade = FinalGrade {
            household_id: r.household_id,
            no: r.household_no,
            score: r.score,
            grade: r.grade,
        };
        match villages.last_mut() {
            Some((v, list)) if *v == r.village_code => list.push(grade),
            _ => villages.push((r.village_code, vec![grade])),
        }
    }
    for (village, households) in villages {
        let leaf = CreditFinalLeaf::new(
            &village,
            round.id,
            &round.period,
            &today.to_string(),
            &households,
        )?;
        append(conn, CREDIT_FINAL, &village, Some(round.id), &leaf.bytes()?).await?;
    }
    Ok(())
}
