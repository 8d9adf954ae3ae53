//! The system's preliminary assessment of every household of a round in one pass, and one
//! household's score explained item by item.

use super::rounds::{load_for_run, view, RoundView};
use super::{load_household, load_round, refused, rules_of, save_state, state};
use crate::registry::households::Page;
use crate::{audit, Actor, App, Result};
use chrono::NaiveDate;
use domain::access::{Permission, Role};
use domain::credit::{
    score_with, Adjustment, Grade, GradeCounts, PointsPolicy, RuleSet, ScoreBreakdown, ScoreRecord,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use store::credit::assess::{self as assess_store, AssessmentRow, AssessmentWrite};
use store::credit::records::RecordRow;
use store::AnyConnection;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AssessReport {
    pub round: i64,
    pub households: u64,
    pub records: u64,
    pub by_grade: GradeCounts,
}

fn date(t: &str) -> NaiveDate {
    NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap_or_default()
}

/// Compact stored explanation: `[[item_code, counted, applied], ...]`.
pub(super) fn compact<'a>(lines: impl Iterator<Item = (&'a str, i64, i64)>) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(160);
    s.push('[');
    for (i, (code, count, applied)) in lines.enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "[\"{code}\",{count},{applied}]");
    }
    s.push(']');
    s
}

fn write_of(household_id: i64, b: &ScoreBreakdown, policy: PointsPolicy) -> AssessmentWrite {
    AssessmentWrite {
        household_id,
        score: b.total,
        grade: b.grade.as_str().to_string(),
        earned: policy.earned(b),
        breakdown: compact(
            b.lines
                .iter()
                .map(|l| (l.item_code.as_str(), l.count, l.applied)),
        ),
    }
}

fn adjustments_by_household(rows: Vec<(i64, i64, String)>) -> HashMap<i64, Vec<Adjustment>> {
    let mut map: HashMap<i64, Vec<Adjustment>> = HashMap::new();
    for (h, delta, reason) in rows {
        map.entry(h).or_default().push(Adjustment { delta, reason });
    }
    map
}

