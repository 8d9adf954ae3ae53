//! The county's disclosure catalogue (公开事项目录): categories, their module and cadence, the
//! matters each covers. Read from TOML; [`Catalogue::shipped`] is the default.

use super::{DisclosureError, Module};
use serde::{Deserialize, Serialize};

/// When a category falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "cadence", rename_all = "snake_case")]
pub enum Cadence {
    Monthly { due_day: u32 },
    Quarterly { due_day: u32 },
    Immediate { within_days: u32 },
}

impl Cadence {
    pub fn key(self) -> &'static str {
        match self {
            Cadence::Monthly { .. } => "monthly",
            Cadence::Quarterly { .. } => "quarterly",
            Cadence::Immediate { .. } => "immediate",
        }
    }

    /// What a period of this cadence looks like.
    pub fn example(self) -> &'static str {
        match self {
            Cadence::Monthly { .. } => "2026-11",
            Cadence::Quarterly { .. } => "2026-Q3",
            Cadence::Immediate { .. } => "2026-11-05",
        }
    }

    pub fn label_zh(self) -> String {
        match self {
            Cadence::Monthly { due_day } => format!("每月（次月 {due_day} 日前）"),
            Cadence::Quarterly { due_day } => format!("每季度（下季度首月 {due_day} 日前）"),
            Cadence::Immediate { within_days } => format!("即时（{within_days} 日内）"),
        }
    }

    pub fn is_periodic(self) -> bool {
        !matches!(self, Cadence::Immediate { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub key: String,
    pub module: Module,
    pub name: String,
    pub name_en: String,
    #[serde(flatten)]
    pub cadence: Cadence,
    pub matters: Vec<String>,
    /// Finance disclosures need a second person's approval.
    pub needs_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    pub categories: Vec<Category>,
    /// A single finance item over this many fen is published immediately.
    pub immediate_over_fen: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    immediate_over_yuan: Option<i64>,
    #[serde(default)]
    category: Vec<Def>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Def {
    key: String,
    module: String,
    name: String,
    name_en: Option<String>,
    cadence: String,
    due_day: Option<i64>,
    within_days: Option<i64>,
    #[serde(default)]
    matters: Vec<String>,
}

/// Limits: a catalogue is a county's document, not a data dump.
pub const MAX_CATEGORIES: usize = 200;
pub const MAX_BYTES: usize = 256 * 1024;
const MAX_NAME: usize = 60;

const SHIPPED: &str = include_str!("default_catalogue.toml");

impl Catalogue {
    /// The catalogue shipped with grassroots.
    pub fn shipped() -> Catalogue {
        // The shipped file is checked by a test; an error here is a build defect.
        Catalogue::parse(SHIPPED).unwrap_or(Catalogue {
            categories: Vec::new(),
            immediate_over_fen: 5_000_000,
        })
    }

    pub fn shipped_text() -> &'static str {
        SHIPPED
    }

    pub fn parse(text: &str) -> Result<Catalogue, DisclosureError> {
        if text.len() > MAX_BYTES {
            return Err(DisclosureError::TooManyCategories {
                max: MAX_CATEGORIES,
            });
        }
        let file: File = toml::from_str(text).map_err(|e| DisclosureError::Toml {
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0),
            message: e.message().to_string(),
        })?;
        if file.category.is_empty() {
            return Err(DisclosureError::NoCategories);
        }
        if file.category.len() > MAX_CATEGORIES {
            return Err(DisclosureError::TooManyCategories {
                max: MAX_CATEGORIES,
            });
        }
        let mut categories: Vec<Category> = Vec::with_capacity(file.category.len());
        for (i, d) in file.category.into_iter().enumerate() {
            let c = category(i + 1, d)?;
            if categories.iter().any(|o| o.key == c.key) {
                return Err(DisclosureError::DuplicateKey { key: c.key });
            }
            categories.push(c);
        }
        let yuan = file.immediate_over_yuan.unwrap_or(50_000);
        if !(1..=1_000_000_000).contains(&yuan) {
            return Err(DisclosureError::OutOfRange {
                key: "-".into(),
                field: "immediate_over_yuan",
                min: 1,
                max: 1_000_000_000,
                value: yuan,
            });
        }
        Ok(Catalogue {
            categories,
            immediate_over_fen: yuan * 100,
        })
    }

    pub fn get(&self, key: &str) -> Result<&Category, DisclosureError> {
        self.categories
            .iter()
            .find(|c| c.key == key)
            .ok_or_else(|| DisclosureError::UnknownCategory(key.chars().take(40).collect()))
    }

    pub fn of_module(&self, m: Module) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(move |c| c.module == m)
    }

    /// How many matters the catalogue covers.
    pub fn matter_count(&self) -> usize {
        self.categories.iter().map(|c| c.matters.len()).sum()
    }
}

