//! Banks: final grades of consenting households, credit lines; officers: lines by village;
//! AAA lists; the credit summary.

use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use domain::credit::{CreditLines, CreditSummary, Grade, GradeCounts};
use domain::message::catalogue as msg;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::credit::lines::{self as lines_store, BankRow, LineRow};

fn area(actor: &Actor, unit: &str) -> Result<String> {
    let unit = unit.trim();
    if unit.is_empty() {
        return Ok(actor.scope.root.clone());
    }
    if !actor.can_see(unit) {
        return Err(AppError::NotFound(msg::UNIT.text()));
    }
    Ok(unit.to_string())
}

/// Final grades (latest final round) of households that consented to share, in the bank
/// officer's area.
pub async fn consenting(
    app: &App,
    actor: &Actor,
    unit: &str,
    grade: Option<&str>,
) -> Result<Vec<BankRow>> {
    actor.require(Permission::GrantCredit)?;
    let unit = area(actor, unit)?;
    let grade = match grade.map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => Some(Grade::parse_strict(g).map_err(super::refused)?.as_str()),
        None => None,
    };
    let mut conn = app.db.read().await?;
    let mut rows = lines_store::consenting_final(&mut conn, &unit, None, 100_000).await?;
    // Corrections after final apply on top of the locked grade.
    let mut rounds: Vec<i64> = rows.iter().map(|r| r.round_id).collect();
    rounds.sort_unstable();
    rounds.dedup();
    for round in rounds {
        let fixed = super::corrected::corrected_grades(&mut conn, round, &unit).await?;
        for r in rows.iter_mut().filter(|r| r.round_id == round) {
            if let Some(g) = fixed.get(&r.household_id) {
                r.grade = g.as_str().to_string();
            }
        }
    }
    rows.retain(|r| grade.is_none_or(|g| r.grade == g));
    rows.truncate(10_000);
    Ok(rows)
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct LineInput {
    pub household_id: i64,
    pub amount_fen: i64,
    pub term_months: i64,
    /// Annual rate in basis points (4.35% = 435).
    pub rate_bp: i64,
    /// `YYYY-MM-DD`.
    pub granted_on: String,
}

