//! Dates are real dates (`chrono::NaiveDate`); text is `YYYY-MM-DD` on the way in and out.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date (expected YYYY-MM-DD, e.g. 2024-03-01)")]
pub struct DateError(pub String);

impl DateError {
    /// The refusal in both languages.
    pub fn text(&self) -> crate::message::Text {
        crate::message::catalogue::DATE_INVALID.with(&[("value", &self.0)])
    }
}

/// Accepts `2024-03-01`, `2024/3/1` and `2024.3.1` (all common in village spreadsheets).
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    // Four-digit years only: chrono's %Y also takes signs and more digits ("+262143-12-31"),
    // which no village record means and which overflow date arithmetic.
    let year_ok = t
        .get(..4)
        .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        && t.as_bytes().get(4).is_some_and(|b| !b.is_ascii_digit());
    if !year_ok {
        return Err(DateError(t.to_string()));
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return Ok(d);
        }
    }
    Err(DateError(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_forms_and_rejects_impossible_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1);
        assert_eq!(parse_date("2024-03-01").ok(), d);
        assert_eq!(parse_date("2024/3/1").ok(), d);
        assert_eq!(parse_date(" 2024.3.1 ").ok(), d);
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("+262143-12-31").is_err());
        assert!(parse_date("20240-01-01").is_err());
        assert!(parse_date("-2024-01-01").is_err());
    }
}
