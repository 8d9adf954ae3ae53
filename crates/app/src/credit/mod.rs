//! Credit village (信用村): assessment rounds over a village or township, household filing,
//! score records with fairness checks, batch assessment, publicity and objections, final
//! grades and corrections, bank credit lines, credit-supermarket points.

pub mod assess;
mod assess_bulk;
pub mod bank;
mod corrected;
pub mod import;
pub mod objection_contacts;
pub mod objections;
pub mod points;
pub mod public_page;
pub mod records;
pub mod rounds;

use crate::{Actor, AppError, Result};
use chrono::NaiveDate;
use domain::access::Role;
use domain::credit::{CreditError, Round, RoundStage, RuleSet};
use domain::message::catalogue as msg;
use store::credit::rounds::RoundRow;
use store::registry::households::{self, HouseholdRow};
use store::AnyConnection;

pub use rounds::RoundView;

/// Today (UTC date); use cases take an explicit `today` so tests and demos can stand in a date.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A domain refusal as a bilingual message (pages show the Chinese first). A step the round's
/// current stage does not allow is a conflict with the stored state (409), not a bad request.
pub fn refused(e: CreditError) -> AppError {
    let message = e.text();
    use CreditError::*;
    match e {
        WrongStage { .. }
        | RoundLocked { .. }
        | PublicityRunning { .. }
        | PublicityOver { .. }
        | ObjectionsOpen { .. }
        | RecordsPending { .. }
        | ObjectionClosed { .. } => AppError::Conflict(message),
        _ => AppError::BadRequest(message),
    }
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn parse_opt(d: &Option<String>) -> Option<NaiveDate> {
    d.as_deref()
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

/// The round's state machine from its stored fields.
pub fn state(row: &RoundRow) -> Round {
    Round {
        stage: RoundStage::parse(&row.stage).unwrap_or(RoundStage::Filing),
        assessed_on: parse_opt(&row.assessed_on),
        publicity_start: parse_opt(&row.publicity_start),
        publicity_days: u32::try_from(row.publicity_days).unwrap_or(7),
        finalized_on: parse_opt(&row.finalized_on),
    }
}

/// Writes a transition, refusing if another request moved the round meanwhile.
async fn save_state(conn: &mut AnyConnection, row: &RoundRow, r: &Round) -> Result<()> {
    let n = store::credit::rounds::set_state(
        conn,
        row.id,
        &row.stage,
        r.stage.as_str(),
        date_text(r.assessed_on).as_deref(),
        date_text(r.publicity_start).as_deref(),
        i64::from(r.publicity_days),
        date_text(r.finalized_on).as_deref(),
    )
    .await?;
    if n == 0 {
        return Err(AppError::Conflict(
            domain::message::catalogue::ROUND_CHANGED.text(),
        ));
    }
    Ok(())
}

pub fn rules_of(row: &RoundRow) -> Result<RuleSet> {
    RuleSet::from_toml(&row.rules_toml).map_err(refused)
}

/// A round the account may see: inside its area, or covering it (a township round seen from a
/// village or grid). Others answer "not found".
pub async fn load_round(conn: &mut AnyConnection, actor: &Actor, id: i64) -> Result<RoundRow> {
    let row = store::credit::rounds::get(conn, id).await?;
    row.filter(|r| actor.can_see(&r.unit_code) || actor.scope.root.starts_with(&r.unit_code))
        .ok_or_else(|| AppError::NotFound(domain::message::catalogue::ASSESSMENT_ROUND.text()))
}

/// A household the account may see (its grid for grid members), inside the round's unit.
pub async fn load_household(
    conn: &mut AnyConnection,
    actor: &Actor,
    round: Option<&RoundRow>,
    id: i64,
) -> Result<HouseholdRow> {
    let h = households::get(conn, id).await?;
    h.filter(|h| actor.can_see(h.grid_code.as_deref().unwrap_or(&h.village_code)))
        .filter(|h| round.is_none_or(|r| h.village_code.starts_with(&r.unit_code)))
        .ok_or_else(|| AppError::NotFound(msg::HOUSEHOLD.text()))
}

/// Banks see only the final grades of households that consented to share (`bank::consenting`),
/// never the records, filing or passbook behind them.
pub(crate) fn not_for_banks(actor: &Actor) -> Result<()> {
    if actor.role == Role::BankOfficer {
        return Err(AppError::Forbidden(msg::CREDIT_BANK_SEES_CONSENTING.text()));
    }
    Ok(())
}
