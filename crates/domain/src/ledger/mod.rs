//! Collective ledgers ("Qinghua Collection" / "Five Clear"): contracts, debts, claims and
//! resources of a village collective, and the rules that flag irregular contracts.
//!
//! Everything here is pure. The application loads records, turns form or CSV rows into drafts,
//! calls `validate`, runs [`flags_for`] on each contract and keeps the follow-up of each flag with
//! [`RectificationStatus`]. Money is [`Fen`]; areas and year counts are
//! integer hundredths (`area_mu_x100 = 1250` is 12.5 mu).
//!
//! Dates: a contract's `end_on` is its last day in force (Chinese contracts say
//! "自…起至…止", both days included). A contract from 2020-01-01 to 2039-12-31 runs exactly
//! 20 years.
//!
//! - [`codes`]: the coded enums (kinds, methods, statuses, flag codes); [`kind`]: the registers;
//! - [`contract`], [`debt`], [`claim`], [`resource`]: drafts and validated records;
//! - [`rent`]: term, rent schedule, arrears; [`rules`]: the county's [`FlagRules`];
//! - [`flags`]: [`flags_for`]; [`rectification`]: the follow-up state machine;
//! - [`summary`]: [`VillageLedgerSummary`], the per-village aggregate.

pub mod claim;
pub mod codes;
pub mod contract;
pub mod debt;
pub mod fields;
pub mod flags;
pub mod kind;
pub mod rectification;
pub mod rent;
pub mod resource;
pub mod rules;
pub mod summary;

pub use claim::{arrears_claim_origin, Claim, ClaimDraft};
pub use codes::{
    ClaimStatus, ContractKind, DebtMethod, FlagCode, RectificationStatus, RentUnit, ResourceKind,
    ResourceStatus,
};
pub use contract::{Contract, ContractDraft, MU_M2_X100};
pub use debt::{Debt, DebtAction, DebtActionDraft, DebtDraft, DebtProgress, MethodAmounts};
pub use flags::{flags_for, ContractPeriod, Flag, FlagContext};
pub use kind::Kind;
pub use rent::{
    arrears_owed, contract_value, paid_through, rent_accrued_until, rent_due_by, term_of, Term,
};
pub use resource::{Resource, ResourceDraft};
pub use rules::FlagRules;
pub use summary::VillageLedgerSummary;

use crate::message::catalogue as msg;
use crate::money::Fen;
use crate::registry::FieldError;

/// Refusals of ledger operations. `Display` gives Chinese then English; [`LedgerError::zh`] and
/// [`LedgerError::en`] give one language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("{} / {}", self.zh(), self.en())]
    NonPositiveAmount(Fen),
    #[error("{} / {}", self.zh(), self.en())]
    OverResolution { remaining: Fen, amount: Fen },
    #[error("{} / {}", self.zh(), self.en())]
    OverCollection { remaining: Fen, amount: Fen },
    #[error("{} / {}", self.zh(), self.en())]
    Transition {
        from: RectificationStatus,
        to: RectificationStatus,
    },
    #[error("{} / {}", self.zh(), self.en())]
    WaiveReasonRequired,
    #[error("{} / {}", self.zh(), self.en())]
    Overflow,
    #[error("{} / {}", self.zh(), self.en())]
    Config(String),
}

impl LedgerError {
    pub fn zh(&self) -> String {
        match self {
            LedgerError::NonPositiveAmount(a) => format!("金额须大于零：本次 {a}"),
            LedgerError::OverResolution { remaining, amount } => {
                format!("化解金额超出剩余债务：剩余 {remaining}，本次 {amount}")
            }
            LedgerError::OverCollection { remaining, amount } => {
                format!("收回金额超出剩余债权：剩余 {remaining}，本次 {amount}")
            }
            LedgerError::Transition { from, to } => {
                format!("整改状态不能从“{}”改为“{}”", from.label_zh(), to.label_zh())
            }
            LedgerError::WaiveReasonRequired => "免于整改须填写理由".to_string(),
            LedgerError::Overflow => "金额过大，无法计算".to_string(),
            LedgerError::Config(m) => format!("规则配置有误：{m}"),
        }
    }

    /// The refusal in both languages, under a stable code.
    pub fn text(&self) -> crate::message::Text {
        let code = match self {
            LedgerError::NonPositiveAmount(_) => "ledger.non_positive_amount",
            LedgerError::OverResolution { .. } => "ledger.over_resolution",
            LedgerError::OverCollection { .. } => "ledger.over_collection",
            LedgerError::Transition { .. } => "ledger.transition",
            LedgerError::WaiveReasonRequired => "ledger.waive_reason_required",
            LedgerError::Overflow => "ledger.overflow",
            LedgerError::Config(_) => "ledger.config",
        };
        crate::message::Text::new(code, self.zh(), self.en())
    }

