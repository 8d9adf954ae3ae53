//! Credit village: rule sets, scoring, grades, assessment workflow.
//!
//! - [`rules`]: the rule set (TOML): base score, grade thresholds, scored items in 8 [`aspect`]s;
//!   the shipped default is `data/credit/default-rules.toml` ([`RuleSet::default_set`]);
//! - [`record`]: what grid workers record, and the checks run at import;
//! - [`scoring`]: one household's records → an explained [`ScoreBreakdown`] and its [`Grade`];
//! - [`grade`]: AAA / AA / A / B and [`grade_for`];
//! - [`round`], [`stage`]: the four steps filing → assessed → publicity → final as a state
//!   machine;
//! - [`objection`]: objections during publicity; [`correction`]: corrections after final;
//! - [`fairness`]: who may record and confirm (against favouritism, 人情分);
//! - [`points`]: credit-supermarket points, redemption and the passbook;
//! - [`summary`]: dashboard summary and the publicity list;
//! - [`error`]: [`CreditError`], with English and Chinese messages.

pub mod aspect;
pub mod correction;
pub mod error;
pub mod fairness;
pub mod grade;
pub mod objection;
pub mod points;
pub mod record;
pub mod round;
pub mod rules;
pub mod scoring;
pub mod stage;
pub mod summary;
pub mod tally;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod scenario_tests;

pub use aspect::Aspect;
pub use correction::{corrected, Correction, CorrectionChange};
pub use error::CreditError;
pub use fairness::{check_confirmer, check_recorder, needs_second_confirmation, HouseholdRef};
pub use grade::{grade_for, Grade, GradeThresholds};
pub use objection::{
    adjustments_for, count_open, voided_record_ids, Objection, ObjectionFix, ObjectionStatus,
};
pub use points::{check_passbook, redeem, PassbookEntry, PassbookKind, PointsPolicy};
pub use record::{
    check_record, record_problems, record_status, validate_records, RecordStatus, ScoreRecord,
};
pub use round::{Round, DEFAULT_PUBLICITY_DAYS, MAX_PUBLICITY_DAYS};
pub use rules::{RuleItem, RuleSet, DEFAULT_CONFIRM_WEIGHT, DEFAULT_RULES_TOML};
pub use scoring::{score, score_with, Adjustment, LineRecord, ScoreBreakdown, ScoreLine};
pub use stage::{RoundAction, RoundStage};
pub use summary::{
    publicity_entry, publicity_list, summarize, CreditLines, CreditSummary, GradeCounts,
    HouseholdOutcome, PublicityEntry,
};
pub use tally::{Tallier, Tally};
