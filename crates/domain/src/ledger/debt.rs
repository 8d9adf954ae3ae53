//! Village debts (债务) and their resolution (化解): each action resolves part of a debt by one
//! method, and the total resolved never exceeds the principal.

use super::codes::DebtMethod;
use super::fields::{Amount, Fields, MAX_NAME_CHARS, MAX_NO_CHARS, MAX_TEXT_CHARS};
use super::{LedgerError, DEBT_RESOLVED};
use crate::money::{percent_1dp, Fen};
use crate::registry::household::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A debt as typed. Columns: `debt_no*, creditor*, principal_yuan*, incurred_on, category, note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DebtDraft {
    pub debt_no: String,
    pub creditor: String,
    pub principal_yuan: String,
    pub incurred_on: String,
    pub category: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debt {
    pub debt_no: String,
    pub creditor: String,
    /// Always > 0.
    pub principal: Fen,
    pub incurred_on: Option<NaiveDate>,
    /// Free text, e.g. 工程欠款, 借款.
    pub category: Option<String>,
    pub note: String,
}

impl DebtDraft {
    pub fn validate(&self) -> Result<Debt, Vec<FieldError>> {
        let mut f = Fields::default();
        let debt_no = f.required_text("debt_no", &self.debt_no, MAX_NO_CHARS);
        let creditor = f.required_text("creditor", &self.creditor, MAX_NAME_CHARS);
        let principal = f.required_money("principal_yuan", &self.principal_yuan, Amount::Positive);
        let incurred_on = f.optional_date("incurred_on", &self.incurred_on);
        let category = f.optional_text("category", &self.category, MAX_TEXT_CHARS);
        let note = f.note("note", &self.note);
        let debt = principal.map(|principal| Debt {
            debt_no,
            creditor,
            principal,
            incurred_on,
            category,
            note,
        });
        f.into_result(debt)
    }
}

/// A resolution action as typed. Columns: `debt_no*, method*, amount_yuan*, acted_on*,
/// evidence, note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DebtActionDraft {
    pub debt_no: String,
    pub method: String,
    pub amount_yuan: String,
    pub acted_on: String,
    pub evidence: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtAction {
    pub debt_no: String,
    pub method: DebtMethod,
    /// Always > 0. Check it against the debt with [`DEBT_RESOLVED`] before storing.
    pub amount: Fen,
    pub acted_on: NaiveDate,
    /// Approval document, agreement or receipt reference.
    pub evidence: Option<String>,
    pub note: String,
}

impl DebtActionDraft {
    pub fn validate(&self) -> Result<DebtAction, Vec<FieldError>> {
        let mut f = Fields::default();
        let debt_no = f.required_text("debt_no", &self.debt_no, MAX_NO_CHARS);
        let method = f.required_choice(
            ("method", "method"),
            &self.method,
            DebtMethod::parse,
            DebtMethod::known_labels,
        );
        let amount = f.required_money("amount_yuan", &self.amount_yuan, Amount::Positive);
        let acted_on = f.required_date("acted_on", &self.acted_on);
        let evidence = f.optional_text("evidence", &self.evidence, MAX_TEXT_CHARS);
        let note = f.note("note", &self.note);
        let action = match (method, amount, acted_on) {
            (Some(method), Some(amount), Some(acted_on)) => Some(DebtAction {
                debt_no,
                method,
                amount,
                acted_on,
                evidence,
                note,
            }),
            _ => None,
        };
        f.into_result(action)
    }
}

/// Amounts per resolution method. Serializes as
/// `{"write_off": n, "adjustment": n, "offset": n, "repayment": n}` (fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MethodAmounts {
    pub write_off: Fen,
    pub adjustment: Fen,
    pub offset: Fen,
    pub repayment: Fen,
}

impl MethodAmounts {
    pub fn get(&self, method: DebtMethod) -> Fen {
        match method {
            DebtMethod::WriteOff => self.write_off,
            DebtMethod::Adjustment => self.adjustment,
            DebtMethod::Offset => self.offset,
            DebtMethod::Repayment => self.repayment,
        }
    }

    fn slot(&mut self, method: DebtMethod) -> &mut Fen {
        match method {
            DebtMethod::WriteOff => &mut self.write_off,
            DebtMethod::Adjustment => &mut self.adjustment,
            DebtMethod::Offset => &mut self.offset,
            DebtMethod::Repayment => &mut self.repayment,
        }
    }

    /// Saturates instead of overflowing: totals of many debts are added up for a county.
    pub fn total(&self) -> Fen {
        Fen(self
            .write_off
            .0
            .saturating_add(self.adjustment.0)
            .saturating_add(self.offset.0)
            .saturating_add(self.repayment.0))
    }
}

