//! Households and their members: what a valid record is. Field errors name the field so a form
//! can show them next to the input and an import can report file:row:column.

use crate::dates::parse_date;
use crate::message::catalogue as msg;
use crate::resident_id::ResidentId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kept here for code written before the catalogue: the type lives in [`crate::message`].
pub use crate::message::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_lowercase().as_str() {
            "男" | "m" | "male" => Some(Sex::Male),
            "女" | "f" | "female" => Some(Sex::Female),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// Household tags the programs rely on. Codes are stored; labels are shown.
pub const TAGS: [(&str, &str, &str); 7] = [
    ("party_member", "党员户", "Party-member household"),
    ("low_income", "低保户", "Low-income household"),
    ("five_guarantee", "五保户", "Five-guarantee household"),
    ("military", "军属户", "Military family"),
    ("monitored", "防返贫监测户", "Poverty-return monitored"),
    ("disabled", "残疾人户", "Household with disabled member"),
    ("elderly_alone", "独居老人户", "Elderly living alone"),
];

/// Accepts a tag code or its Chinese or English label.
pub fn parse_tag(s: &str) -> Option<&'static str> {
    let t = s.trim();
    TAGS.iter()
        .find(|(code, zh, en)| *code == t || *zh == t || en.eq_ignore_ascii_case(t))
        .map(|(code, _, _)| *code)
}

/// Parses `党员户;低保户` or `party_member, low_income` into tag codes.
pub fn parse_tags(s: &str) -> Result<Vec<&'static str>, FieldError> {
    let mut tags = Vec::new();
    for part in s
        .split([',', ';', '，', '；', '、', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match parse_tag(part) {
            Some(code) if !tags.contains(&code) => tags.push(code),
            Some(_) => {}
            None => {
                let known: Vec<&str> = TAGS.iter().map(|t| t.1).collect();
                let known = known.join(", ");
                return Err(FieldError::new(
                    "tags",
                    msg::TAG_UNKNOWN.with(&[("value", &part), ("known", &known)]),
                ));
            }
        }
    }
    Ok(tags)
}

/// Checks a phone number: an 11-digit mobile starting with 1, or a landline of digits and dashes.
pub fn validate_phone(s: &str) -> Result<String, FieldError> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let ok_chars = t.chars().all(|c| c.is_ascii_digit() || c == '-');
    let mobile = digits.len() == 11 && digits.starts_with('1') && digits == t;
    let landline = ok_chars && (7..=12).contains(&digits.len()) && !mobile && t.contains('-');
    if mobile || landline {
        Ok(t)
    } else {
        Err(FieldError::new(
            "phone",
            msg::PHONE_INVALID.with(&[("value", &s)]),
        ))
    }
}

/// A member as typed in a form or an import row, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MemberDraft {
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub birth_date: String,
    pub resident_id: String,
    pub phone: String,
}

/// A validated member.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub relation: String,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub resident_id: Option<ResidentId>,
    pub phone: Option<String>,
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

impl MemberDraft {
    /// Validates every field and reports all problems at once. Birth date and sex, when given,
    /// must agree with the resident ID; when omitted they are taken from it.
    pub fn validate(&self) -> Result<Member, Vec<FieldError>> {
        let mut errors = Vec::new();
        crate::text::check_lines(
            &mut errors,
            &[
                ("name", &self.name),
                ("relation", &self.relation),
                ("sex", &self.sex),
                ("birth_date", &self.birth_date),
                ("resident_id", &self.resident_id),
                ("phone", &self.phone),
            ],
        );
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new("name", msg::REQUIRED.field("name", &[])));
        }
        cap(&mut errors, "name", &name, MAX_NAME_CHARS);
        let relation = opt(&self.relation).unwrap_or("户主").to_string();
        cap(&mut errors, "relation", &relation, MAX_RELATION_CHARS);
        let mut sex = match opt(&self.sex) {
            None => None,
            Some(s) => match Sex::parse(s) {
                Some(x) => Some(x),
                None => {
                    errors.push(FieldError::new(
                        "sex",
                        msg::SEX_INVALID.with(&[("value", &s)]),
                    ));
                    None
                }
            },
        };
        let mut birth_date = match opt(&self.birth_date) {
            None => None,
            Some(s) => match parse_date(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(FieldError::new("birth_date", e.text()));
                    None
                }
            },
        };
        let resident_id = match opt(&self.resident_id) {
            None => None,
            Some(s) => match ResidentId::parse(s) {
                Ok(id) => Some(id),
                Err(e) => {
                    errors.push(FieldError::new("resident_id", e.text()));
                    None
                }
            },
        };
        if let Some(id) = &resident_id {
            let id_birth = id.birth_date();
            match birth_date {
                Some(d) if Some(d) != id_birth => {
                    errors.push(FieldError::new("birth_date", msg::BIRTH_DATE_NOT_ID))
                }
                None => birth_date = id_birth,
                _ => {}
            }
            let id_sex = if id.is_male() { Sex::Male } else { Sex::Female };
            match sex {
                Some(s) if s != id_sex => errors.push(FieldError::new("sex", msg::SEX_NOT_ID)),
                None => sex = Some(id_sex),
                _ => {}
            }
        }
        if let Some(d) = birth_date {
            if d > chrono::Local::now().date_naive() {
                errors.push(FieldError::new("birth_date", msg::BIRTH_DATE_FUTURE));
            }
        }
        let phone = match opt(&self.phone) {
            None => None,
            Some(p) => match validate_phone(p) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(Member {
                name,
                relation,
                sex,
                birth_date,
                resident_id,
                phone,
            })
        } else {
            Err(errors)
        }
    }
}

