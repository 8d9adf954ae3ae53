//! Three-affairs disclosure (三务公开): what a village must publish, by when, and the exact
//! bytes the transparency log commits to when it does.
//!
//! - [`catalogue`]: the county's categories (TOML; a default is shipped) with their module and
//!   cadence;
//! - [`period`]: the month, quarter or event date a disclosure covers, and when it falls due;
//! - [`schedule`]: on time / late / missing for a village and a category;
//! - [`table`]: a disclosure's table (money columns in fen, shown as yuan with totals);
//! - [`leaf`]: the canonical serialization appended to the log;
//! - [`error`]: every refusal, in Chinese and English.

pub mod attachment;
pub mod bundle;
pub mod catalogue;
pub mod error;
pub mod leaf;
pub mod period;
pub mod schedule;
pub mod statement;
pub mod table;

pub use catalogue::{Cadence, Catalogue, Category};
pub use error::DisclosureError;
pub use period::Period;

use serde::{Deserialize, Serialize};

/// The four modules of a village's disclosure board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Party,
    Finance,
    Village,
    Other,
}

impl Module {
    pub const ALL: [Module; 4] = [
        Module::Party,
        Module::Finance,
        Module::Village,
        Module::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Module::Party => "party",
            Module::Finance => "finance",
            Module::Village => "village",
            Module::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Module> {
        let s = s.trim();
        Module::ALL
            .into_iter()
            .find(|m| m.key() == s || m.label_zh() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Module::Party => "党务",
            Module::Finance => "财务",
            Module::Village => "村务",
            Module::Other => "其他",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Module::Party => "Party affairs",
            Module::Finance => "Finance",
            Module::Village => "Village affairs",
            Module::Other => "Other",
        }
    }
}

/// Who may approve a prepared finance disclosure: a second person, never its preparer
/// (农经发〔2011〕13号: the democratic finance group reviews before publication).
pub fn check_approver(prepared_by: i64, approver: i64) -> Result<(), DisclosureError> {
    if prepared_by == approver {
        return Err(DisclosureError::SelfApproval);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_parse_by_key_and_chinese_name() {
        for m in Module::ALL {
            assert_eq!(Module::parse(m.key()), Some(m));
            assert_eq!(Module::parse(m.label_zh()), Some(m));
        }
        assert_eq!(Module::parse("finances"), None);
    }

    #[test]
    fn the_preparer_never_approves() {
        assert_eq!(check_approver(7, 7), Err(DisclosureError::SelfApproval));
        assert!(check_approver(7, 8).is_ok());
    }
}

/// What a villager's message is, as they say (a cadre may re-classify it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Question,
    Doubt,
    Complaint,
    Suggestion,
    Praise,
}

impl MessageKind {
    pub const ALL: [MessageKind; 5] = [
        MessageKind::Question,
        MessageKind::Doubt,
        MessageKind::Complaint,
        MessageKind::Suggestion,
        MessageKind::Praise,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MessageKind::Question => "question",
            MessageKind::Doubt => "doubt",
            MessageKind::Complaint => "complaint",
            MessageKind::Suggestion => "suggestion",
            MessageKind::Praise => "praise",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.key() == s.trim())
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            MessageKind::Question => "咨询",
            MessageKind::Doubt => "质疑（数据是否准确）",
            MessageKind::Complaint => "投诉",
            MessageKind::Suggestion => "建议",
            MessageKind::Praise => "表扬",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            MessageKind::Question => "Question",
            MessageKind::Doubt => "Doubt about accuracy",
            MessageKind::Complaint => "Complaint",
            MessageKind::Suggestion => "Suggestion",
            MessageKind::Praise => "Praise",
        }
    }
}

/// Working days a message may wait for its answer before it shows as overdue.
pub const ANSWER_WORKING_DAYS: u32 = 5;

/// The day `n` working days (Monday to Friday) after `from`: public holidays are not known
/// here, so a holiday week counts as working days (the township sees it a little early).
pub fn add_working_days(from: chrono::NaiveDate, n: u32) -> chrono::NaiveDate {
    use chrono::{Datelike, Weekday};
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod working_day_tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn five_working_days_skip_the_weekend() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(
            add_working_days(fri, 5),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        let mon = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            add_working_days(mon, 5),
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        );
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.key()), Some(k));
        }
    }
}
