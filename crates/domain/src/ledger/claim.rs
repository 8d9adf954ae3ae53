//! Claims of the collective (债权): money others owe the village, and its collection (清收).
//! Collections never exceed the claim's amount.

use super::codes::ClaimStatus;
use super::fields::{Amount, Fields, MAX_NAME_CHARS, MAX_NO_CHARS, MAX_TEXT_CHARS};
use crate::money::Fen;
use crate::registry::household::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A claim as typed. Columns: `claim_no*, debtor*, amount_yuan*, arose_on, origin, note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClaimDraft {
    pub claim_no: String,
    pub debtor: String,
    pub amount_yuan: String,
    pub arose_on: String,
    pub origin: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub claim_no: String,
    pub debtor: String,
    /// Always > 0.
    pub amount: Fen,
    pub arose_on: Option<NaiveDate>,
    /// Where the claim comes from: free text, or [`arrears_claim_origin`] for rent arrears.
    pub origin: Option<String>,
    pub note: String,
}

/// Origins only the app writes: [`arrears_claim_origin`] and charges on land occupied without a
/// contract (`resource:<resource_no>`). The app finds and updates its claims by them (and a
/// collection on an arrears claim pays the contract), so a typed one would take over or fake
/// such a claim.
pub const APP_ORIGIN_PREFIXES: [&str; 2] = ["arrears:", "resource:"];

/// Whether `origin` is one only the app writes (any case, surrounding spaces ignored).
pub fn is_app_origin(origin: &str) -> bool {
    let o = origin.trim().to_lowercase();
    APP_ORIGIN_PREFIXES.iter().any(|p| o.starts_with(p))
}

impl ClaimDraft {
    /// A new claim as a person typed it: an origin reserved for the app is refused.
    pub fn validate(&self) -> Result<Claim, Vec<FieldError>> {
        self.validate_keeping(None)
    }

    /// An update of a stored claim whose origin is `stored_origin`: the app's origin of that
    /// claim may stay as it is (export → re-import, editing the note), not be set or changed.
    pub fn validate_keeping(&self, stored_origin: Option<&str>) -> Result<Claim, Vec<FieldError>> {
        self.fields(|typed| !is_app_origin(typed) || stored_origin.map(str::trim) == Some(typed))
    }

    /// A claim the app itself makes (rent arrears, charges): its reserved origin is allowed.
    pub fn validate_for_app(&self) -> Result<Claim, Vec<FieldError>> {
        self.fields(|_| true)
    }

    fn fields(&self, origin_allowed: impl Fn(&str) -> bool) -> Result<Claim, Vec<FieldError>> {
        let mut f = Fields::default();
        let claim_no = f.required_text("claim_no", &self.claim_no, MAX_NO_CHARS);
        let debtor = f.required_text("debtor", &self.debtor, MAX_NAME_CHARS);
        let amount = f.required_money("amount_yuan", &self.amount_yuan, Amount::Positive);
        let arose_on = f.optional_date("arose_on", &self.arose_on);
        let origin = f.optional_text("origin", &self.origin, MAX_TEXT_CHARS);
        if !origin_allowed(self.origin.trim()) {
            f.push(
                "origin",
                crate::message::catalogue::ORIGIN_SET_BY_SYSTEM
                    .with(&[("prefixes", &APP_ORIGIN_PREFIXES.join(" / "))]),
            );
        }
        let note = f.note("note", &self.note);
        let claim = amount.map(|amount| Claim {
            claim_no,
            debtor,
            amount,
            arose_on,
            origin,
            note,
        });
        f.into_result(claim)
    }
}

/// The `origin` of the claim the app keeps for a contract's rent arrears
/// ([`super::arrears_owed`]): `arrears:<contract_no>`. One such claim per contract; update its
/// amount as arrears change, but never below what has been collected.
pub fn arrears_claim_origin(contract_no: &str) -> String {
    format!("arrears:{contract_no}")
}

impl ClaimStatus {
    /// Nothing owed any more: collected (an arrears claim whose rent was paid on the contract
    /// drops to what was collected on it, possibly zero); nothing collected: open; otherwise
    /// partly collected.
    pub fn of(amount: Fen, collected: Fen) -> ClaimStatus {
        if collected >= amount {
            ClaimStatus::Collected
        } else if collected.0 <= 0 {
            ClaimStatus::Open
        } else {
            ClaimStatus::PartlyCollected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{LedgerError, CLAIM_COLLECTED};
    use proptest::prelude::*;

    #[test]
    fn collections_never_exceed_the_amount() {
        let amount = Fen(100_000);
        assert_eq!(ClaimStatus::of(amount, Fen::ZERO), ClaimStatus::Open);
        let Ok(c) = CLAIM_COLLECTED.apply(amount, Fen::ZERO, Fen(40_000)) else {
            panic!("ok")
        };
        assert_eq!(ClaimStatus::of(amount, c), ClaimStatus::PartlyCollected);
        let e = CLAIM_COLLECTED.apply(amount, c, Fen(60_001));
        assert_eq!(
            e,
            Err(LedgerError::OverCollection {
                remaining: Fen(60_000),
                amount: Fen(60_001)
            })
        );
        let Ok(c) = CLAIM_COLLECTED.apply(amount, c, Fen(60_000)) else {
            panic!("ok")
        };
        assert_eq!(ClaimStatus::of(amount, c), ClaimStatus::Collected);
        assert!(CLAIM_COLLECTED.apply(amount, c, Fen(1)).is_err());
        assert!(CLAIM_COLLECTED.apply(amount, Fen::ZERO, Fen::ZERO).is_err());
        // an arrears claim whose rent was paid on the contract: nothing left to collect
        assert_eq!(
            ClaimStatus::of(Fen::ZERO, Fen::ZERO),
            ClaimStatus::Collected
        );
    }

    #[test]
    fn drafts_validate() {
        let d = ClaimDraft {
            claim_no: "ZQ-01".into(),
            debtor: "李四".into(),
            amount_yuan: "3500.5".into(),
            arose_on: "2023-04-01".into(),
            origin: arrears_claim_origin("HT-2020-003"),
            note: "".into(),
        };
        // people cannot set the app's origins; the app can, and a stored one may stay
        let refused = crate::refused_fields::<Claim>;
        assert_eq!(refused(d.validate()), ["origin"]);
        let charge = ClaimDraft {
            origin: " Resource:ZY-1".into(),
            ..d.clone()
        };
        assert_eq!(refused(charge.validate()), ["origin"]);
        assert_eq!(
            refused(d.validate_keeping(Some("arrears:HT-1"))),
            ["origin"]
        );
        assert!(d.validate_keeping(Some("arrears:HT-2020-003")).is_ok());
        let Ok(c) = d.validate_for_app() else {
            panic!("valid")
        };
        assert_eq!(c.amount, Fen(350_050));
        assert_eq!(c.origin.as_deref(), Some("arrears:HT-2020-003"));
        let typed = ClaimDraft {
            origin: "借款 arrears: 2019".into(),
            ..d.clone()
        };
        assert!(typed.validate().is_ok());
        let bad = ClaimDraft {
            claim_no: "".into(),
            amount_yuan: "0".into(),
            arose_on: "昨天".into(),
            ..d
        };
        let fields = crate::refused_fields(bad.validate());
        assert_eq!(fields, ["claim_no", "amount_yuan", "arose_on", "origin"]);
    }

    proptest! {
        #[test]
        fn collected_stays_within_amount(
            amount in 1i64..1_000_000_000,
            steps in proptest::collection::vec(-100i64..600_000_000, 0..30),
        ) {
            let mut collected = Fen::ZERO;
            for s in steps {
                if let Ok(next) = CLAIM_COLLECTED.apply(Fen(amount), collected, Fen(s)) {
                    collected = next;
                }
                prop_assert!(collected.0 >= 0 && collected.0 <= amount);
            }
        }

        #[test]
        fn amount_check_keeps_collections_within_the_amount(
            amount in 1i64..1_000_000_000,
            steps in proptest::collection::vec(1i64..600_000_000, 0..10),
            new_amount in 0i64..2_000_000_000,
        ) {
            let mut collected = Fen::ZERO;
            for s in steps {
                if let Ok(next) = CLAIM_COLLECTED.apply(Fen(amount), collected, Fen(s)) {
                    collected = next;
                }
            }
            // Accepted exactly when what is left to collect on the new amount is not negative.
            match CLAIM_COLLECTED.covers(Fen(new_amount), collected) {
                Ok(()) => {
                    let left = new_amount - collected.0;
                    prop_assert!(left >= 0);
                    if left > 0 {
                        prop_assert!(CLAIM_COLLECTED.apply(Fen(new_amount), collected, Fen(left)).is_ok());
                    }
                }
                Err(e) => prop_assert_eq!(e.field, "amount_yuan"),
            }
            prop_assert_eq!(CLAIM_COLLECTED.covers(Fen(new_amount), collected).is_ok(), new_amount >= collected.0);
        }
    }
}