fn category(at: usize, d: Def) -> Result<Category, DisclosureError> {
    let key_ok = (1..=40).contains(&d.key.len())
        && d.key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    if !key_ok {
        return Err(DisclosureError::BadKey {
            at,
            key: d.key.chars().take(40).collect(),
        });
    }
    let key = d.key;
    let module = Module::parse(&d.module).ok_or_else(|| DisclosureError::BadModule {
        key: key.clone(),
        value: d.module.chars().take(40).collect(),
    })?;
    let name_ok = |s: &str| {
        let n = s.trim().chars().count();
        (1..=MAX_NAME).contains(&n) && crate::text::bad_in_line(s).is_none()
    };
    if !name_ok(&d.name) {
        return Err(DisclosureError::BadName {
            key,
            field: "name",
            max: MAX_NAME,
        });
    }
    let name_en = d.name_en.unwrap_or_else(|| d.name.clone());
    if !name_ok(&name_en) {
        return Err(DisclosureError::BadName {
            key,
            field: "name_en",
            max: MAX_NAME,
        });
    }
    for m in &d.matters {
        if !name_ok(m) {
            return Err(DisclosureError::BadName {
                key,
                field: "matters",
                max: MAX_NAME,
            });
        }
    }
    let range = |field: &'static str, v: Option<i64>, default: u32, min: u32, max: u32| {
        let v = v.unwrap_or(i64::from(default));
        if v < i64::from(min) || v > i64::from(max) {
            return Err(DisclosureError::OutOfRange {
                key: key.clone(),
                field,
                min,
                max,
                value: v,
            });
        }
        Ok(u32::try_from(v).unwrap_or(default))
    };
    let cadence = match d.cadence.trim() {
        "monthly" => Cadence::Monthly {
            due_day: range("due_day", d.due_day, 10, 1, 28)?,
        },
        "quarterly" => Cadence::Quarterly {
            due_day: range("due_day", d.due_day, 20, 1, 28)?,
        },
        "immediate" => Cadence::Immediate {
            within_days: range("within_days", d.within_days, 5, 1, 90)?,
        },
        other => {
            return Err(DisclosureError::BadCadence {
                key,
                value: other.chars().take(40).collect(),
            })
        }
    };
    Ok(Category {
        needs_approval: module == Module::Finance,
        key,
        module,
        name: d.name.trim().to_string(),
        name_en: name_en.trim().to_string(),
        cadence,
        matters: d.matters.iter().map(|m| m.trim().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_with_at_least_ten_categories_and_fifteen_matters() {
        let c = Catalogue::parse(SHIPPED).unwrap();
        assert!(c.categories.len() >= 10, "{}", c.categories.len());
        assert!(c.matter_count() >= 15, "{}", c.matter_count());
        for m in Module::ALL {
            assert!(c.of_module(m).count() >= 1, "{m:?}");
        }
        assert_eq!(c.immediate_over_fen, 5_000_000);
        let fin = c.get("finance.monthly").unwrap();
        assert!(fin.needs_approval);
        assert_eq!(fin.cadence, Cadence::Monthly { due_day: 10 });
        assert!(!c.get("party.fees").unwrap().needs_approval);
        assert_eq!(Catalogue::shipped(), c);
    }

    #[test]
    fn a_bad_catalogue_is_refused_naming_the_category_and_field() {
        let one = |body: &str| format!("[[category]]\nkey = \"x.y\"\nname = \"名\"\n{body}\n");
        let err = |t: &str| Catalogue::parse(t).unwrap_err();
        assert!(
            matches!(err(&one("module = \"finance\"\ncadence = \"weekly\"")),
            DisclosureError::BadCadence { value, .. } if value == "weekly")
        );
        assert!(matches!(
            err(&one("module = \"money\"\ncadence = \"monthly\"")),
            DisclosureError::BadModule { .. }
        ));
        assert!(matches!(
            err(&one(
                "module = \"party\"\ncadence = \"monthly\"\ndue_day = 31"
            )),
            DisclosureError::OutOfRange {
                field: "due_day",
                value: 31,
                ..
            }
        ));
        let twice = format!(
            "{}{}",
            one("module = \"party\"\ncadence = \"monthly\""),
            one("module = \"party\"\ncadence = \"monthly\"")
        );
        assert!(matches!(err(&twice), DisclosureError::DuplicateKey { .. }));
        assert!(matches!(err("x = "), DisclosureError::Toml { line: 1, .. }));
        assert!(matches!(err(""), DisclosureError::NoCategories));
        assert!(matches!(err("[[category]]\nkey = \"Bad Key\"\nmodule=\"party\"\nname=\"n\"\ncadence=\"monthly\""),
            DisclosureError::BadKey { at: 1, .. }));
        // Chinese module names are accepted as written by a county.
        let ok = Catalogue::parse(&one("module = \"财务\"\ncadence = \"quarterly\"")).unwrap();
        assert_eq!(ok.categories[0].module, Module::Finance);
        assert_eq!(ok.categories[0].cadence, Cadence::Quarterly { due_day: 20 });
    }
}
