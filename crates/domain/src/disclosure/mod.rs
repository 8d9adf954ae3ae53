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
