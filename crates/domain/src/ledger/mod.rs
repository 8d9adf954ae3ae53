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

pub use claim::{
    amount_covers_collected, apply_collection, arrears_claim_origin, Claim, ClaimDraft,
};
pub use codes::{
    ClaimStatus, ContractKind, DebtMethod, FlagCode, RectificationStatus, RentUnit, ResourceKind,
    ResourceStatus,
};
pub use contract::{Contract, ContractDraft, MU_M2_X100};
pub use debt::{
    apply_resolution, principal_covers_resolved, Debt, DebtAction, DebtActionDraft, DebtDraft,
    DebtProgress, MethodAmounts,
};
pub use flags::{flags_for, ContractPeriod, Flag, FlagContext};
pub use kind::Kind;
pub use rent::{
    arrears_owed, contract_value, paid_through, rent_accrued_until, rent_due_by, term_of, Term,
};
pub use resource::{Resource, ResourceDraft};
pub use rules::FlagRules;
pub use summary::VillageLedgerSummary;

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

/// A total that may be changed (a debt's principal, a claim's amount) never drops below what
/// is already settled on it (resolved, collected): `(field, the message saying so)`.
/// The new settled total after settling `more` of `total` of which `so_far` is settled (a
/// debt resolved, a claim collected): refuses a non-positive amount, and with `over` one above
/// what remains.
fn settle_within(
    total: Fen,
    so_far: Fen,
    more: Fen,
    over: impl FnOnce(Fen, Fen) -> LedgerError,
) -> Result<Fen, LedgerError> {
    if more.0 <= 0 {
        return Err(LedgerError::NonPositiveAmount(more));
    }
    let remaining = total.checked_sub(so_far).ok_or(LedgerError::Overflow)?;
    if more > remaining {
        return Err(over(remaining, more));
    }
    so_far.checked_add(more).ok_or(LedgerError::Overflow)
}

fn not_below(
    (field, message): (&'static str, crate::message::Entry),
    value: Fen,
    settled: Fen,
) -> Result<(), FieldError> {
    if value.0 < settled.0 {
        return Err(FieldError::new(
            field,
            message.with(&[("settled", &settled)]),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_never_lowered_below_what_is_settled() {
        assert_eq!(
            principal_covers_resolved(Fen(100_000), Fen(100_000)),
            Ok(())
        );
        assert_eq!(amount_covers_collected(Fen(500), Fen::ZERO), Ok(()));
        let refused = [
            (
                principal_covers_resolved(Fen(99_999), Fen(100_000)),
                "principal_yuan",
                "the principal cannot be below what is already resolved (¥1,000.00)",
            ),
            (
                amount_covers_collected(Fen(499), Fen(500)),
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
