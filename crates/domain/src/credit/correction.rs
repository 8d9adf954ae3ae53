//! Corrections after a round is final. A final round is never edited: a later correction is a
//! separate [`Correction`] entry, applied on top of the final result by [`corrected`].

use super::error::{required, CreditError};
use super::fairness::HouseholdRef;
use super::grade::{grade_for, Grade, GradeThresholds};
use super::round::Round;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a correction changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CorrectionChange {
    /// Points added or removed; the grade follows the corrected score.
    Delta { points: i64 },
    /// A grade decided by the review group.
    Grade { grade: Grade },
}

/// A change to a final result, kept as its own entry (the round's result is never edited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub household: HouseholdRef,
    pub change: CorrectionChange,
    pub reason: String,
    pub by: String,
    pub on: NaiveDate,
}

impl Correction {
    /// Refused unless the round is final, the delta is non-zero, and reason and author are given.
    pub fn new(
        round: &Round,
        household: HouseholdRef,
        change: CorrectionChange,
        reason: &str,
        by: &str,
        on: NaiveDate,
    ) -> Result<Correction, CreditError> {
        round.can_correct()?;
        if change == (CorrectionChange::Delta { points: 0 }) {
            return Err(CreditError::ZeroDelta);
        }
        let reason = required(reason, "correction", "reason")?;
        let by = required(by, "correction", "by")?;
        Ok(Correction {
            household,
            change,
            reason,
            by,
            on,
        })
    }
}

/// A household's score and grade after the corrections that concern it, applied in the given
/// order (oldest first): a delta changes the score and regrades from it, a grade sets the grade.
pub fn corrected(
    household: HouseholdRef,
    final_score: i64,
    final_grade: Grade,
    corrections: &[Correction],
    thresholds: &GradeThresholds,
) -> (i64, Grade) {
    corrections
        .iter()
        .filter(|c| c.household == household)
        .fold((final_score, final_grade), |(s, _), c| match c.change {
            CorrectionChange::Delta { points } => {
                let s = s.saturating_add(points);
                (s, grade_for(s, thresholds))
            }
            CorrectionChange::Grade { grade } => (s, grade),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::fixtures::{d, in_publicity};
    use crate::credit::objection::{Objection, ObjectionFix, ObjectionStatus};

    const H: HouseholdRef = HouseholdRef(42);

    fn thresholds() -> GradeThresholds {
        let Ok(t) = GradeThresholds::new(90, 80, 70) else {
            panic!("valid")
        };
        t
    }

    #[test]
    fn after_final_only_corrections() -> Result<(), CreditError> {
        let mut round = in_publicity();
        let mut late = Objection::raise(&round, d(5, 2), H, "张三明", "漏记")?;
        late.status = ObjectionStatus::Open; // pretend it slipped through
        round.finalize(d(5, 8), 0)?;
        assert!(matches!(
            late.uphold(&round, ObjectionFix::Delta { points: 2 }, "x", d(5, 9)),
            Err(CreditError::RoundLocked { .. })
        ));
        assert!(matches!(
            Objection::raise(&round, d(5, 9), H, "x", "y"),
            Err(CreditError::RoundLocked { .. })
        ));

        let t = thresholds();
        let up = Correction::new(
            &round,
            H,
            CorrectionChange::Delta { points: 12 },
            "贷款已按期还清",
            "评议组",
            d(6, 1),
        )?;
        let other = Correction::new(
            &round,
            HouseholdRef(1),
            CorrectionChange::Delta { points: -50 },
            "x",
            "评议组",
            d(6, 1),
        )?;
        assert_eq!(
            corrected(H, 72, Grade::A, &[up.clone(), other.clone()], &t),
            (84, Grade::AA)
        );
        let set = Correction::new(
            &round,
            H,
            CorrectionChange::Grade { grade: Grade::B },
            "经监督组复核",
            "监督组",
            d(6, 2),
        )?;
        assert_eq!(
            corrected(H, 72, Grade::A, &[up, other, set], &t),
            (84, Grade::B)
        );
        assert_eq!(corrected(H, 72, Grade::A, &[], &t), (72, Grade::A));

        assert_eq!(
            Correction::new(
                &round,
                H,
                CorrectionChange::Delta { points: 0 },
                "r",
                "b",
                d(6, 1)
            ),
            Err(CreditError::ZeroDelta)
        );
        assert!(matches!(
            Correction::new(
                &round,
                H,
                CorrectionChange::Delta { points: 1 },
                "",
                "b",
                d(6, 1)
            ),
            Err(CreditError::Required { .. })
        ));
        assert!(matches!(
            Correction::new(
                &in_publicity(),
                H,
                CorrectionChange::Delta { points: 1 },
                "r",
                "b",
                d(6, 1)
            ),
            Err(CreditError::WrongStage { .. })
        ));
        Ok(())
    }
}
