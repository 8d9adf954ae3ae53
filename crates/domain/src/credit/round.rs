//! An assessment round as a pure state machine, following the four steps:
//! information filing (`filing`) → system preliminary assessment (`assessed`) → publicity in the
//! village (`publicity`, default 7 days, objections may be raised) → final assessment by the
//! review group under the supervision group (`final`, locked; later changes are
//! [`Correction`](super::objection::Correction)s).
//!
//! The store keeps the fields; every change goes through a method here, which refuses with a
//! [`CreditError`] saying why.

use super::error::CreditError;
pub use super::stage::{RoundAction, RoundStage};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub const DEFAULT_PUBLICITY_DAYS: u32 = 7;
/// Longest publicity allowed.
pub const MAX_PUBLICITY_DAYS: u32 = 60;

/// The state of one assessment round (one village, one rule set, one period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub stage: RoundStage,
    /// Day of the latest preliminary assessment.
    pub assessed_on: Option<NaiveDate>,
    pub publicity_start: Option<NaiveDate>,
    pub publicity_days: u32,
    pub finalized_on: Option<NaiveDate>,
}

impl Default for Round {
    fn default() -> Round {
        Round::new()
    }
}

impl Round {
    /// A new round, in filing.
    pub fn new() -> Round {
        Round {
            stage: RoundStage::Filing,
            assessed_on: None,
            publicity_start: None,
            publicity_days: DEFAULT_PUBLICITY_DAYS,
            finalized_on: None,
        }
    }

    fn refuse(&self, action: RoundAction) -> CreditError {
        if self.stage == RoundStage::Final {
            CreditError::RoundLocked { action }
        } else {
            CreditError::WrongStage {
                action,
                stage: self.stage,
            }
        }
    }

    pub fn is_final(&self) -> bool {
        self.stage == RoundStage::Final
    }

    /// Records may be added, confirmed or voided in filing and after the preliminary assessment
    /// (then assess again); during publicity only objections change scores.
    pub fn can_record(&self) -> Result<(), CreditError> {
        match self.stage {
            RoundStage::Filing | RoundStage::Assessed => Ok(()),
            _ => Err(self.refuse(RoundAction::Record)),
        }
    }

    /// System preliminary assessment (the caller scores every household). Allowed in filing and,
    /// to re-assess after fixing records, in assessed.
    pub fn assess(&mut self, today: NaiveDate) -> Result<(), CreditError> {
        match self.stage {
            RoundStage::Filing | RoundStage::Assessed => {
                self.stage = RoundStage::Assessed;
                self.assessed_on = Some(today);
                Ok(())
            }
            _ => Err(self.refuse(RoundAction::Assess)),
        }
    }

    /// Posts the preliminary results in the village from `start` for `days` days (default 7,
    /// 1..=60). Only after a preliminary assessment.
    pub fn start_publicity(
        &mut self,
        start: NaiveDate,
        days: Option<u32>,
    ) -> Result<(), CreditError> {
        if self.stage != RoundStage::Assessed {
            return Err(self.refuse(RoundAction::StartPublicity));
        }
        let days = days.unwrap_or(DEFAULT_PUBLICITY_DAYS);
        if days == 0 || days > MAX_PUBLICITY_DAYS {
            return Err(CreditError::BadPublicityDays(days));
        }
        self.stage = RoundStage::Publicity;
        self.publicity_start = Some(start);
        self.publicity_days = days;
        Ok(())
    }

