//! Field parsing shared by the ledger drafts. A `Fields` collector records every problem and
//! hands back `None` for a bad value, so `validate` can report all bad fields at once.

use crate::dates::parse_date;
use crate::message::{catalogue as msg, FieldError, Text};
use crate::money::Fen;
use chrono::NaiveDate;

/// Longest record number (contract_no, debt_no, ...).
pub const MAX_NO_CHARS: usize = 64;
/// Longest name (counterparty, creditor, debtor, resource name).
pub const MAX_NAME_CHARS: usize = 100;
/// Longest short text (subject, location, category, evidence, procedure_ref).
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest note.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Largest amount a ledger record may hold: 1,000,000,000,000 yuan. Far above any village's
/// books, and far enough below `i64::MAX` fen that sums and rent schedules cannot overflow.
pub const MAX_AMOUNT: Fen = Fen(100_000_000_000_000);

/// Whether an amount may be zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Amount {
    Positive,
    NonNegative,
}

#[derive(Debug, Default)]
pub(crate) struct Fields {
    errors: Vec<FieldError>,
}

pub(crate) fn trimmed(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

impl Fields {
    pub fn push(&mut self, field: &'static str, message: impl Into<Text>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn into_result<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }

    fn check_len(&mut self, field: &'static str, t: &str, max: usize) -> bool {
        if let Err(e) = crate::text::check_line(field, t) {
            self.errors.push(e);
            false
        } else if t.chars().count() > max {
            self.push(field, msg::TOO_LONG.field(field, &[("max", &max)]));
            false
        } else {
            true
        }
    }

    /// A required coded choice (a kind, a status, a method): `parse` of the trimmed text, or
    /// the refusal pushed on `field`: missing, or not one of `known()` (the message names the
    /// choice `label`).
    pub fn required_choice<T>(
        &mut self,
        (field, label): (&'static str, &'static str),
        value: &str,
        parse: fn(&str) -> Option<T>,
        known: fn() -> String,
    ) -> Option<T> {
        let Some(t) = trimmed(value) else {
            self.push(field, msg::REQUIRED.field(field, &[]));
            return None;
        };
        let v = parse(t);
        if v.is_none() {
            self.push(
                field,
                msg::UNKNOWN_CHOICE.field(label, &[("value", &t), ("known", &known())]),
            );
        }
        v
    }

    /// Non-empty trimmed text of at most `max` characters.
    pub fn required_text(&mut self, field: &'static str, value: &str, max: usize) -> String {
        match trimmed(value) {
            None => {
                self.push(field, msg::REQUIRED.field(field, &[]));
                String::new()
            }
            Some(t) => {
                self.check_len(field, t, max);
                t.to_string()
            }
        }
    }

    /// Trimmed text, `None` when empty.
    pub fn optional_text(
        &mut self,
        field: &'static str,
        value: &str,
        max: usize,
    ) -> Option<String> {
        let t = trimmed(value)?;
        self.check_len(field, t, max).then(|| t.to_string())
    }

    /// Trimmed text, empty allowed (notes).
    pub fn note(&mut self, field: &'static str, value: &str) -> String {
        let t = value.trim();
        if let Err(e) = crate::text::check_free_text(field, t) {
            self.errors.push(e);
        } else if t.chars().count() > MAX_NOTE_CHARS {
            self.push(
                field,
                msg::TOO_LONG.field(field, &[("max", &MAX_NOTE_CHARS)]),
            );
        }
        t.to_string()
    }

    pub fn required_date(&mut self, field: &'static str, value: &str) -> Option<NaiveDate> {
        if trimmed(value).is_none() {
            self.push(field, msg::REQUIRED_DATE.field(field, &[]));
            return None;
        }
        self.optional_date(field, value)
    }

    pub fn optional_date(&mut self, field: &'static str, value: &str) -> Option<NaiveDate> {
        let t = trimmed(value)?;
        match parse_date(t) {
            Ok(d) => Some(d),
            Err(e) => {
                self.push(field, e.text());
                None
            }
        }
    }

    pub fn required_money(
        &mut self,
        field: &'static str,
        value: &str,
        rule: Amount,
    ) -> Option<Fen> {
        if trimmed(value).is_none() {
            self.push(field, msg::REQUIRED_MONEY.field(field, &[]));
            return None;
        }
        self.optional_money(field, value, rule)
    }

    pub fn optional_money(
        &mut self,
        field: &'static str,
        value: &str,
        rule: Amount,
    ) -> Option<Fen> {
        let t = trimmed(value)?;
        match Fen::parse_yuan(t) {
            Err(e) => {
                self.push(field, e.text());
                None
            }
            Ok(f) if rule == Amount::Positive && f.0 <= 0 => {
                self.push(field, msg::MUST_BE_POSITIVE.field(field, &[]));
                None
            }
            Ok(f) if f.0 < 0 => {
                self.push(field, msg::MUST_NOT_BE_NEGATIVE.field(field, &[]));
                None
            }
            Ok(f) if f > MAX_AMOUNT => {
                self.push(
                    field,
                    msg::MONEY_AT_MOST.field(field, &[("max", &MAX_AMOUNT)]),
                );
                None
            }
            Ok(f) => Some(f),
        }
    }

    /// A non-negative decimal with at most two places, as integer hundredths (`12.5` → 1250).
    /// Thousands separators and one of `units` after the number are accepted (`12.5亩`).
    pub fn optional_hundredths(
        &mut self,
        field: &'static str,
        value: &str,
        units: &[&str],
        rule: Amount,
    ) -> Option<i64> {
        let t = trimmed(value)?;
        let mut number = t;
        for u in units {
            if let Some(rest) = number.strip_suffix(u) {
                number = rest.trim_end();
                break;
            }
        }
        let plain = number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '，'));
        let parsed = if plain && !number.is_empty() {
            Fen::parse_yuan(number).ok()
        } else {
            None
        };
        match parsed {
            None => {
                self.push(field, msg::NOT_A_DECIMAL.with(&[("value", &t)]));
                None
            }
            Some(Fen(v)) if rule == Amount::Positive && v == 0 => {
                self.push(field, msg::MUST_BE_POSITIVE.field(field, &[]));
                None
            }
            Some(Fen(v)) => Some(v),
        }
    }

    /// `true/false/是/否/1/0/yes/no/y/n` (any case); empty means false.
    pub fn boolean(&mut self, field: &'static str, value: &str) -> bool {
        let Some(t) = trimmed(value) else {
            return false;
        };
        match t.to_lowercase().as_str() {
            "true" | "是" | "1" | "yes" | "y" => true,
            "false" | "否" | "0" | "no" | "n" => false,
            _ => {
                self.push(field, msg::NOT_YES_NO.with(&[("value", &t)]));
                false
            }
        }
    }
}

