//! Administrative units keyed by official codes. Codes nest by prefix, which is what makes
//! "this account sees only its subtree" a cheap, exact check.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    City,
    County,
    Township,
    Village,
    Grid,
    MicroGrid,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::Province,
        Level::City,
        Level::County,
        Level::Township,
        Level::Village,
        Level::Grid,
        Level::MicroGrid,
    ];

    /// Code length of each level: 2, 4, 6, 9, 12 digits (GB/T 2260 and the statistical codes),
    /// then 3 more digits for a grid under its village and 3 more for a micro-grid under its grid.
    pub fn code_len(self) -> usize {
        match self {
            Level::Province => 2,
            Level::City => 4,
            Level::County => 6,
            Level::Township => 9,
            Level::Village => 12,
            Level::Grid => 15,
            Level::MicroGrid => 18,
        }
    }

    pub fn from_code_len(len: usize) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code_len() == len)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
            Level::Grid => "grid",
            Level::MicroGrid => "micro_grid",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn parent(self) -> Option<Level> {
        let i = Level::ALL.iter().position(|l| *l == self)?;
        i.checked_sub(1).map(|p| Level::ALL[p])
    }

    pub fn child(self) -> Option<Level> {
        let i = Level::ALL.iter().position(|l| *l == self)?;
        Level::ALL.get(i + 1).copied()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated unit code; its level follows from its length.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitCodeError {
    #[error("unit code '{0}' must be digits only")]
    NotDigits(String),
    #[error("unit code '{0}' has {1} digits; expected 2, 4, 6, 9, 12, 15 or 18")]
    Length(String, usize),
}

impl UnitCodeError {
    /// The refusal in both languages.
    pub fn text(&self) -> crate::message::Text {
        use crate::message::catalogue as msg;
        match self {
            UnitCodeError::NotDigits(v) => msg::UNIT_CODE_DIGITS.with(&[("value", v)]),
            UnitCodeError::Length(v, n) => msg::UNIT_CODE_LENGTH.with(&[("value", v), ("len", n)]),
        }
    }
}

impl UnitCode {
    pub fn parse(text: &str) -> Result<UnitCode, UnitCodeError> {
        let t = text.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnitCodeError::NotDigits(t.to_string()));
        }
        if Level::from_code_len(t.len()).is_none() {
            return Err(UnitCodeError::Length(t.to_string(), t.len()));
        }
        Ok(UnitCode(t.to_string()))
    }

    pub fn level(&self) -> Level {
        // Length was checked on construction.
        Level::from_code_len(self.0.len()).unwrap_or(Level::Province)
    }

    pub fn parent(&self) -> Option<UnitCode> {
        let parent = self.level().parent()?;
        Some(UnitCode(self.0[..parent.code_len()].to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this unit or lies below it.
    pub fn covers(&self, other: &str) -> bool {
        other.starts_with(&self.0)
    }

    /// The code of the `n`-th child of a village or grid (grids and micro-grids are numbered by
    /// us, not by the statistics bureau).
    pub fn child_code(&self, n: u32) -> Option<UnitCode> {
        let child = self.level().child()?;
        if !matches!(child, Level::Grid | Level::MicroGrid) || n == 0 || n > 999 {
            return None;
        }
        Some(UnitCode(format!("{}{n:03}", self.0)))
    }
}

impl TryFrom<String> for UnitCode {
    type Error = UnitCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        UnitCode::parse(&s)
    }
}

impl From<UnitCode> for String {
    fn from(c: UnitCode) -> String {
        c.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest code any unit has (a micro-grid), with room to spare.
const MAX_CODE_LEN: usize = 24;

/// Nines appended to a prefix in SQL to close its subtree range (any code is at most
/// `MAX_CODE_LEN` long, so a pad of that length always suffices).
pub const SUBTREE_PAD: &str = "999999999999999999999999";

/// The closed range `[lo, hi]` of codes in the subtree of `prefix`, so that a scope filter is an
/// index range (`code BETWEEN lo AND hi`) rather than `LIKE 'prefix%'`, which SQLite cannot serve
/// from an index (its LIKE is case-insensitive). `hi` is the prefix padded with nines: for
/// digit-only codes this is exact under any collation that orders digits as digits (C, en_US,
/// ICU alike), because no punctuation is involved. Non-digit prefixes get an empty range.
pub fn subtree_bounds(prefix: &str) -> (String, String) {
    if !prefix.bytes().all(|b| b.is_ascii_digit()) || prefix.len() > MAX_CODE_LEN {
        // No unit has such a code: a range that matches nothing.
        return ("1".into(), "0".into());
    }
    let hi = format!("{prefix}{}", "9".repeat(MAX_CODE_LEN - prefix.len()));
    (prefix.to_string(), hi)
}

/// A micro-grid should hold 10–15 households; the registry warns outside that band.
pub const MICRO_GRID_MIN: usize = 10;
pub const MICRO_GRID_MAX: usize = 15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_code_length_and_nest() {
        let v = UnitCode::parse("140581001001").map_err(|e| e.to_string());
        let Ok(v) = v else { panic!("valid") };
        assert_eq!(v.level(), Level::Village);
        assert_eq!(v.parent().map(|p| p.to_string()), Some("140581001".into()));
        let g = v.child_code(1);
        assert_eq!(g.as_ref().map(|g| g.as_str()), Some("140581001001001"));
        assert_eq!(g.as_ref().map(|g| g.level()), Some(Level::Grid));
        let m = g.and_then(|g| g.child_code(12));
        assert_eq!(m.as_ref().map(|m| m.level()), Some(Level::MicroGrid));
        assert!(UnitCode::parse("14")
            .map(|p| p.covers("140581001001"))
            .unwrap_or(false));
        assert!(!UnitCode::parse("34")
            .map(|p| p.covers("140581"))
            .unwrap_or(true));
        // Townships cannot get numbered children: villages come from the statistics bureau.
        assert!(UnitCode::parse("140581001")
            .ok()
            .and_then(|t| t.child_code(1))
            .is_none());
    }

    proptest::proptest! {
        /// A digit code lies in a prefix's bounds exactly when it starts with the prefix.
        #[test]
        fn subtree_bounds_match_prefixes(prefix in "[0-9]{0,18}", code in "[0-9]{1,18}") {
            let (lo, hi) = subtree_bounds(&prefix);
            let inside = lo.as_str() <= code.as_str() && code.as_str() <= hi.as_str();
            proptest::prop_assert_eq!(inside, code.starts_with(&prefix));
        }

        /// Codes made from the prefix itself (children, grandchildren) are inside.
        #[test]
        fn subtree_bounds_hold_descendants(prefix in "[0-9]{2,12}", tail in "[0-9]{0,6}") {
            let (lo, hi) = subtree_bounds(&prefix);
            let code = format!("{prefix}{tail}");
            proptest::prop_assert!(lo <= code && code <= hi);
        }
    }

    #[test]
    fn pad_is_long_enough() {
        assert_eq!(SUBTREE_PAD.len(), MAX_CODE_LEN);
    }

    #[test]
    fn subtree_bounds_refuse_non_digits() {
        let (lo, hi) = subtree_bounds("14%");
        assert!(lo > hi);
    }

    #[test]
    fn rejects_bad_codes() {
        assert!(matches!(
            UnitCode::parse("1405a1"),
            Err(UnitCodeError::NotDigits(_))
        ));
        assert!(matches!(
            UnitCode::parse("1405811"),
            Err(UnitCodeError::Length(_, 7))
        ));
        assert!(UnitCode::parse("").is_err());
    }
}
