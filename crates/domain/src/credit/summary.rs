//! Dashboard summary of a unit's credit results, and the publicity listing posted in the village.

use super::fairness::HouseholdRef;
use super::grade::Grade;
use crate::mask::mask_name;
use crate::money::percent_1dp;
use serde::Serialize;

/// One household's final outcome, as the summary needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdOutcome {
    pub household: HouseholdRef,
    /// Final grade (after corrections); `None` when the household has no final result yet.
    pub grade: Option<Grade>,
    /// Credit line granted by a bank, in fen; 0 when none.
    pub credit_line_fen: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GradeCounts {
    #[serde(rename = "AAA")]
    pub aaa: u64,
    #[serde(rename = "AA")]
    pub aa: u64,
    #[serde(rename = "A")]
    pub a: u64,
    #[serde(rename = "B")]
    pub b: u64,
}

impl GradeCounts {
    pub fn get(&self, grade: Grade) -> u64 {
        match grade {
            Grade::AAA => self.aaa,
            Grade::AA => self.aa,
            Grade::A => self.a,
            Grade::B => self.b,
        }
    }
    fn bump(&mut self, grade: Grade) {
        let slot = match grade {
            Grade::AAA => &mut self.aaa,
            Grade::AA => &mut self.aa,
            Grade::A => &mut self.a,
            Grade::B => &mut self.b,
        };
        *slot += 1;
    }
    /// AAA + AA + A: the credit households.
    pub fn a_or_above(&self) -> u64 {
        self.aaa + self.aa + self.a
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CreditLines {
    /// Households with a credit line above zero.
    pub households: u64,
    pub amount_fen: i64,
}

/// `{"unit", "households", "rated", "by_grade": {"AAA", "AA", "A", "B"},
/// "credit_lines": {"households", "amount_fen"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditSummary {
    /// Unit code (village, township...).
    pub unit: String,
    /// Households in the unit.
    pub households: u64,
    /// Households with a final grade (any grade, B included); `by_grade` sums to this.
    pub rated: u64,
    pub by_grade: GradeCounts,
    pub credit_lines: CreditLines,
}

impl CreditSummary {
    /// Households at A or above.
    pub fn a_or_above(&self) -> u64 {
        self.by_grade.a_or_above()
    }
    /// A-or-above households as a percentage of all households, one decimal.
    pub fn a_or_above_pct(&self) -> f64 {
        percent_1dp(
            i64::try_from(self.a_or_above()).unwrap_or(i64::MAX),
            i64::try_from(self.households).unwrap_or(i64::MAX),
        )
    }
}

/// Aggregates per-household outcomes of one unit. Credit lines at or below zero are not counted.
pub fn summarize(unit: &str, outcomes: &[HouseholdOutcome]) -> CreditSummary {
    let mut by_grade = GradeCounts::default();
    let mut credit_lines = CreditLines::default();
    for o in outcomes {
        if let Some(g) = o.grade {
            by_grade.bump(g);
        }
        if o.credit_line_fen > 0 {
            credit_lines.households += 1;
            credit_lines.amount_fen = credit_lines.amount_fen.saturating_add(o.credit_line_fen);
        }
    }
    CreditSummary {
        unit: unit.trim().to_string(),
        households: outcomes.len() as u64,
        rated: by_grade.a_or_above() + by_grade.b,
        by_grade,
        credit_lines,
    }
}

/// One line of the list posted in the village: no full names, no ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicityEntry {
    /// The village's household number (户号), so villagers can tell two 张*明 apart.
    pub household_no: String,
    /// Head of household's name masked: `张三明` → `张*明`.
    pub masked_name: String,
    pub score: i64,
    pub grade: Grade,
}

/// A publicity line for one household.
pub fn publicity_entry(
    household_no: &str,
    head_name: &str,
    score: i64,
    grade: Grade,
) -> PublicityEntry {
    PublicityEntry {
        household_no: household_no.trim().to_string(),
        masked_name: mask_name(head_name),
        score,
        grade,
    }
}

/// The publicity list from `(household_no, head_name, score, grade)` rows, ordered by household
/// number (as posted on the village board, so nobody is ranked publicly).
pub fn publicity_list<'a, I>(rows: I) -> Vec<PublicityEntry>
where
    I: IntoIterator<Item = (&'a str, &'a str, i64, Grade)>,
{
    let mut list: Vec<PublicityEntry> = rows
        .into_iter()
        .map(|(no, name, score, grade)| publicity_entry(no, name, score, grade))
        .collect();
    list.sort_by(|x, y| {
        (x.household_no.len(), x.household_no.as_str())
            .cmp(&(y.household_no.len(), y.household_no.as_str()))
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: i64, grade: Option<Grade>, line: i64) -> HouseholdOutcome {
        HouseholdOutcome {
            household: HouseholdRef(id),
            grade,
            credit_line_fen: line,
        }
    }

    #[test]
    fn summary_counts_grades_and_credit_lines() {
        let outcomes = [
            outcome(1, Some(Grade::AAA), 30_000_000),
            outcome(2, Some(Grade::AA), 20_000_000),
            outcome(3, Some(Grade::A), 0),
            outcome(4, Some(Grade::B), 0),
            outcome(5, None, 0),
            outcome(6, Some(Grade::A), 5_000_000),
            outcome(7, Some(Grade::B), -1),
        ];
        let s = summarize(" 140581100201 ", &outcomes);
        assert_eq!((s.households, s.rated, s.a_or_above()), (7, 6, 4));
        assert_eq!(
            s.by_grade,
            GradeCounts {
                aaa: 1,
                aa: 1,
                a: 2,
                b: 2
            }
        );
        assert_eq!(s.by_grade.get(Grade::A), 2);
        assert_eq!(
            s.credit_lines,
            CreditLines {
                households: 3,
                amount_fen: 55_000_000
            }
        );
        assert_eq!(s.a_or_above_pct(), 57.1);
    }

    #[test]
    fn summary_serializes_in_the_agreed_shape() {
        let s = summarize("v1", &[outcome(1, Some(Grade::AA), 100)]);
        let Ok(text) = toml::to_string(&s) else {
            panic!("serializes")
        };
        for key in [
            "unit",
            "households",
            "rated",
            "by_grade",
            "AAA",
            "AA",
            "credit_lines",
            "amount_fen",
        ] {
            assert!(text.contains(key), "{key} missing in {text}");
        }
        let empty = summarize("v2", &[]);
        assert_eq!(
            (empty.households, empty.rated, empty.a_or_above_pct()),
            (0, 0, 0.0)
        );
    }

    #[test]
    fn publicity_masks_names_and_orders_by_household_number() {
        let list = publicity_list([
            ("10", "欧阳小明", 82, Grade::AA),
            ("2", "张三明", 71, Grade::A),
            ("1", "李四", 60, Grade::B),
        ]);
        let shown: Vec<(&str, &str, Grade)> = list
            .iter()
            .map(|e| (e.household_no.as_str(), e.masked_name.as_str(), e.grade))
            .collect();
        assert_eq!(
            shown,
            [
                ("1", "李*", Grade::B),
                ("2", "张*明", Grade::A),
                ("10", "欧**明", Grade::AA)
            ]
        );
        assert_eq!(
            publicity_entry(" 3 ", "王五", 91, Grade::AAA).masked_name,
            "王*"
        );
    }
}
