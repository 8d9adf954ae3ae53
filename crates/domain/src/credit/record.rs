//! Score records: what a grid worker enters for a household, how each takes part in the score,
//! and the checks an import runs before storing them.

use super::error::CreditError;
use super::rules::{RuleItem, RuleSet};
use crate::registry::household::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One recorded event for a household: "2024-04-02, 参加义务劳动, recorded by grid worker wang01,
/// evidence: photo 0412.jpg".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreRecord {
    /// Storage id, referred to by objections that void a record.
    pub id: i64,
    pub item_code: String,
    pub occurred_on: NaiveDate,
    /// Account of the person who entered the record.
    pub recorder: String,
    /// What shows it happened: a photo name, a list, a document number.
    pub evidence: String,
    /// A second recorder confirmed it (needed for heavy items, see [`RuleSet::needs_confirmation`]).
    pub confirmed: bool,
    /// Struck out (by the recorder before publicity, or by an upheld objection). Kept for the trail.
    pub voided: bool,
}

/// How a record takes part in the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Counts.
    Counted,
    /// A heavy item waiting for a second recorder's confirmation: does not count yet.
    Pending,
    /// Struck out: does not count.
    Voided,
}

impl RecordStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Counted => "counted",
            RecordStatus::Pending => "pending",
            RecordStatus::Voided => "voided",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            RecordStatus::Counted => "已计分",
            RecordStatus::Pending => "待复核确认",
            RecordStatus::Voided => "已作废",
        }
    }
}

/// The status of `record`, an occurrence of `item`. Voided wins over everything.
pub fn record_status(rules: &RuleSet, item: &RuleItem, record: &ScoreRecord) -> RecordStatus {
    if record.voided {
        RecordStatus::Voided
    } else if rules.needs_confirmation(item) && !record.confirmed {
        RecordStatus::Pending
    } else {
        RecordStatus::Counted
    }
}

/// Everything wrong with one record, in field order: unknown item code, no recorder, no evidence.
pub fn record_problems(rules: &RuleSet, record: &ScoreRecord) -> Vec<CreditError> {
    let mut problems = Vec::new();
    let context = format!("record #{}", record.id);
    if rules.item(&record.item_code).is_none() {
        problems.push(CreditError::UnknownItem {
            code: record.item_code.trim().to_string(),
            record_id: Some(record.id),
        });
    }
    if record.recorder.trim().is_empty() {
        problems.push(CreditError::Required {
            context: context.clone(),
            field: "recorder",
        });
    }
    if record.evidence.trim().is_empty() {
        problems.push(CreditError::Required {
            context,
            field: "evidence",
        });
    } else if record.evidence.chars().count() > super::error::MAX_TEXT_CHARS {
        problems.push(CreditError::TooLong {
            context,
            field: "evidence",
            max: super::error::MAX_TEXT_CHARS,
        });
    }
    problems
}

/// Checks one record before it is stored; returns its item.
pub fn check_record<'r>(
    rules: &'r RuleSet,
    record: &ScoreRecord,
) -> Result<&'r RuleItem, CreditError> {
    match record_problems(rules, record).into_iter().next() {
        Some(e) => Err(e),
        None => rules.require_item(&record.item_code),
    }
}

/// Checks records at import time: every problem, as `(index in records, field error)`, so an
/// import can report `file:row:column`.
pub fn validate_records(
    rules: &RuleSet,
    records: &[ScoreRecord],
) -> Result<(), Vec<(usize, FieldError)>> {
    let errors: Vec<(usize, FieldError)> = records
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            record_problems(rules, r)
                .into_iter()
                .map(move |e| (i, e.to_field_error()))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::fixtures::{rec, rules};

    #[test]
    fn import_validation_names_records_and_fields() {
        let r = rules();
        let mut bad = rec(9, "XX99");
        bad.evidence = " ".into();
        let records = vec![rec(1, "SV01"), bad];
        let Err(errors) = validate_records(&r, &records) else {
            panic!("must refuse")
        };
        let fields: Vec<(usize, &str)> = errors.iter().map(|(i, e)| (*i, e.field)).collect();
        assert_eq!(fields, [(1, "item_code"), (1, "evidence")]);
        assert!(
            errors[0].1.message.en.contains("XX99") && errors[0].1.message.zh.contains("XX99"),
            "{}",
            errors[0].1.message
        );
        assert!(validate_records(&r, &records[..1]).is_ok());
        assert!(matches!(
            check_record(&r, &records[1]),
            Err(CreditError::UnknownItem {
                record_id: Some(9),
                ..
            })
        ));
        assert!(matches!(check_record(&r, &records[0]), Ok(item) if item.code == "SV01"));
    }
}