    /// First day after publicity: `start + days` (start 05-01 with 7 days runs 05-01..=05-07,
    /// and the round can be finalized from 05-08).
    pub fn publicity_until(&self) -> Option<NaiveDate> {
        let start = self.publicity_start?;
        Some(
            start
                .checked_add_days(Days::new(u64::from(self.publicity_days)))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// Last day of publicity (inclusive).
    pub fn publicity_last_day(&self) -> Option<NaiveDate> {
        self.publicity_until().and_then(|d| d.pred_opt())
    }

    /// In the publicity stage and `today < start + days`.
    pub fn publicity_running(&self, today: NaiveDate) -> bool {
        self.stage == RoundStage::Publicity
            && self.publicity_until().is_some_and(|until| today < until)
    }

    /// Objections are raised during publicity, up to its last day.
    pub fn can_object(&self, today: NaiveDate) -> Result<(), CreditError> {
        if self.stage != RoundStage::Publicity {
            return Err(self.refuse(RoundAction::RaiseObjection));
        }
        match self.publicity_last_day() {
            Some(last) if today > last => Err(CreditError::PublicityOver { last_day: last }),
            _ => Ok(()),
        }
    }

    /// Objections are resolved in the publicity stage (also after its last day, before final).
    pub fn can_resolve(&self) -> Result<(), CreditError> {
        match self.stage {
            RoundStage::Publicity => Ok(()),
            _ => Err(self.refuse(RoundAction::ResolveObjection)),
        }
    }

    /// Final assessment by the review group. Refused unless in publicity, while publicity runs,
    /// and while any objection is open (`open_objections`, counted by the caller, e.g. with
    /// [`count_open`](super::objection::count_open)). Locks the round.
    pub fn finalize(
        &mut self,
        today: NaiveDate,
        open_objections: usize,
    ) -> Result<(), CreditError> {
        if self.stage != RoundStage::Publicity {
            return Err(self.refuse(RoundAction::Finalize));
        }
        if self.publicity_running(today) {
            let final_from = self.publicity_until().unwrap_or(today);
            return Err(CreditError::PublicityRunning { final_from });
        }
        if open_objections > 0 {
            return Err(CreditError::ObjectionsOpen {
                open: open_objections,
            });
        }
        self.stage = RoundStage::Final;
        self.finalized_on = Some(today);
        Ok(())
    }

    /// Records still waiting for a second recorder would silently not count once grades lock:
    /// the final step refuses while any are pending, unless the caller explicitly leaves them
    /// out (`drop_pending`, recorded in the audit log with their number).
    pub fn check_pending(pending: usize, drop_pending: bool) -> Result<(), CreditError> {
        if pending > 0 && !drop_pending {
            return Err(CreditError::RecordsPending { pending });
        }
        Ok(())
    }

    /// Corrections are recorded only after final; before, re-assess or uphold an objection.
    pub fn can_correct(&self) -> Result<(), CreditError> {
        match self.stage {
            RoundStage::Final => Ok(()),
            stage => Err(CreditError::WrongStage {
                action: RoundAction::Correct,
                stage,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::fixtures::{d, in_publicity};

    #[test]
    fn the_four_steps_in_order() {
        let mut r = Round::default();
        assert_eq!(r.stage, RoundStage::Filing);
        assert_eq!(r.can_record(), Ok(()));
        assert_eq!(
            r.start_publicity(d(5, 1), None),
            Err(CreditError::WrongStage {
                action: RoundAction::StartPublicity,
                stage: RoundStage::Filing
            })
        );
        assert_eq!(
            r.finalize(d(6, 1), 0),
            Err(CreditError::WrongStage {
                action: RoundAction::Finalize,
                stage: RoundStage::Filing
            })
        );
        assert_eq!(r.assess(d(4, 20)), Ok(()));
        assert_eq!(r.assess(d(4, 21)), Ok(()), "re-assess in assessed");
        assert_eq!(r.assessed_on, Some(d(4, 21)));
        assert_eq!(
            r.start_publicity(d(5, 1), Some(0)),
            Err(CreditError::BadPublicityDays(0))
        );
        assert_eq!(r.start_publicity(d(5, 1), None), Ok(()));
        assert_eq!((r.stage, r.publicity_days), (RoundStage::Publicity, 7));
        assert_eq!(r.publicity_last_day(), Some(d(5, 7)));
        assert_eq!(
            r.assess(d(5, 2)),
            Err(CreditError::WrongStage {
                action: RoundAction::Assess,
                stage: RoundStage::Publicity
            })
        );
        assert!(r.can_record().is_err());
        assert_eq!(r.finalize(d(5, 8), 0), Ok(()));
        assert_eq!(
            (r.stage, r.finalized_on),
            (RoundStage::Final, Some(d(5, 8)))
        );
    }

    #[test]
    fn finalize_is_refused_while_publicity_runs_or_objections_are_open() {
        let mut r = in_publicity();
        assert_eq!(
            r.finalize(d(5, 7), 0),
            Err(CreditError::PublicityRunning {
                final_from: d(5, 8)
            })
        );
        assert_eq!(
            r.finalize(d(4, 30), 0),
            Err(CreditError::PublicityRunning {
                final_from: d(5, 8)
            })
        );
        assert_eq!(
            r.finalize(d(5, 8), 2),
            Err(CreditError::ObjectionsOpen { open: 2 })
        );
        assert_eq!(r.stage, RoundStage::Publicity);
        assert_eq!(r.finalize(d(5, 20), 0), Ok(()));
    }

    #[test]
    fn objections_only_during_publicity() {
        let r = in_publicity();
        assert_eq!(r.can_object(d(5, 7)), Ok(()));
        assert_eq!(
            r.can_object(d(5, 8)),
            Err(CreditError::PublicityOver { last_day: d(5, 7) })
        );
        assert_eq!(r.can_resolve(), Ok(()));
        assert!(Round::new().can_object(d(5, 1)).is_err());
    }

    #[test]
    fn nothing_changes_after_final() {
        let mut r = in_publicity();
        assert_eq!(r.finalize(d(5, 8), 0), Ok(()));
        let before = r.clone();
        assert_eq!(
            r.assess(d(6, 1)),
            Err(CreditError::RoundLocked {
                action: RoundAction::Assess
            })
        );
        assert_eq!(
            r.start_publicity(d(6, 1), None),
            Err(CreditError::RoundLocked {
                action: RoundAction::StartPublicity
            })
        );
        assert_eq!(
            r.finalize(d(6, 1), 0),
            Err(CreditError::RoundLocked {
                action: RoundAction::Finalize
            })
        );
        assert_eq!(
            r.can_record(),
            Err(CreditError::RoundLocked {
                action: RoundAction::Record
            })
        );
        assert_eq!(
            r.can_object(d(5, 2)),
            Err(CreditError::RoundLocked {
                action: RoundAction::RaiseObjection
            })
        );
        assert_eq!(
            r.can_resolve(),
            Err(CreditError::RoundLocked {
                action: RoundAction::ResolveObjection
            })
        );
        assert_eq!(r, before);
        assert_eq!(r.can_correct(), Ok(()));
        assert!(in_publicity().can_correct().is_err());
    }
}