/// Scores every household of the round: one query for the households, one streaming query for
/// all records (ordered by household), scoring in memory, one transaction of multi-row inserts.
pub async fn assess(app: &App, actor: &Actor, id: i64, today: NaiveDate) -> Result<AssessReport> {
    let started = std::time::Instant::now();
    let mut tx = app.db.begin().await?;
    let round = load_for_run(&mut tx, actor, id).await?;
    let mut st = state(&round);
    st.assess(today).map_err(refused)?;
    let rules = rules_of(&round)?;
    let ids = assess_store::household_ids(&mut tx, &round.unit_code).await?;
    let adjustments = adjustments_by_household(assess_store::upheld_deltas(&mut tx, id).await?);
    let households = ids.len();
    let totals =
        super::assess_bulk::score_and_write(app, &mut tx, id, rules, adjustments, ids).await?;
    let records = totals.records;
    save_state(&mut tx, &round, &st).await?;
    audit::record(
        &mut tx,
        actor,
        "credit.round.assess",
        "credit_round",
        id,
        &round.unit_code,
        json!({"before": {"stage": round.stage}, "after": {"stage": "assessed",
            "households": households, "records": records}}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        round = id,
        households,
        records,
        seconds = started.elapsed().as_secs_f64(),
        "credit assessment"
    );
    Ok(AssessReport {
        round: id,
        households: households as u64,
        records,
        by_grade: totals.counts,
    })
}

fn to_score_record(r: &RecordRow) -> ScoreRecord {
    ScoreRecord {
        id: r.id,
        item_code: r.item_code.clone(),
        occurred_on: date(&r.occurred_on),
        recorder: r.recorder.clone(),
        evidence: r.evidence.clone(),
        confirmed: r.confirmed_by.is_some(),
        voided: r.voided,
    }
}

/// One household's live breakdown from its records and upheld objections.
pub(super) async fn live_breakdown(
    conn: &mut AnyConnection,
    rules: &RuleSet,
    round_id: i64,
    household_id: i64,
) -> Result<(ScoreBreakdown, Vec<RecordRow>)> {
    let recs = store::credit::records::of_household(conn, round_id, household_id).await?;
    let adj: Vec<Adjustment> = assess_store::upheld_deltas(conn, round_id)
        .await?
        .into_iter()
        .filter(|(h, _, _)| *h == household_id)
        .map(|(_, delta, reason)| Adjustment { delta, reason })
        .collect();
    let score_recs: Vec<ScoreRecord> = recs.iter().map(to_score_record).collect();
    Ok((score_with(rules, &score_recs, &adj), recs))
}

/// Re-scores one household (after an upheld objection) and stores its assessment.
pub(super) async fn rescore(
    conn: &mut AnyConnection,
    rules: &RuleSet,
    round_id: i64,
    household_id: i64,
) -> Result<ScoreBreakdown> {
    let (b, _) = live_breakdown(conn, rules, round_id, household_id).await?;
    assess_store::replace_one(
        conn,
        round_id,
        &write_of(household_id, &b, PointsPolicy::default()),
    )
    .await?;
    Ok(b)
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub id: i64,
    pub item_code: String,
    pub occurred_on: String,
    pub recorder: String,
    pub evidence: String,
    pub confirmed_by: Option<String>,
    pub voided: bool,
    pub void_reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HouseholdCredit {
    pub round: RoundView,
    pub household_id: i64,
    pub village_code: String,
    pub household_no: String,
    pub head_name: String,
    /// Live explanation from the records (what the next assessment would give).
    pub breakdown: ScoreBreakdown,
    pub records: Vec<RecordView>,
    /// Stored result of the latest assessment (final once the round is final).
    pub assessed_score: Option<i64>,
    pub assessed_grade: Option<String>,
    pub is_final: bool,
    pub corrections: Vec<CorrectionView>,
    /// The final result with later corrections applied (when there are any).
    pub corrected_score: Option<i64>,
    pub corrected_grade: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub id: i64,
    pub points: i64,
    pub grade: Option<String>,
    pub reason: String,
    pub made_by: String,
    pub made_on: String,
}

/// A household's credit in a round, explained item by item.
pub async fn household(
    app: &App,
    actor: &Actor,
    round_id: i64,
    household_id: i64,
) -> Result<HouseholdCredit> {
    actor.require(Permission::ViewRegistry)?;
    super::not_for_banks(actor)?;
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, round_id).await?;
    let h = load_household(&mut conn, actor, Some(&round), household_id).await?;
    let rules = rules_of(&round)?;
    let (breakdown, recs) = live_breakdown(&mut conn, &rules, round_id, household_id).await?;
    let stored = assess_store::get(&mut conn, round_id, household_id).await?;
    let corrections =
        store::credit::objections::corrections_of(&mut conn, round_id, household_id).await?;
    let after = match (&stored, corrections.is_empty()) {
        (Some(s), false) => Grade::parse(&s.grade).map(|g| {
            let all: Vec<_> = corrections
                .iter()
                .map(super::corrected::to_domain)
                .collect();
            domain::credit::corrected(
                domain::credit::HouseholdRef(household_id),
                s.score,
                g,
                &all,
                rules.grades(),
            )
        }),
        _ => None,
    };
    Ok(HouseholdCredit {
        round: view(&round),
        household_id,
        village_code: h.village_code,
        household_no: h.household_no,
        head_name: h.head_name,
        breakdown,
        records: recs
            .into_iter()
            .map(|r| RecordView {
                id: r.id,
                item_code: r.item_code,
                occurred_on: r.occurred_on,
                recorder: r.recorder,
                evidence: r.evidence,
                confirmed_by: r.confirmed_by,
                voided: r.voided,
                void_reason: r.void_reason,
            })
            .collect(),
        assessed_score: stored.as_ref().map(|s| s.score),
        assessed_grade: stored.as_ref().map(|s| s.grade.clone()),
        is_final: stored.as_ref().is_some_and(|s| s.is_final),
        corrected_score: after.map(|(s, _)| s),
        corrected_grade: after.map(|(_, g)| g.as_str().to_string()),
        corrections: corrections
            .into_iter()
            .map(|c| CorrectionView {
                id: c.id,
                points: c.points,
                grade: c.grade,
                reason: c.reason,
                made_by: c.made_by,
                made_on: c.made_on,
            })
            .collect(),
    })
}

/// Assessed households of a round in a unit (the account's part), by household number.
pub async fn results(
    app: &App,
    actor: &Actor,
    round_id: i64,
    unit: &str,
) -> Result<Vec<store::credit::assess::AssessmentRow>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, round_id).await?;
    let unit = results_unit(actor, &round, unit);
    let mut rows = assess_store::of_round(&mut conn, round_id, &unit, 5000).await?;
    rows.retain(|r| r.village_code.starts_with(&round.unit_code));
    if actor.role == Role::BankOfficer {
        // Banks: final grades of consenting households only, as `bank::consenting`.
        let consenting: HashSet<i64> = store::credit::records::consenting_in(&mut conn, &unit)
            .await?
            .into_iter()
            .collect();
        rows.retain(|r| r.is_final && consenting.contains(&r.household_id));
    }
    Ok(rows)
}