/// Where one debt, or several added together, stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DebtProgress {
    pub principal: Fen,
    pub by_method: MethodAmounts,
}

impl DebtProgress {
    pub fn new(principal: Fen) -> DebtProgress {
        DebtProgress {
            principal,
            by_method: MethodAmounts::default(),
        }
    }

    /// Replays a debt's stored actions; fails on the first one that would over-resolve.
    pub fn from_actions(
        principal: Fen,
        actions: impl IntoIterator<Item = (DebtMethod, Fen)>,
    ) -> Result<DebtProgress, LedgerError> {
        let mut p = DebtProgress::new(principal);
        for (method, amount) in actions {
            p.apply(method, amount)?;
        }
        Ok(p)
    }

    /// Records one action, refused as [`DEBT_RESOLVED`] refuses it (nothing changes then).
    pub fn apply(&mut self, method: DebtMethod, amount: Fen) -> Result<(), LedgerError> {
        DEBT_RESOLVED.apply(self.principal, self.resolved(), amount)?;
        let slot = self.by_method.slot(method);
        *slot = slot.checked_add(amount).ok_or(LedgerError::Overflow)?;
        Ok(())
    }

    /// Adds another debt's progress (for village or county totals).
    pub fn add(&mut self, other: &DebtProgress) {
        self.principal = Fen(self.principal.0.saturating_add(other.principal.0));
        for m in DebtMethod::ALL {
            let slot = self.by_method.slot(*m);
            *slot = Fen(slot.0.saturating_add(other.by_method.get(*m).0));
        }
    }

    pub fn resolved(&self) -> Fen {
        self.by_method.total()
    }

    pub fn remaining(&self) -> Fen {
        Fen(self.principal.0.saturating_sub(self.resolved().0))
    }

