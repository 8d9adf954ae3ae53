//! Money is integer fen (1 yuan = 100 fen). Never floats: parsing and display go through text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen. May be negative (e.g. an adjustment), callers decide.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount is empty")]
    Empty,
    #[error("'{0}' is not an amount in yuan (digits with at most 2 decimals, e.g. 1234.50)")]
    Invalid(String),
    #[error("amount '{0}' is too large")]
    Overflow(String),
}

impl MoneyError {
    /// The refusal in both languages.
    pub fn text(&self) -> crate::message::Text {
        use crate::message::catalogue as msg;
        match self {
            MoneyError::Empty => msg::MONEY_EMPTY.text(),
            MoneyError::Invalid(v) => msg::MONEY_INVALID.with(&[("value", v)]),
            MoneyError::Overflow(v) => msg::MONEY_TOO_LARGE.with(&[("value", v)]),
        }
    }
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub fn from_yuan(yuan: i64) -> Option<Fen> {
        yuan.checked_mul(100).map(Fen)
    }

    /// Parses a yuan amount as people type it: `1234`, `1234.5`, `1,234.50`, `-20`, `¥12`, `12元`.
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        let invalid = || MoneyError::Invalid(t.to_string());
        // The sign may stand before or after the currency sign: "-¥5" and "¥-5".
        let (neg_outer, unsigned) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let stripped: String = unsigned
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .collect();
        let (neg_inner, body) = match stripped.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, stripped.as_str()),
        };
        if neg_outer && neg_inner {
            return Err(invalid());
        }
        let negative = neg_outer || neg_inner;
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
            || frac_part.len() > 2
            || (body.contains('.') && frac_part.is_empty())
        {
            return Err(invalid());
        }
        let overflow = || MoneyError::Overflow(t.to_string());
        let yuan: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| overflow())?
        };
        let frac: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => frac_part.parse().map_err(|_| invalid())?,
        };
        let fen = yuan
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac))
            .ok_or_else(overflow)?;
        Ok(Fen(if negative { -fen } else { fen }))
    }

    /// `1234.50` — the form imports accept and exports write, so they round-trip.
    pub fn to_yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }
}

impl fmt::Display for Fen {
    /// Grouped for reading on a page: `¥1,234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = self.to_yuan_string();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (int_part, frac) = rest.split_once('.').unwrap_or((rest, "00"));
        let mut grouped = String::new();
        for (i, c) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}¥{grouped}.{frac}")
    }
}

/// Share `part / whole` in percent rounded half-up to one decimal, computed in integers.
pub fn percent_1dp(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    let part = i128::from(part);
    let whole = i128::from(whole);
    // tenths of a percent, rounded half up
    let tenths = (part * 1000 * 2 + whole) / (whole * 2);
    tenths as f64 / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(Fen::parse_yuan("1234"), Ok(Fen(123_400)));
        assert_eq!(Fen::parse_yuan("1234.5"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan("1,234.05"), Ok(Fen(123_405)));
        assert_eq!(Fen::parse_yuan("¥12元"), Ok(Fen(1_200)));
        assert_eq!(Fen::parse_yuan("-0.01"), Ok(Fen(-1)));
        assert_eq!(Fen::parse_yuan(".5"), Ok(Fen(50)));
    }

    #[test]
    fn rejects_bad_forms() {
        for bad in ["", "abc", "1.234", "1.", "1e5", "--1", "1.2.3", "12 34x"] {
            assert!(Fen::parse_yuan(bad).is_err(), "{bad} should be rejected");
        }
        assert!(matches!(
            Fen::parse_yuan("99999999999999999999"),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(Fen(2_358_000_000).to_string(), "¥23,580,000.00");
        assert_eq!(Fen(-5).to_string(), "-¥0.05");
        assert_eq!(Fen(100).to_string(), "¥1.00");
    }

    #[test]
    fn percent_of_seed_000() {
        // 18.5117 million resolved of 23.58 million: the seed reports 78.5 %.
        assert_eq!(percent_1dp(1_851_170_000, 2_358_000_000), 78.5);
        assert_eq!(percent_1dp(1, 3), 33.3);
        assert_eq!(percent_1dp(2, 3), 66.7);
        assert_eq!(percent_1dp(5, 0), 0.0);
    }

    proptest! {
        #[test]
        fn yuan_string_round_trips(fen in -10_000_000_000_000i64..10_000_000_000_000i64) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_yuan_string()), Ok(Fen(fen)));
        }

        #[test]
        fn display_round_trips(fen in -10_000_000_000_000i64..10_000_000_000_000i64) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_string()), Ok(Fen(fen)));
        }
    }
}
