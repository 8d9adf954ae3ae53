//! Final results with the corrections made after final applied on top (the final rows are
//! never edited; see `domain::credit::corrected`).

use crate::Result;
use chrono::NaiveDate;
use domain::credit::{
    corrected, Correction, CorrectionChange, Grade, GradeThresholds, HouseholdRef,
};
use store::credit::objections::CorrectionRow;
use store::AnyConnection;

pub(crate) fn to_domain(c: &CorrectionRow) -> Correction {
    Correction {
        household: HouseholdRef(c.household_id),
        change: match c.grade.as_deref().and_then(Grade::parse) {
            Some(grade) => CorrectionChange::Grade { grade },
            None => CorrectionChange::Delta { points: c.points },
        },
        reason: c.reason.clone(),
        by: c.made_by.clone(),
        on: NaiveDate::parse_from_str(&c.made_on, "%Y-%m-%d").unwrap_or_default(),
    }
}

/// `(household, final grade, corrected grade)` for every corrected household of a round in
/// a unit.
pub(crate) async fn changed_grades(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
    thresholds: &GradeThresholds,
) -> Result<Vec<(i64, Grade, Grade)>> {
    let rows = store::credit::objections::corrections_in(conn, round_id, unit).await?;
    let all: Vec<Correction> = rows.iter().map(to_domain).collect();
    let mut households: Vec<i64> = rows.iter().map(|c| c.household_id).collect();
    households.sort_unstable();
    households.dedup();
    let mut out = Vec::new();
    for h in households {
        let Some(a) = store::credit::assess::get(conn, round_id, h).await? else {
            continue;
        };
        let Some(before) = Grade::parse(&a.grade) else {
            continue;
        };
        let (_, after) = corrected(HouseholdRef(h), a.score, before, &all, thresholds);
        out.push((h, before, after));
    }
    Ok(out)
}

/// Corrected grades of a round's households in a unit: household id → grade after corrections
/// (only households with corrections).
pub(crate) async fn corrected_grades(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<std::collections::HashMap<i64, Grade>> {
    let Some(row) = store::credit::rounds::get(conn, round_id).await? else {
        return Ok(Default::default());
    };
    let thresholds = *super::rules_of(&row)?.grades();
    Ok(changed_grades(conn, round_id, unit, &thresholds)
        .await?
        .into_iter()
        .map(|(h, _, after)| (h, after))
        .collect())
}
