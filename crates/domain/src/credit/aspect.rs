//! The aspects a household is assessed on (八个方面). A county writes its own in its rule file
//! ("公益事业", "孝老爱亲" …); the eight shipped keys and their Chinese names are known aliases,
//! so files written either way keep working and compare equal.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An aspect of the assessment: one of the eight known keys, or a rule file's own name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Aspect(String);

/// The eight shipped aspects: (key, 中文, English).
const KNOWN: [(&str, &str, &str); 8] = [
    (
        "support_village_work",
        "支持村务",
        "Supporting village work",
    ),
    ("public_welfare", "热心公益", "Public welfare"),
    ("customs_civility", "移风易俗", "Civil customs"),
    ("law_abiding", "遵纪守法", "Abiding by the law"),
    ("family_virtue", "家庭美德", "Family virtue"),
    ("environment", "环境卫生", "Environment and hygiene"),
    ("honesty_repayment", "诚信守约", "Honesty and repayment"),
    ("industry_diligence", "勤劳致富", "Diligence and enterprise"),
];

/// The longest aspect name a rule file may use (characters).
pub const MAX_ASPECT_CHARS: usize = 20;

impl Aspect {
    /// The eight shipped aspects, in order.
    pub fn known() -> impl Iterator<Item = Aspect> {
        KNOWN.iter().map(|(k, _, _)| Aspect((*k).to_string()))
    }

    /// The key used in storage: a known key, or the file's own name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn known_entry(&self) -> Option<&'static (&'static str, &'static str, &'static str)> {
        KNOWN.iter().find(|(k, _, _)| *k == self.0)
    }

    pub fn label_zh(&self) -> &str {
        self.known_entry().map(|e| e.1).unwrap_or(&self.0)
    }

    /// A county's own aspect has no English name: it is shown as written.
    pub fn label_en(&self) -> &str {
        self.known_entry().map(|e| e.2).unwrap_or(&self.0)
    }

    /// A known key or Chinese name (`移风易俗` and `乡风文明` both mean customs) becomes the
    /// known aspect; any other plain name of 1–20 characters is the file's own aspect. `None`:
    /// empty, too long, or holding control characters.
    pub fn parse(s: &str) -> Option<Aspect> {
        let t = s.trim();
        if t == "乡风文明" {
            return Some(Aspect("customs_civility".into()));
        }
        if let Some((k, _, _)) = KNOWN.iter().find(|(k, zh, _)| *k == t || *zh == t) {
            return Some(Aspect((*k).to_string()));
        }
        let chars = t.chars().count();
        let plain = crate::text::bad_in_line(t).is_none();
        (plain && (1..=MAX_ASPECT_CHARS).contains(&chars)).then(|| Aspect(t.to_string()))
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_aspects_round_trip_and_own_names_are_kept() {
        for a in Aspect::known() {
            assert_eq!(Aspect::parse(a.as_str()), Some(a.clone()));
            assert_eq!(Aspect::parse(a.label_zh()), Some(a.clone()));
        }
        assert_eq!(
            Aspect::parse("乡风文明").map(|a| a.as_str().to_string()),
            Some("customs_civility".into())
        );
        let own = Aspect::parse(" 公益事业 ");
        assert_eq!(own.as_ref().map(|a| a.as_str()), Some("公益事业"));
        assert_eq!(own.as_ref().map(|a| a.label_en()), Some("公益事业"));
        assert_eq!(Aspect::parse(""), None);
        assert_eq!(Aspect::parse("a\u{7}b"), None);
        assert_eq!(Aspect::parse(&"长".repeat(21)), None);
    }
}