/// Longest person name (names of minorities in Chinese characters run to ~20).
pub const MAX_NAME_CHARS: usize = 40;
pub const MAX_RELATION_CHARS: usize = 20;
pub const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_HOUSEHOLD_NO_CHARS: usize = 32;
pub const MAX_NOTES_CHARS: usize = 2000;

/// Every text field has a ceiling: a 1 MB "address" is a mistake or an attack, never an address.
fn cap(errors: &mut Vec<FieldError>, field: &'static str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            msg::TOO_LONG.field(field, &[("max", &max)]),
        ));
    }
}

/// The household's own fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HouseholdDraft {
    pub household_no: String,
    pub address: String,
    pub head_name: String,
    pub tags: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdFields {
    pub household_no: String,
    pub address: String,
    pub head_name: String,
    pub tags: Vec<&'static str>,
    pub notes: String,
}

impl HouseholdDraft {
    pub fn validate(&self) -> Result<HouseholdFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        crate::text::check_lines(
            &mut errors,
            &[
                ("household_no", &self.household_no),
                ("head_name", &self.head_name),
                ("tags", &self.tags),
            ],
        );
        crate::text::check_free_texts(
            &mut errors,
            &[("address", &self.address), ("notes", &self.notes)],
        );
        let household_no = self.household_no.trim().to_string();
        if household_no.is_empty() {
            errors.push(FieldError::new(
                "household_no",
                msg::REQUIRED.field("household_no", &[]),
            ));
        }
        cap(
            &mut errors,
            "household_no",
            &household_no,
            MAX_HOUSEHOLD_NO_CHARS,
        );
        let head_name = self.head_name.trim().to_string();
        if head_name.is_empty() {
            errors.push(FieldError::new(
                "head_name",
                msg::REQUIRED.field("head_name", &[]),
            ));
        }
        cap(&mut errors, "head_name", &head_name, MAX_NAME_CHARS);
        cap(
            &mut errors,
            "address",
            self.address.trim(),
            MAX_ADDRESS_CHARS,
        );
        cap(&mut errors, "tags", &self.tags, MAX_ADDRESS_CHARS);
        let tags = match parse_tags(&self.tags) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
        cap(&mut errors, "notes", &self.notes, MAX_NOTES_CHARS);
        if errors.is_empty() {
            Ok(HouseholdFields {
                household_no,
                address: self.address.trim().to_string(),
                head_name,
                tags,
                notes: self.notes.trim().to_string(),
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(id: &str, birth: &str, sex: &str) -> MemberDraft {
        MemberDraft {
            name: "张三".into(),
            relation: "户主".into(),
            sex: sex.into(),
            birth_date: birth.into(),
            resident_id: id.into(),
            phone: "13812345678".into(),
        }
    }

    #[test]
    fn member_takes_birth_and_sex_from_id() {
        let id = ResidentId::from_first17("14058119900101123").map(|i| i.as_str().to_string());
        let m = draft(&id.unwrap_or_default(), "", "").validate();
        let Ok(m) = m else { panic!("valid: {m:?}") };
        assert_eq!(m.birth_date, NaiveDate::from_ymd_opt(1990, 1, 1));
        assert_eq!(m.sex, Some(Sex::Male));
    }

    #[test]
    fn member_reports_every_bad_field() {
        let id = ResidentId::from_first17("14058119900101123").map(|i| i.as_str().to_string());
        let errs = draft(&id.unwrap_or_default(), "1991-01-01", "女").validate();
        let fields = crate::refused_fields(errs);
        assert_eq!(fields, vec!["birth_date", "sex"]);
        let errs = MemberDraft {
            phone: "12345".into(),
            resident_id: "140581199001011230".into(),
            ..Default::default()
        }
        .validate();
        let fields = crate::refused_fields(errs);
        assert_eq!(fields, vec!["name", "resident_id", "phone"]);
    }

    #[test]
    fn tags_accept_codes_and_labels_and_reject_unknown() {
        assert_eq!(
            parse_tags("党员户；low_income, 党员户"),
            Ok(vec!["party_member", "low_income"])
        );
        assert!(parse_tags("VIP").is_err());
        assert_eq!(parse_tags(""), Ok(vec![]));
    }

    #[test]
    fn control_characters_are_refused_but_notes_keep_line_breaks() {
        let h = HouseholdDraft {
            household_no: "001\u{0}".into(),
            head_name: "张\u{1b}三".into(),
            address: "一组\n二号".into(),
            notes: "第一行\r\n第二行".into(),
            ..Default::default()
        };
        let fields = crate::refused_fields(h.validate());
        assert_eq!(fields, vec!["household_no", "head_name"]);
        let m = MemberDraft {
            name: "李\u{7}四".into(),
            ..Default::default()
        }
        .validate();
        assert!(m
            .err()
            .unwrap_or_default()
            .iter()
            .any(|e| e.field == "name"));
    }

    #[test]
    fn phones() {
        assert!(validate_phone("138 1234 5678").is_ok());
        assert!(validate_phone("0356-5221234").is_ok());
        assert!(validate_phone("23812345678").is_err());
        assert!(validate_phone("abc").is_err());
    }

    #[test]
    fn every_text_field_has_a_ceiling() {
        let long = "村".repeat(1_000_000);
        let h = HouseholdDraft {
            household_no: "1".into(),
            head_name: long.clone(),
            address: long.clone(),
            tags: "党员户,".repeat(100),
            notes: long.clone(),
        };
        let errs = h.validate().err().unwrap_or_default();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["head_name", "address", "tags", "notes"]);
        let m = MemberDraft {
            name: "张三".into(),
            relation: long,
            ..Default::default()
        };
        let errs = m.validate().err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "relation");
    }
}