/// The unit whose results an account reads: the one asked for if the account may see it, else
/// the round's unit, or the account's own part of it.
fn results_unit(actor: &Actor, round: &store::credit::rounds::RoundRow, unit: &str) -> String {
    if unit.is_empty() || !actor.can_see(unit) {
        if actor.can_see(&round.unit_code) {
            round.unit_code.clone()
        } else {
            actor.scope.root.clone()
        }
    } else {
        unit.to_string()
    }
}

/// One page of `results` (the API when asked for pages): the same rows in the same order
/// (banks: final grades of consenting households), counted and paged in the database, so a
/// township round of 25,000 households is never read whole.
pub async fn results_page(
    app: &App,
    actor: &Actor,
    round_id: i64,
    unit: &str,
    page: i64,
    per_page: i64,
) -> Result<Page<AssessmentRow>> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, round_id).await?;
    page_of(&mut conn, actor, &round, unit, page, per_page, None).await
}

/// What the round page shows: each village's progress and one page of the results.
pub struct RoundOverview {
    pub villages: Vec<store::credit::rounds::VillageProgress>,
    pub results: Page<AssessmentRow>,
}

/// The round page's figures on one connection. When the account sees the whole round, the
/// results' total is the villages' assessed count already read, not a second pass over the
/// round's households.
pub async fn overview(
    app: &App,
    actor: &Actor,
    round_id: i64,
    page: i64,
    per_page: i64,
) -> Result<RoundOverview> {
    actor.require(Permission::ViewRegistry)?;
    let mut conn = app.db.read().await?;
    let round = load_round(&mut conn, actor, round_id).await?;
    let villages = super::rounds::progress_of(&mut conn, actor, &round).await?;
    // Same households, same round: the progress of the round's whole unit (every village is
    // visible to an account that sees the unit) counts exactly the rows the results page.
    let whole = actor.role != Role::BankOfficer && actor.can_see(&round.unit_code);
    let known = whole.then(|| villages.iter().map(|v| v.assessed).sum());
    let results = page_of(&mut conn, actor, &round, "", page, per_page, known).await?;
    Ok(RoundOverview { villages, results })
}

async fn page_of(
    conn: &mut AnyConnection,
    actor: &Actor,
    round: &store::credit::rounds::RoundRow,
    unit: &str,
    page: i64,
    per_page: i64,
    known_total: Option<i64>,
) -> Result<Page<AssessmentRow>> {
    let unit = results_unit(actor, round, unit);
    let per_page = per_page.clamp(1, 1000);
    let page = page.max(1);
    let bank = actor.role == Role::BankOfficer;
    let (items, total) = assess_store::page_of_round(
        conn,
        round.id,
        &round.unit_code,
        &unit,
        bank,
        (page - 1).saturating_mul(per_page),
        per_page,
        known_total,
    )
    .await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