    pub fn en(&self) -> String {
        match self {
            LedgerError::NonPositiveAmount(a) => {
                format!("the amount must be greater than zero, got {a}")
            }
            LedgerError::OverResolution { remaining, amount } => format!(
                "resolution exceeds the remaining debt: remaining {remaining}, this action {amount}"
            ),
            LedgerError::OverCollection { remaining, amount } => format!(
                "collection exceeds the remaining claim: remaining {remaining}, this collection {amount}"
            ),
            LedgerError::Transition { from, to } => format!(
                "a rectification cannot go from '{}' to '{}'",
                from.label_en(),
                to.label_en()
            ),
            LedgerError::WaiveReasonRequired => "waiving requires a reason".to_string(),
            LedgerError::Overflow => "amount too large to compute".to_string(),
            LedgerError::Config(m) => format!("invalid rule configuration: {m}"),
        }
    }
}

/// A register whose records are settled bit by bit (a debt's principal resolved by its
/// actions, a claim's amount collected) and its two rules, written once: a settlement never
/// takes more than remains, and the total is never lowered below what is settled.
#[derive(Debug, Clone, Copy)]
pub struct Settled {
    /// The total's field in forms and files, and the refusal of a total below the settled.
    below: (&'static str, crate::message::Entry),
    /// The refusal of a settlement above what remains (`remaining`, `amount`).
    over: fn(Fen, Fen) -> LedgerError,
}

/// A debt's principal, resolved by its actions.
pub const DEBT_RESOLVED: Settled = Settled {
    below: ("principal_yuan", msg::PRINCIPAL_BELOW_RESOLVED),
    over: |remaining, amount| LedgerError::OverResolution { remaining, amount },
};

/// A claim's amount, collected.
pub const CLAIM_COLLECTED: Settled = Settled {
    below: ("amount_yuan", msg::AMOUNT_BELOW_COLLECTED),
    over: |remaining, amount| LedgerError::OverCollection { remaining, amount },
};

impl Settled {
    /// The new settled total after settling `more` of `total` of which `so_far` is settled.
    /// Refuses a non-positive amount and any above what remains.
    pub fn apply(&self, total: Fen, so_far: Fen, more: Fen) -> Result<Fen, LedgerError> {
        if more.0 <= 0 {
            return Err(LedgerError::NonPositiveAmount(more));
        }
        let remaining = total.checked_sub(so_far).ok_or(LedgerError::Overflow)?;
        if more > remaining {
            return Err((self.over)(remaining, more));
        }
        so_far.checked_add(more).ok_or(LedgerError::Overflow)
    }

    /// Whether a changed total (an edit, a re-import, an arrears update by the app) still
    /// covers what is settled: the refusal names the field and the settled amount.
    pub fn covers(&self, total: Fen, settled: Fen) -> Result<(), FieldError> {
        let (field, message) = self.below;
        if total.0 < settled.0 {
            return Err(FieldError::new(
                field,
                message.with(&[("settled", &settled)]),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_never_lowered_below_what_is_settled() {
        assert_eq!(DEBT_RESOLVED.covers(Fen(100_000), Fen(100_000)), Ok(()));
        assert_eq!(CLAIM_COLLECTED.covers(Fen(500), Fen::ZERO), Ok(()));
        let refused = [
            (
                DEBT_RESOLVED.covers(Fen(99_999), Fen(100_000)),
                "principal_yuan",
                "the principal cannot be below what is already resolved (¥1,000.00)",
            ),
            (
                CLAIM_COLLECTED.covers(Fen(499), Fen(500)),
                "amount_yuan",
                "the amount cannot be below what is already collected (¥5.00)",
            ),
        ];
        for (result, field, message) in refused {
            let Err(e) = result else {
                panic!("{field}: a total below what is settled must be refused")
            };
            assert_eq!((e.field, e.message.pick(false)), (field, message));
            assert!(
                e.message.has_chinese(),
                "{field}: the refusal has its Chinese text"
            );
        }
    }

    #[test]
    fn errors_read_in_both_languages() {
        let e = LedgerError::OverResolution {
            remaining: Fen(100_000),
            amount: Fen(150_000),
        };
        assert_eq!(
            e.zh(),
            "化解金额超出剩余债务：剩余 ¥1,000.00，本次 ¥1,500.00"
        );
        assert_eq!(
            e.to_string(),
            "化解金额超出剩余债务：剩余 ¥1,000.00，本次 ¥1,500.00 / resolution exceeds the \
             remaining debt: remaining ¥1,000.00, this action ¥1,500.00"
        );
        let t = LedgerError::Transition {
            from: RectificationStatus::Rectified,
            to: RectificationStatus::Open,
        };
        assert_eq!(t.zh(), "整改状态不能从“已整改”改为“待整改”");
    }
}
