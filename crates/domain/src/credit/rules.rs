//! Rule sets: the scored items (加分/减分项), the base score, the grade thresholds and the weight
//! above which an item needs a second recorder's confirmation. Written in TOML so a town can adopt,
//! read and amend them; parsed and checked by [`RuleSet::from_toml`].

pub use super::aspect::Aspect;
use super::error::{required, CreditError};
use super::grade::GradeThresholds;
use serde::{Deserialize, Serialize};

/// The default rule set shipped with grassroots (66 items in 8 aspects).
pub const DEFAULT_RULES_TOML: &str = include_str!("../../../../data/credit/default-rules.toml");

/// Items whose |points| reach this need a second confirmation, unless the rule set says otherwise.
pub const DEFAULT_CONFIRM_WEIGHT: i64 = 10;

/// One scored item: "参加义务劳动 +2, at most 10 a round".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleItem {
    pub code: String,
    pub aspect: Aspect,
    pub text: String,
    pub text_en: String,
    /// Points per occurrence: positive adds, negative removes. Never zero.
    pub points: i64,
    /// Most points the item can add (or remove) in one round. At least `|points|`.
    pub cap: Option<i64>,
}

impl RuleItem {
    pub fn is_positive(&self) -> bool {
        self.points > 0
    }
}

/// A validated rule set. Built only by [`RuleSet::from_toml`] (or [`RuleSet::default_set`]), so
/// every `RuleSet` in the program satisfies the checks listed there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    name: String,
    base_score: i64,
    confirm_weight: i64,
    grades: GradeThresholds,
    items: Vec<RuleItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    name: String,
    base_score: i64,
    confirm_weight: Option<i64>,
    grades: RawGrades,
    #[serde(default, rename = "item")]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrades {
    #[serde(rename = "AAA")]
    aaa: i64,
    #[serde(rename = "AA")]
    aa: i64,
    #[serde(rename = "A")]
    a: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: String,
    aspect: String,
    text: String,
    /// Optional: a county's file is Chinese; the English page then shows the Chinese text.
    #[serde(default)]
    text_en: String,
    points: i64,
    cap: Option<i64>,
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl RuleSet {
    /// Parses and checks a rule set. Refuses: TOML syntax errors and unknown or missing fields
    /// (with the line), an empty name, a negative base score, thresholds not strictly decreasing
    /// (`AAA > AA > A`), a non-positive `confirm_weight`, no items, an item code that is empty,
    /// not made of letters/digits/`_-.` or used twice, an aspect that is empty, longer than 20
    /// characters or not plain text (any other name is the county's own aspect), an empty text,
    /// zero points,
    /// and a cap that is not positive or is smaller than one occurrence's points.
    pub fn from_toml(text: &str) -> Result<RuleSet, CreditError> {
        let raw: RawRuleSet = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            CreditError::Toml {
                line: line.unwrap_or(0),
                message: e.message().trim().to_string(),
            }
        })?;
        let name = required(&raw.name, "rule set", "name")?;
        if raw.base_score < 0 {
            return Err(CreditError::BadBaseScore(raw.base_score));
        }
        let grades = GradeThresholds::new(raw.grades.aaa, raw.grades.aa, raw.grades.a)?;
        let confirm_weight = raw.confirm_weight.unwrap_or(DEFAULT_CONFIRM_WEIGHT);
        if confirm_weight <= 0 {
            return Err(CreditError::BadConfirmWeight(confirm_weight));
        }
        if raw.items.is_empty() {
            return Err(CreditError::NoItems);
        }
        let mut items: Vec<RuleItem> = Vec::with_capacity(raw.items.len());
        for (i, r) in raw.items.into_iter().enumerate() {
            let code = r.code.trim().to_string();
            if code.is_empty() {
                return Err(CreditError::Required {
                    context: format!("item #{}", i + 1),
                    field: "code",
                });
            }
            if !valid_code(&code) {
                return Err(CreditError::BadCode { code });
            }
            if items.iter().any(|it| it.code == code) {
                return Err(CreditError::DuplicateCode { code });
            }
            let context = format!("item '{code}'");
            let aspect = Aspect::parse(&r.aspect).ok_or_else(|| CreditError::BadAspect {
                code: code.clone(),
                aspect: r.aspect.trim().to_string(),
            })?;
            let text = required(&r.text, &context, "text")?;
            let text_en = match r.text_en.trim() {
                "" => text.clone(),
                en => en.to_string(),
            };
            if r.points == 0 {
                return Err(CreditError::ZeroPoints { code });
            }
            if let Some(cap) = r.cap {
                if cap <= 0 || cap < r.points.saturating_abs() {
                    return Err(CreditError::BadCap {
                        code,
                        cap,
                        points: r.points,
                    });
                }
            }
            items.push(RuleItem {
                code,
                aspect,
                text,
                text_en,
                points: r.points,
                cap: r.cap,
            });
        }
        Ok(RuleSet {
            name,
            base_score: raw.base_score,
            confirm_weight,
            grades,
            items,
        })
    }

    /// The shipped default rule set (`data/credit/default-rules.toml`, embedded at build time).
    pub fn default_set() -> Result<RuleSet, CreditError> {
        RuleSet::from_toml(DEFAULT_RULES_TOML)
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn base_score(&self) -> i64 {
        self.base_score
    }
    pub fn confirm_weight(&self) -> i64 {
        self.confirm_weight
    }
    pub fn grades(&self) -> &GradeThresholds {
        &self.grades
    }
    /// Items in file order (the order pages list them).
    pub fn items(&self) -> &[RuleItem] {
        &self.items
    }

    pub fn item(&self, code: &str) -> Option<&RuleItem> {
        let code = code.trim();
        self.items.iter().find(|it| it.code == code)
    }

    /// Like [`RuleSet::item`], with an error naming the code.
    pub fn require_item(&self, code: &str) -> Result<&RuleItem, CreditError> {
        self.item(code).ok_or_else(|| CreditError::UnknownItem {
            code: code.trim().to_string(),
            record_id: None,
        })
    }

    /// Items of one aspect, in file order.
    pub fn items_of<'a>(&'a self, aspect: &'a Aspect) -> impl Iterator<Item = &'a RuleItem> {
        self.items.iter().filter(move |it| &it.aspect == aspect)
    }

    /// The aspects the file uses, in the order they first appear.
    pub fn aspects(&self) -> Vec<Aspect> {
        let mut out: Vec<Aspect> = Vec::new();
        for it in &self.items {
            if !out.contains(&it.aspect) {
                out.push(it.aspect.clone());
            }
        }
        out
    }

    /// Whether records of this item count only once a second recorder confirmed them.
    pub fn needs_confirmation(&self, item: &RuleItem) -> bool {
        item.points.saturating_abs() >= self.confirm_weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const SMALL: &str = r#"
name = "测试细则"
base_score = 60
[grades]
AAA = 90
AA = 80
A = 70
[[item]]
code = "P1"
aspect = "public_welfare"
text = "参加义务劳动"
text_en = "Voluntary labour"
points = 2
cap = 10
"#;

    #[test]
    fn default_set_has_66_items_in_8_aspects_both_signs_unique_codes() {
        let Ok(rules) = RuleSet::default_set() else {
            panic!("default rule set must parse")
        };
        assert_eq!(rules.items().len(), 66);
        assert_eq!(rules.base_score(), 60);
        assert_eq!(
            (
                rules.grades().aaa(),
                rules.grades().aa(),
                rules.grades().a()
            ),
            (90, 80, 70)
        );
        assert_eq!(rules.confirm_weight(), 10);
        let aspects: HashSet<Aspect> = rules.items().iter().map(|i| i.aspect.clone()).collect();
        assert_eq!(aspects.len(), 8);
        for aspect in Aspect::known() {
            let aspect = &aspect;
            assert!(
                rules.items_of(aspect).any(|i| i.points > 0),
                "{aspect} lacks a positive item"
            );
            assert!(
                rules.items_of(aspect).any(|i| i.points < 0),
                "{aspect} lacks a negative item"
            );
        }
        let codes: HashSet<&str> = rules.items().iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes.len(), 66);
        for item in rules.items() {
            assert!(!item.text.is_empty() && !item.text_en.is_empty());
            assert!(
                item.text
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                item.code
            );
        }
        let Some(loan) = rules.item("HR01") else {
            panic!("HR01 exists")
        };
        assert_eq!((loan.points, loan.text.as_str()), (10, "银行贷款按期还款"));
        assert!(rules.needs_confirmation(loan));
    }

    #[test]
    fn parses_a_small_set_with_default_confirm_weight() {
        let Ok(rules) = RuleSet::from_toml(SMALL) else {
            panic!("small set parses")
        };
        assert_eq!(rules.name(), "测试细则");
        assert_eq!(rules.confirm_weight(), DEFAULT_CONFIRM_WEIGHT);
        let Some(item) = rules.item(" P1 ") else {
            panic!("P1 exists")
        };
        assert_eq!(
            (item.points, item.cap, item.aspect.clone()),
            (
                2,
                Some(10),
                Aspect::parse("public_welfare").unwrap_or_else(|| panic!("known"))
            )
        );
        assert!(!rules.needs_confirmation(item));
        assert!(matches!(
            rules.require_item("X"),
            Err(CreditError::UnknownItem { .. })
        ));
    }

    #[test]
    fn a_countys_own_aspects_and_chinese_only_texts_are_accepted() {
        let text = format!(
            "{SMALL}\n[[item]]\ncode = \"GY1\"\naspect = \"公益事业\"\ntext = \"参加义务劳动\"\npoints = 2\n\
             [[item]]\ncode = \"GY2\"\naspect = \"公益事业\"\ntext = \"捐资助学\"\npoints = 3\n"
        );
        let Ok(rules) = RuleSet::from_toml(&text) else {
            panic!("a county's own aspect and no text_en parse")
        };
        let Some(item) = rules.item("GY1") else {
            panic!("GY1")
        };
        assert_eq!(item.aspect.as_str(), "公益事业");
        assert_eq!(
            item.text_en, "参加义务劳动",
            "English falls back to the Chinese text"
        );
        let aspects = rules.aspects();
        assert_eq!(aspects.last().map(|a| a.as_str()), Some("公益事业"));
        assert_eq!(rules.items_of(&aspects[aspects.len() - 1]).count(), 2);
    }

    /// SMALL plus one item; `extra` is appended inside the item (e.g. a cap).
    fn with_item(code: &str, aspect: &str, text: &str, points: i64, extra: &str) -> String {
        format!(
            "{SMALL}\n[[item]]\ncode = \"{code}\"\naspect = \"{aspect}\"\ntext = \"{text}\"\n\
             text_en = \"x\"\npoints = {points}\n{extra}\n"
        )
    }

    #[test]
    fn refuses_bad_rule_sets_with_clear_errors() {
        let env = "environment";
        let cases = [
            (
                with_item("P1", env, "x", 1, ""),
                "item code 'P1' is used twice",
            ),
            (
                with_item("Z", env, "x", 0, ""),
                "item 'Z': points must not be zero",
            ),
            (
                with_item("Q", "", "x", 1, ""),
                "item 'Q': aspect '' must be a name of 1 to 20 characters",
            ),
            (
                with_item("C", "环境卫生", "x", -5, "cap = 3"),
                "item 'C': cap 3 must be a positive",
            ),
            (
                with_item("C", env, "x", 2, "cap = 0"),
                "item 'C': cap 0 must be a positive",
            ),
            (
                with_item("a b", env, "x", 1, ""),
                "item code 'a b' may contain only letters",
            ),
            (
                with_item("T", env, " ", 1, ""),
                "item 'T': 'text' is required",
            ),
            (
                SMALL.replace("AA = 80", "AA = 95"),
                "grade thresholds must strictly decrease",
            ),
            (
                SMALL.replace("= 60", "= 60\nconfirm_weight = 0"),
                "confirm_weight must be a positive",
            ),
            (
                SMALL.replace("= 60", "= -1"),
                "base_score must not be negative (got -1)",
            ),
            (
                SMALL.replace("测试细则", ""),
                "rule set: 'name' is required",
            ),
            (
                SMALL
                    .split("[[item]]")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                "rule set has no items",
            ),
        ];
        for (text, expected) in cases {
            let Err(e) = RuleSet::from_toml(&text) else {
                panic!("must refuse: {expected}")
            };
            assert!(e.to_string().starts_with(expected), "{e} / {expected}");
        }
        let bad = with_item("C", env, "x", -5, "cap = 3");
        assert_eq!(
            RuleSet::from_toml(&bad),
            Err(CreditError::BadCap {
                code: "C".into(),
                cap: 3,
                points: -5
            })
        );
    }

    #[test]
    fn toml_errors_name_the_line_and_field() {
        let typo = SMALL.replace("points = 2", "point = 2");
        let Err(CreditError::Toml { line, message }) = RuleSet::from_toml(&typo) else {
            panic!("a misspelt field is refused")
        };
        assert!(line > 0, "line {line}");
        assert!(message.contains("point"), "{message}");
        let Err(CreditError::Toml { line, .. }) =
            RuleSet::from_toml("name = \"x\"\nbase_score = = 3")
        else {
            panic!("bad syntax is refused")
        };
        assert_eq!(line, 2);
    }
}
