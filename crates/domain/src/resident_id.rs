//! Resident ID numbers (居民身份证号码), GB 11643-1999: 17 digits and a MOD 11-2 check character.

use chrono::NaiveDate;
use std::fmt;

/// A validated 18-character resident ID. Construct only through [`ResidentId::parse`]. `Debug`
/// masks the number so it cannot leak through logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("resident ID must have 18 characters, this one has {0}")]
    Length(usize),
    #[error("resident ID may hold only digits and a final X")]
    Characters,
    #[error("resident ID check digit is wrong (expected {expected}, found {found})")]
    CheckDigit { expected: char, found: char },
    #[error("resident ID holds an impossible birth date {0}")]
    BirthDate(String),
}

impl ResidentIdError {
    /// The refusal in both languages.
    pub fn text(&self) -> crate::message::Text {
        use crate::message::catalogue as msg;
        match self {
            ResidentIdError::Length(n) => msg::RESIDENT_ID_LENGTH.with(&[("count", n)]),
            ResidentIdError::Characters => msg::RESIDENT_ID_CHARACTERS.text(),
            ResidentIdError::CheckDigit { expected, found } => {
                msg::RESIDENT_ID_CHECK_DIGIT.with(&[("expected", expected), ("found", found)])
            }
            ResidentIdError::BirthDate(d) => msg::RESIDENT_ID_BIRTH_DATE.with(&[("value", d)]),
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The MOD 11-2 check character for the first 17 digits.
pub fn check_char(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl ResidentId {
    pub fn parse(text: &str) -> Result<ResidentId, ResidentIdError> {
        let t = text.trim().to_ascii_uppercase();
        let count = t.chars().count();
        if count != 18 {
            return Err(ResidentIdError::Length(count));
        }
        let bytes = t.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(ResidentIdError::Characters);
        }
        let mut first17 = [0u8; 17];
        first17.copy_from_slice(&bytes[..17]);
        let expected = check_char(&first17);
        let found = char::from(bytes[17]);
        if expected != found {
            return Err(ResidentIdError::CheckDigit { expected, found });
        }
        let birth = &t[6..14];
        let date = NaiveDate::parse_from_str(birth, "%Y%m%d")
            .map_err(|_| ResidentIdError::BirthDate(birth.to_string()))?;
        if date.format("%Y").to_string().as_str() < "1900" {
            return Err(ResidentIdError::BirthDate(birth.to_string()));
        }
        Ok(ResidentId(t))
    }

    /// Builds a valid ID from 17 digits by computing the check character (demo data, tests).
    pub fn from_first17(first17: &str) -> Result<ResidentId, ResidentIdError> {
        let bytes = first17.as_bytes();
        if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(ResidentIdError::Characters);
        }
        let mut arr = [0u8; 17];
        arr.copy_from_slice(bytes);
        ResidentId::parse(&format!("{first17}{}", check_char(&arr)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").ok()
    }

    /// Sex from the 17th digit: odd male, even female.
    pub fn is_male(&self) -> bool {
        self.0.as_bytes()[16] % 2 == 1
    }

    pub fn masked(&self) -> String {
        crate::mask::mask_resident_id(&self.0)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_known_valid_numbers() {
        // The worked example of GB 11643-1999.
        let id = ResidentId::parse("11010519491231002X").map_err(|e| e.to_string());
        assert!(id.is_ok(), "{id:?}");
        let id = ResidentId::parse("11010519491231002x").map_err(|e| e.to_string());
        assert_eq!(
            id.map(|i| i.as_str().to_string()),
            Ok("11010519491231002X".into())
        );
    }

    #[test]
    fn rejects_wrong_check_digit_length_chars_and_dates() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ResidentIdError::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            ResidentId::parse("1101051949"),
            Err(ResidentIdError::Length(10))
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y"),
            Err(ResidentIdError::Characters)
        );
        // 1990-02-30 does not exist, even with a correct check digit.
        let bad_date = ResidentId::from_first17("14058119900230123");
        assert!(matches!(bad_date, Err(ResidentIdError::BirthDate(_))));
    }

    #[test]
    fn reads_birth_date_and_sex_and_masks_debug() {
        let id = ResidentId::from_first17("14058119900101123").map_err(|e| e.to_string());
        let Ok(id) = id else { panic!("valid") };
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1990, 1, 1));
        assert!(id.is_male());
        assert!(!format!("{id:?}").contains("19900101"));
    }

    proptest! {
        #[test]
        fn every_single_digit_change_is_caught(
            y in 1930u32..2020, m in 1u32..13, d in 1u32..29, seq in 0u32..1000, pos in 0usize..17, delta in 1u8..10
        ) {
            let first17 = format!("140581{y:04}{m:02}{d:02}{seq:03}");
            let id = ResidentId::from_first17(&first17);
            prop_assert!(id.is_ok());
            let mut bytes = first17.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let id = id.map(|i| i.as_str().to_string()).unwrap_or_default();
            let tampered = format!("{}{}", String::from_utf8_lossy(&bytes), &id[17..]);
            prop_assert!(ResidentId::parse(&tampered).is_err());
        }
    }
}