/// Records a credit line granted to a consenting household with a final grade.
pub async fn grant(app: &App, actor: &Actor, input: &LineInput) -> Result<i64> {
    actor.require(Permission::GrantCredit)?;
    let mut errors = Vec::new();
    // A household credit line above 100 million yuan is a typing error, and would overflow the
    // sums of a county's lines long before it was real.
    const MAX_LINE_FEN: i64 = 10_000_000_000;
    if input.amount_fen <= 0 {
        errors.push(domain::registry::FieldError::new(
            "amount_fen",
            msg::MUST_BE_POSITIVE.field("amount_fen", &[]),
        ));
    } else if input.amount_fen > MAX_LINE_FEN {
        errors.push(domain::registry::FieldError::new(
            "amount_fen",
            msg::MONEY_AT_MOST.field("amount_fen", &[("max", &domain::Fen(MAX_LINE_FEN))]),
        ));
    }
    if !(1..=600).contains(&input.term_months) {
        errors.push(domain::registry::FieldError::new(
            "term_months",
            msg::BETWEEN.field("term_months", &[("min", &1), ("max", &600)]),
        ));
    }
    if !(0..=10_000).contains(&input.rate_bp) {
        errors.push(domain::registry::FieldError::new(
            "rate_bp",
            msg::BETWEEN.field("rate_bp", &[("min", &0), ("max", &10_000)]),
        ));
    }
    let on = domain::dates::parse_date(&input.granted_on);
    if on.is_err() {
        errors.push(domain::registry::FieldError::new(
            "granted_on",
            msg::DATE_INVALID.with(&[("value", &input.granted_on.trim())]),
        ));
    }
    let Ok(on) = on else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let h = store::registry::households::get(&mut tx, input.household_id)
        .await?
        .filter(|h| actor.can_see(&h.village_code))
        .ok_or_else(|| AppError::NotFound(msg::HOUSEHOLD.text()))?;
    let visible = lines_store::consenting_final(&mut tx, &h.village_code, None, 100_000)
        .await?
        .iter()
        .any(|r| r.household_id == h.id);
    if !visible {
        return Err(AppError::NotFound(msg::HOUSEHOLD_GRADED_CONSENTING.text()));
    }
    let id = lines_store::insert(
        &mut tx,
        &LineRow {
            id: 0,
            household_id: h.id,
            village_code: h.village_code.clone(),
            bank_user: actor.username.clone(),
            amount_fen: input.amount_fen,
            term_months: input.term_months,
            rate_bp: input.rate_bp,
            granted_on: on.to_string(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.line.grant",
        "credit_line",
        id,
        &h.village_code,
        json!({"after": {"household": h.id, "amount_fen": input.amount_fen,
            "term_months": input.term_months, "rate_bp": input.rate_bp, "granted_on": on.to_string()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VillageLines {
    pub village_code: String,
    pub village_name: String,
    pub households: i64,
    pub amount_fen: i64,
}

/// Households granted and amounts, by village, in the account's area.
pub async fn by_village(app: &App, actor: &Actor, unit: &str) -> Result<Vec<VillageLines>> {
    actor.require(Permission::ViewRegistry)?;
    let unit = area(actor, unit)?;
    let mut conn = app.db.read().await?;
    Ok(lines_store::by_village(&mut conn, &unit)
        .await?
        .into_iter()
        .map(
            |(village_code, village_name, households, amount_fen)| VillageLines {
                village_code,
                village_name,
                households,
                amount_fen,
            },
        )
        .collect())
}

/// Credit lines in the account's area (bank officers and officers).
pub async fn lines(app: &App, actor: &Actor, unit: &str) -> Result<Vec<LineRow>> {
    actor.require(Permission::ViewRegistry)?;
    let unit = area(actor, unit)?;
    let mut conn = app.db.read().await?;
    Ok(lines_store::list(&mut conn, &unit, 1000).await?)
}

/// An AAA household of a unit's latest final rounds (the AAA list, a reference for nominations).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AaaEntry {
    pub village_code: String,
    pub village_name: String,
    pub household_no: String,
    pub head_name: String,
    pub score: i64,
    pub round: i64,
}

/// AAA households of the latest final round of each village in the unit (corrections by
/// upheld objections applied), village by village.
pub async fn aaa_list(app: &App, actor: &Actor, unit: &str) -> Result<Vec<AaaEntry>> {
    actor.require(Permission::EditCredit)?;
    let unit = area(actor, unit)?;
    let mut conn = app.db.read().await?;
    let mut out = Vec::new();
    for (village, round) in lines_store::latest_final_rounds(&mut conn, &unit).await? {
        let part = part_of(&village, &unit);
        let village_name = store::registry::units::get(&mut conn, &village)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let fixed = super::corrected::corrected_grades(&mut conn, round, part).await?;
        for r in store::credit::assess::of_round(&mut conn, round, part, 100_000).await? {
            let grade = fixed
                .get(&r.household_id)
                .copied()
                .or_else(|| Grade::parse(&r.grade));
            if grade == Some(Grade::AAA) {
                out.push(AaaEntry {
                    village_code: r.village_code,
                    village_name: village_name.clone(),
                    household_no: r.household_no,
                    head_name: r.head_name,
                    score: r.score,
                    round,
                });
            }
        }
    }
    Ok(out)
}

/// The AAA list as CSV.
pub async fn aaa_csv(app: &App, actor: &Actor, unit: &str) -> Result<String> {
    let list = aaa_list(app, actor, unit).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record([
        "village_code",
        "household_no",
        "head_name",
        "score",
        "grade",
        "round",
    ])
    .map_err(fail)?;
    for e in list {
        let row = [
            e.village_code,
            e.household_no,
            e.head_name,
            e.score.to_string(),
            "AAA".to_string(),
            e.round.to_string(),
        ];
        // Typed names and numbers that a spreadsheet would run as a formula go out with a
        // `'` in front (domain::cell), as in the ledger export; the writer quotes.
        w.write_record(row.iter().map(|c| domain::cell::neutralise(c).into_owned()))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// The part of a village the area covers: the whole village, or the grid when the area is a
/// grid (a grid member sees their grid only).
fn part_of<'a>(village: &'a str, area: &'a str) -> &'a str {
    if area.len() > village.len() && area.starts_with(village) {
        area
    } else {
        village
    }
}

fn count_of(c: &mut GradeCounts, g: Grade) -> &mut u64 {
    match g {
        Grade::AAA => &mut c.aaa,
        Grade::AA => &mut c.aa,
        Grade::A => &mut c.a,
        Grade::B => &mut c.b,
    }
}

/// Final grades of the latest finalised round of each village in scope, and credit lines.
pub async fn summary(app: &App, actor: &Actor, unit: &str) -> Result<CreditSummary> {
    actor.require(Permission::ViewRegistry)?;
    let unit = area(actor, unit)?;
    let mut conn = app.db.read().await?;
    let households = lines_store::count_households(&mut conn, &unit).await?;
    let mut by_grade = GradeCounts::default();
    for (village, round) in lines_store::latest_final_rounds(&mut conn, &unit).await? {
        let part = part_of(&village, &unit);
        for (grade, n) in lines_store::grade_counts(&mut conn, round, part).await? {
            let n = u64::try_from(n).unwrap_or(0);
            *count_of(&mut by_grade, Grade::parse(&grade).unwrap_or(Grade::B)) += n;
        }
        // Corrections after final move a household from one grade to another.
        let thresholds = match store::credit::rounds::get(&mut conn, round).await? {
            Some(row) => Some(*super::rules_of(&row)?.grades()),
            None => None,
        };
        if let Some(t) = &thresholds {
            for (_, before, after) in
                super::corrected::changed_grades(&mut conn, round, part, t).await?
            {
                let old = count_of(&mut by_grade, before);
                *old = old.saturating_sub(1);
                *count_of(&mut by_grade, after) += 1;
            }
        }
    }
    let (line_households, amount_fen) = lines_store::totals(&mut conn, &unit).await?;
    Ok(CreditSummary {
        unit: unit.clone(),
        households: u64::try_from(households).unwrap_or(0),
        rated: by_grade.aaa + by_grade.aa + by_grade.a + by_grade.b,
        by_grade,
        credit_lines: CreditLines {
            households: u64::try_from(line_households).unwrap_or(0),
            amount_fen,
        },
    })
}
