//! Fairness rules against favouritism (人情分): nobody scores their own household or a household
//! they declared a relation to, and heavy items need a second, independent recorder.

use super::error::CreditError;
use super::rules::{RuleItem, RuleSet};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A household, by its registry id (`households.id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdRef(pub i64);

impl fmt::Display for HouseholdRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// May a recorder score `target`? Refused when the recorder lives in `target`
/// (`recorder_household`, `None` for a recorder from outside the village, e.g. a township
/// officer) or declared a relation to it (kin, in-laws, business partners: whatever the recorder
/// declared when taking up the role).
pub fn check_recorder(
    recorder_household: Option<HouseholdRef>,
    declared_relations: &[HouseholdRef],
    target: HouseholdRef,
) -> Result<(), CreditError> {
    if recorder_household == Some(target) {
        return Err(CreditError::OwnHousehold { target });
    }
    if declared_relations.contains(&target) {
        return Err(CreditError::RelatedHousehold { target });
    }
    Ok(())
}

/// Whether records of `item` count only after a second recorder confirmed them
/// (`|points| >= confirm_weight`).
pub fn needs_second_confirmation(item: &RuleItem, rules: &RuleSet) -> bool {
    rules.needs_confirmation(item)
}

/// May `confirmer` confirm a heavy record that `recorder` entered for `target`? The confirmer must
/// be another person (compared by account, ignoring surrounding spaces and ASCII case) and must
/// pass [`check_recorder`] for the target.
pub fn check_confirmer(
    recorder: &str,
    confirmer: &str,
    confirmer_household: Option<HouseholdRef>,
    confirmer_relations: &[HouseholdRef],
    target: HouseholdRef,
) -> Result<(), CreditError> {
    let confirmer = confirmer.trim();
    if confirmer.is_empty() {
        return Err(CreditError::Required {
            context: "confirmation".into(),
            field: "confirmer",
        });
    }
    if confirmer.eq_ignore_ascii_case(recorder.trim()) {
        return Err(CreditError::ConfirmerIsRecorder {
            recorder: confirmer.to_string(),
        });
    }
    check_recorder(confirmer_household, confirmer_relations, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: HouseholdRef = HouseholdRef(7);

    #[test]
    fn recorders_cannot_score_themselves_or_relatives() {
        assert_eq!(
            check_recorder(Some(TARGET), &[], TARGET),
            Err(CreditError::OwnHousehold { target: TARGET })
        );
        assert_eq!(
            check_recorder(Some(HouseholdRef(1)), &[HouseholdRef(3), TARGET], TARGET),
            Err(CreditError::RelatedHousehold { target: TARGET })
        );
        assert_eq!(
            check_recorder(Some(HouseholdRef(1)), &[HouseholdRef(3)], TARGET),
            Ok(())
        );
        assert_eq!(check_recorder(None, &[], TARGET), Ok(()));
    }

    #[test]
    fn confirmer_must_be_someone_else_and_unrelated() {
        assert_eq!(
            check_confirmer("wang01", " WANG01 ", None, &[], TARGET),
            Err(CreditError::ConfirmerIsRecorder {
                recorder: "WANG01".into()
            })
        );
        assert!(matches!(
            check_confirmer("wang01", " ", None, &[], TARGET),
            Err(CreditError::Required { .. })
        ));
        assert_eq!(
            check_confirmer("wang01", "li02", Some(TARGET), &[], TARGET),
            Err(CreditError::OwnHousehold { target: TARGET })
        );
        assert_eq!(
            check_confirmer("wang01", "li02", Some(HouseholdRef(2)), &[TARGET], TARGET),
            Err(CreditError::RelatedHousehold { target: TARGET })
        );
        assert_eq!(
            check_confirmer("wang01", "li02", Some(HouseholdRef(2)), &[], TARGET),
            Ok(())
        );
    }

    #[test]
    fn heavy_items_need_a_second_confirmation() {
        let Ok(rules) = RuleSet::default_set() else {
            panic!("default set parses")
        };
        let heavy: Vec<&str> = rules
            .items()
            .iter()
            .filter(|i| needs_second_confirmation(i, &rules))
            .map(|i| i.code.as_str())
            .collect();
        assert!(heavy.contains(&"HR01") && heavy.contains(&"HR06") && heavy.contains(&"CC05"));
        for code in ["SV01", "PW01", "EN05", "ID07"] {
            let Some(item) = rules.item(code) else {
                panic!("{code} exists")
            };
            assert!(!needs_second_confirmation(item, &rules), "{code}");
        }
    }
}