    /// Resolved share of the principal in percent, one decimal (78.5).
    pub fn progress_pct(&self) -> f64 {
        percent_1dp(self.resolved().0, self.principal.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }

    #[test]
    fn over_resolution_is_refused_with_the_numbers() {
        assert_eq!(
            DEBT_RESOLVED.apply(yuan(1000), yuan(400), yuan(600)),
            Ok(yuan(1000))
        );
        let e = DEBT_RESOLVED.apply(yuan(1000), yuan(400), Fen(60_001));
        assert_eq!(
            e,
            Err(LedgerError::OverResolution {
                remaining: yuan(600),
                amount: Fen(60_001)
            })
        );
        let msg = e.err().map(|e| e.zh()).unwrap_or_default();
        assert_eq!(msg, "化解金额超出剩余债务：剩余 ¥600.00，本次 ¥600.01");
        assert!(matches!(
            DEBT_RESOLVED.apply(yuan(1), Fen::ZERO, Fen::ZERO),
            Err(LedgerError::NonPositiveAmount(_))
        ));
        assert!(DEBT_RESOLVED.apply(yuan(1), Fen::ZERO, Fen(-5)).is_err());
    }

    /// A news report: a village's debts of 23.58 million yuan, resolved by write-off 2.485
    /// million, accounting adjustment 2.9752 million, offset 12.85 million and repayment
    /// 0.2017 million, reaching 78.5 %. (The four amounts add up to 18,511,900 yuan; the report
    /// states 18,511,700. Either total is 78.5 %.)
    #[test]
    fn news_scenario_reaches_78_5_percent() {
        let actions = [
            (DebtMethod::WriteOff, yuan(2_485_000)),
            (DebtMethod::Adjustment, yuan(2_975_200)),
            (DebtMethod::Offset, yuan(12_850_000)),
            (DebtMethod::Repayment, yuan(201_700)),
        ];
        let p = DebtProgress::from_actions(yuan(23_580_000), actions);
        let Ok(p) = p else { panic!("{p:?}") };
        assert_eq!(p.resolved(), yuan(18_511_900));
        assert_eq!(p.remaining(), yuan(5_068_100));
        assert_eq!(p.by_method.get(DebtMethod::Offset), yuan(12_850_000));
        assert_eq!(p.progress_pct(), 78.5);
        assert_eq!(percent_1dp(yuan(18_511_700).0, yuan(23_580_000).0), 78.5);
        // The rest can be resolved, not a fen more.
        let mut done = p;
        assert_eq!(done.apply(DebtMethod::Repayment, yuan(5_068_100)), Ok(()));
        assert_eq!(done.progress_pct(), 100.0);
        assert!(done.apply(DebtMethod::WriteOff, Fen(1)).is_err());
        assert_eq!(done.remaining(), Fen::ZERO);
    }

    #[test]
    fn progress_adds_up_across_debts() {
        let mut total = DebtProgress::default();
        let a = DebtProgress::from_actions(yuan(100), [(DebtMethod::WriteOff, yuan(50))]);
        let b = DebtProgress::from_actions(yuan(300), [(DebtMethod::Offset, yuan(100))]);
        let (Ok(a), Ok(b)) = (a, b) else {
            panic!("valid")
        };
        total.add(&a);
        total.add(&b);
        assert_eq!(
            (total.principal, total.resolved(), total.progress_pct()),
            (yuan(400), yuan(150), 37.5)
        );
        assert_eq!(DebtProgress::default().progress_pct(), 0.0);
    }

    #[test]
    fn huge_totals_saturate_instead_of_overflowing() {
        let big = Fen(i64::MAX / 2 + 1);
        let m = MethodAmounts {
            write_off: big,
            adjustment: big,
            offset: big,
            repayment: big,
        };
        let mut total = DebtProgress::default();
        total.add(&DebtProgress {
            principal: Fen(-10),
            by_method: m,
        });
        assert_eq!(m.total(), Fen(i64::MAX));
        assert_eq!(total.remaining(), Fen(i64::MIN));
    }

    #[test]
    fn drafts_validate() {
        let d = DebtDraft {
            debt_no: "ZW-01".into(),
            creditor: "县建筑公司".into(),
            principal_yuan: "1,200,000".into(),
            incurred_on: "2015-06-01".into(),
            category: "工程欠款".into(),
            note: "".into(),
        };
        assert_eq!(d.validate().map(|d| d.principal), Ok(yuan(1_200_000)));
        let bad = DebtDraft {
            principal_yuan: "0".into(),
            creditor: "".into(),
            ..d
        };
        let fields = crate::refused_fields(bad.validate());
        assert_eq!(fields, ["creditor", "principal_yuan"]);

        let a = DebtActionDraft {
            debt_no: "ZW-01".into(),
            method: "以债抵债".into(),
            amount_yuan: "5000".into(),
            acted_on: "2024-05-01".into(),
            ..Default::default()
        };
        assert_eq!(a.validate().map(|a| a.method), Ok(DebtMethod::Offset));
        let bad = DebtActionDraft {
            method: "赖账".into(),
            amount_yuan: "-1".into(),
            acted_on: "".into(),
            ..a
        };
        let fields = crate::refused_fields(bad.validate());
        assert_eq!(fields, ["method", "amount_yuan", "acted_on"]);
    }

    proptest! {
        #[test]
        fn resolved_never_exceeds_principal(
            principal in 1i64..10_000_000_000,
            amounts in proptest::collection::vec(-1_000_000i64..5_000_000_000, 0..40),
        ) {
            let mut resolved = Fen::ZERO;
            let mut accepted = 0i64;
            for a in amounts {
                if let Ok(next) = DEBT_RESOLVED.apply(Fen(principal), resolved, Fen(a)) {
                    prop_assert!(a > 0);
                    prop_assert_eq!(next.0, resolved.0 + a);
                    resolved = next;
                    accepted += a;
                }
                prop_assert!(resolved.0 <= principal);
                prop_assert!(resolved.0 >= 0);
            }
            prop_assert_eq!(resolved.0, accepted);
        }

        #[test]
        fn principal_check_agrees_with_the_remaining_amount(
            principal in 0i64..10_000_000_000,
            resolved in 0i64..10_000_000_000,
        ) {
            let ok = DEBT_RESOLVED.covers(Fen(principal), Fen(resolved)).is_ok();
            prop_assert_eq!(ok, principal >= resolved);
            // Accepted exactly when nothing resolved so far would exceed the new principal.
            prop_assert_eq!(ok, Fen(principal).checked_sub(Fen(resolved)).is_some_and(|r| r.0 >= 0));
        }

        #[test]
        fn progress_never_exceeds_100(
            principal in 1i64..1_000_000_000,
            actions in proptest::collection::vec((0usize..4, 1i64..400_000_000), 0..30),
        ) {
            let mut p = DebtProgress::new(Fen(principal));
            for (m, a) in actions {
                let _ = p.apply(DebtMethod::ALL[m], Fen(a));
                prop_assert!(p.resolved().0 <= principal);
            }
            prop_assert!(p.progress_pct() <= 100.0);
            prop_assert_eq!(p.remaining().0, principal - p.resolved().0);
        }
    }
}