/// `1234.56` from hundredths, for writing decimals back into drafts and exports.
pub fn hundredths_to_string(v: i64) -> String {
    Fen(v).to_yuan_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_accept_decimals_units_and_separators() {
        let mut f = Fields::default();
        let units = ["亩", "mu"];
        assert_eq!(
            f.optional_hundredths("a", "12.5", &units, Amount::Positive),
            Some(1250)
        );
        assert_eq!(
            f.optional_hundredths("a", "1,200亩", &units, Amount::Positive),
            Some(120_000)
        );
        assert_eq!(
            f.optional_hundredths("a", "0.01 mu", &units, Amount::Positive),
            Some(1)
        );
        assert_eq!(
            f.optional_hundredths("a", "", &units, Amount::Positive),
            None
        );
        assert_eq!(
            f.optional_hundredths("a", "0", &units, Amount::NonNegative),
            Some(0)
        );
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        for bad in ["1.234", "-3", "¥5", "abc", "0", "亩"] {
            let mut f = Fields::default();
            assert_eq!(
                f.optional_hundredths("a", bad, &units, Amount::Positive),
                None
            );
            assert_eq!(f.errors.len(), 1, "{bad}");
        }
        assert_eq!(hundredths_to_string(1250), "12.50");
    }

    #[test]
    fn booleans() {
        let mut f = Fields::default();
        for yes in ["true", "是", "1", "YES", "y"] {
            assert!(f.boolean("b", yes), "{yes}");
        }
        for no in ["false", "否", "0", "No", "", "  "] {
            assert!(!f.boolean("b", no), "{no}");
        }
        assert!(f.errors.is_empty());
        assert!(!f.boolean("b", "maybe"));
        assert_eq!(f.errors.len(), 1);
    }

    #[test]
    fn money_rules() {
        let mut f = Fields::default();
        assert_eq!(
            f.required_money("m", "0", Amount::NonNegative),
            Some(Fen(0))
        );
        assert_eq!(f.required_money("m", "0", Amount::Positive), None);
        assert_eq!(f.required_money("m", "-1", Amount::NonNegative), None);
        assert_eq!(f.required_money("m", "", Amount::NonNegative), None);
        assert_eq!(f.optional_money("m", "", Amount::Positive), None);
        assert_eq!(f.errors.len(), 3);
    }

    #[test]
    fn money_is_capped() {
        let mut f = Fields::default();
        assert_eq!(
            f.required_money("m", "1000000000000", Amount::Positive),
            Some(MAX_AMOUNT)
        );
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        for too_big in [
            "1000000000000.01",
            "90000000000000000",
            "92233720368547758.07",
        ] {
            let mut f = Fields::default();
            assert_eq!(f.required_money("m", too_big, Amount::Positive), None);
            assert_eq!(f.errors.len(), 1, "{too_big}");
            assert_eq!(f.errors[0].field, "m");
            assert!(
                f.errors[0].message.en.contains("must not exceed"),
                "{:?}",
                f.errors
            );
        }
    }

    #[test]
    fn text_and_dates() {
        let mut f = Fields::default();
        assert_eq!(f.required_text("t", "  x ", 5), "x");
        assert_eq!(f.optional_text("t", "  ", 5), None);
        assert_eq!(
            f.optional_date("d", "2024/3/1"),
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        assert!(f.errors.is_empty());
        f.required_text("t", "", 5);
        f.required_text("t", "toolong", 5);
        f.required_date("d", "");
        f.optional_date("d", "2023-02-29");
        let fields: Vec<&str> = f.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["t", "t", "d", "d"]);
    }
}
