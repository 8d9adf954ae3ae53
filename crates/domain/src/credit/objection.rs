//! Objections raised during publicity.
//!
//! An objection is `open` until the review group upholds it (the score is corrected: by a delta,
//! or by voiding a record) or rejects it (with a reason). After the round is final, changes are
//! [`Correction`](super::correction::Correction)s instead.

use super::error::{required, CreditError};
use super::fairness::HouseholdRef;
use super::round::Round;
use super::scoring::Adjustment;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How an upheld objection corrects the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ObjectionFix {
    /// Add (or remove) points, e.g. a good deed nobody recorded.
    Delta { points: i64 },
    /// Strike out a wrong record (the caller sets its `voided` flag).
    VoidRecord { record_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ObjectionStatus {
    Open,
    Upheld {
        fix: ObjectionFix,
        decided_by: String,
        decided_on: NaiveDate,
    },
    Rejected {
        reason: String,
        decided_by: String,
        decided_on: NaiveDate,
    },
}

impl ObjectionStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ObjectionStatus::Open => "open",
            ObjectionStatus::Upheld { .. } => "upheld",
            ObjectionStatus::Rejected { .. } => "rejected",
        }
    }
}

/// An objection to one household's preliminary result (by the household itself or any villager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub household: HouseholdRef,
    pub raised_by: String,
    pub raised_on: NaiveDate,
    pub reason: String,
    pub status: ObjectionStatus,
}

impl Objection {
    /// Raises an objection; only while the round's publicity runs, and a reason is required.
    pub fn raise(
        round: &Round,
        today: NaiveDate,
        household: HouseholdRef,
        raised_by: &str,
        reason: &str,
    ) -> Result<Objection, CreditError> {
        round.can_object(today)?;
        Ok(Objection {
            household,
            raised_by: required(raised_by, "objection", "raised_by")?,
            raised_on: today,
            reason: required(reason, "objection", "reason")?,
            status: ObjectionStatus::Open,
        })
    }

    pub fn is_open(&self) -> bool {
        self.status == ObjectionStatus::Open
    }

    fn check_open(&self, round: &Round) -> Result<(), CreditError> {
        round.can_resolve()?;
        if self.is_open() {
            Ok(())
        } else {
            Err(CreditError::ObjectionClosed {
                status: self.status.as_str(),
            })
        }
    }

    /// Upholds the objection: the score is corrected by `fix` (a delta must not be zero).
    pub fn uphold(
        &mut self,
        round: &Round,
        fix: ObjectionFix,
        by: &str,
        on: NaiveDate,
    ) -> Result<(), CreditError> {
        self.check_open(round)?;
        if fix == (ObjectionFix::Delta { points: 0 }) {
            return Err(CreditError::ZeroDelta);
        }
        let decided_by = required(by, "objection decision", "decided_by")?;
        self.status = ObjectionStatus::Upheld {
            fix,
            decided_by,
            decided_on: on,
        };
        Ok(())
    }

    /// Rejects the objection; the reason is required (it is shown to the household).
    pub fn reject(
        &mut self,
        round: &Round,
        reason: &str,
        by: &str,
        on: NaiveDate,
    ) -> Result<(), CreditError> {
        self.check_open(round)?;
        let reason = required(reason, "objection decision", "reason")?;
        let decided_by = required(by, "objection decision", "decided_by")?;
        self.status = ObjectionStatus::Rejected {
            reason,
            decided_by,
            decided_on: on,
        };
        Ok(())
    }
}

/// Number of open objections (what [`Round::finalize`] needs).
pub fn count_open(objections: &[Objection]) -> usize {
    objections.iter().filter(|o| o.is_open()).count()
}

/// Score adjustments of `household` from its upheld delta objections, for
/// [`score_with`](super::scoring::score_with).
pub fn adjustments_for(household: HouseholdRef, objections: &[Objection]) -> Vec<Adjustment> {
    objections
        .iter()
        .filter(|o| o.household == household)
        .filter_map(|o| match &o.status {
            ObjectionStatus::Upheld {
                fix: ObjectionFix::Delta { points },
                ..
            } => Some(Adjustment {
                delta: *points,
                reason: o.reason.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Record ids struck out by upheld objections (the caller marks them voided).
pub fn voided_record_ids(objections: &[Objection]) -> Vec<i64> {
    objections
        .iter()
        .filter_map(|o| match &o.status {
            ObjectionStatus::Upheld {
                fix: ObjectionFix::VoidRecord { record_id },
                ..
            } => Some(*record_id),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::fixtures::{d, in_publicity};

    const H: HouseholdRef = HouseholdRef(42);

    #[test]
    fn objections_open_then_upheld_or_rejected() -> Result<(), CreditError> {
        let mut round = in_publicity();
        let mut a = Objection::raise(&round, d(5, 3), H, "张三明", "义务劳动两次未记录")?;
        let mut b = Objection::raise(
            &round,
            d(5, 4),
            HouseholdRef(43),
            "李四",
            "拖欠承包费已还清",
        )?;
        let mut c = Objection::raise(&round, d(5, 5), H, "王五", "评分过高")?;
        assert!(matches!(
            Objection::raise(&round, d(5, 5), H, "王五", "  "),
            Err(CreditError::Required {
                field: "reason",
                ..
            })
        ));
        assert!(matches!(
            Objection::raise(&round, d(5, 8), H, "王五", "晚了"),
            Err(CreditError::PublicityOver { .. })
        ));
        let all = [a.clone(), b.clone(), c.clone()];
        assert_eq!(count_open(&all), 3);
        assert_eq!(
            round.finalize(d(5, 8), count_open(&all)),
            Err(CreditError::ObjectionsOpen { open: 3 })
        );

        assert_eq!(
            a.uphold(&round, ObjectionFix::Delta { points: 0 }, "评议组", d(5, 6)),
            Err(CreditError::ZeroDelta)
        );
        a.uphold(&round, ObjectionFix::Delta { points: 4 }, "评议组", d(5, 6))?;
        b.uphold(
            &round,
            ObjectionFix::VoidRecord { record_id: 77 },
            "评议组",
            d(5, 6),
        )?;
        assert!(matches!(
            c.reject(&round, " ", "评议组", d(5, 6)),
            Err(CreditError::Required {
                field: "reason",
                ..
            })
        ));
        c.reject(&round, "经核实评分无误", "评议组", d(5, 6))?;
        assert_eq!(
            a.reject(&round, "x", "评议组", d(5, 6)),
            Err(CreditError::ObjectionClosed { status: "upheld" })
        );
        assert_eq!(c.status.as_str(), "rejected");

        let all = [a, b, c];
        assert_eq!(count_open(&all), 0);
        assert_eq!(
            adjustments_for(H, &all),
            [Adjustment {
                delta: 4,
                reason: "义务劳动两次未记录".into()
            }]
        );
        assert!(adjustments_for(HouseholdRef(43), &all).is_empty());
        assert_eq!(voided_record_ids(&all), [77]);
        assert_eq!(round.finalize(d(5, 8), count_open(&all)), Ok(()));
        Ok(())
    }
}
