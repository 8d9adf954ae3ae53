//! What the credit tests build again and again: the default rules, a record, a day of 2024,
//! a round in publicity.

use super::record::ScoreRecord;
use super::round::Round;
use super::rules::RuleSet;
use chrono::NaiveDate;

pub fn rules() -> RuleSet {
    let Ok(r) = RuleSet::default_set() else {
        panic!("default set parses")
    };
    r
}

/// An unconfirmed record of item `code`, made on 1 April 2024.
pub fn rec(id: i64, code: &str) -> ScoreRecord {
    ScoreRecord {
        id,
        item_code: code.to_string(),
        occurred_on: d(4, 1),
        recorder: "wang01".into(),
        evidence: format!("photo-{id}.jpg"),
        confirmed: false,
        voided: false,
    }
}

/// A day of 2024.
pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap_or_default()
}

/// A round assessed on 20 April and in publicity from 1 May 2024.
pub fn in_publicity() -> Round {
    let mut r = Round::new();
    assert_eq!(r.assess(d(4, 20)), Ok(()));
    assert_eq!(r.start_publicity(d(5, 1), None), Ok(()));
    r
}
