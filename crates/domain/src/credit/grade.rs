//! Credit grades (AAA, AA, A; below A is B) and the score thresholds that decide them.

use super::error::CreditError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A household's credit grade. Ordered `B < A < AA < AAA`. Households at A or above are
/// "credit households" (信用户) that banks lend to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    B,
    A,
    AA,
    AAA,
}

impl Grade {
    /// Best first, as pages list them.
    pub const ALL: [Grade; 4] = [Grade::AAA, Grade::AA, Grade::A, Grade::B];

    /// The stored code: `AAA`, `AA`, `A`, `B`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::AAA => "AAA",
            Grade::AA => "AA",
            Grade::A => "A",
            Grade::B => "B",
        }
    }

    /// Accepts `AAA`/`aaa`/`3A`/`AAA级`, `AA`/`2A`, `A`/`1A`, `B`.
    pub fn parse(s: &str) -> Option<Grade> {
        let t = s.trim();
        let t = t
            .strip_suffix('级')
            .unwrap_or(t)
            .trim()
            .to_ascii_uppercase();
        match t.as_str() {
            "AAA" | "3A" => Some(Grade::AAA),
            "AA" | "2A" => Some(Grade::AA),
            "A" | "1A" => Some(Grade::A),
            "B" => Some(Grade::B),
            _ => None,
        }
    }

    /// Like [`Grade::parse`], with an error naming the text.
    pub fn parse_strict(s: &str) -> Result<Grade, CreditError> {
        Grade::parse(s).ok_or_else(|| CreditError::BadGrade(s.trim().to_string()))
    }

    /// A, AA or AAA: a credit household.
    pub fn is_credit_household(self) -> bool {
        self >= Grade::A
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::AAA => "AAA级信用户",
            Grade::AA => "AA级信用户",
            Grade::A => "A级信用户",
            Grade::B => "未达信用户标准",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Grade::AAA => "AAA credit household",
            Grade::AA => "AA credit household",
            Grade::A => "A credit household",
            Grade::B => "Below credit-household standard",
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lowest score for each grade. Always strictly decreasing `AAA > AA > A` (checked by
/// [`GradeThresholds::new`]); a score below `A` is grade B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GradeThresholds {
    #[serde(rename = "AAA")]
    aaa: i64,
    #[serde(rename = "AA")]
    aa: i64,
    #[serde(rename = "A")]
    a: i64,
}

impl GradeThresholds {
    pub fn new(aaa: i64, aa: i64, a: i64) -> Result<GradeThresholds, CreditError> {
        if aaa > aa && aa > a {
            Ok(GradeThresholds { aaa, aa, a })
        } else {
            Err(CreditError::BadThresholds { aaa, aa, a })
        }
    }

    pub fn aaa(&self) -> i64 {
        self.aaa
    }
    pub fn aa(&self) -> i64 {
        self.aa
    }
    pub fn a(&self) -> i64 {
        self.a
    }

    /// Lowest score giving `grade`; `None` for B (any score below A).
    pub fn min_score(&self, grade: Grade) -> Option<i64> {
        match grade {
            Grade::AAA => Some(self.aaa),
            Grade::AA => Some(self.aa),
            Grade::A => Some(self.a),
            Grade::B => None,
        }
    }
}

/// The grade a score earns: `score == AAA threshold` is AAA, one less is AA, and so on.
pub fn grade_for(score: i64, thresholds: &GradeThresholds) -> Grade {
    if score >= thresholds.aaa {
        Grade::AAA
    } else if score >= thresholds.aa {
        Grade::AA
    } else if score >= thresholds.a {
        Grade::A
    } else {
        Grade::B
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_thresholds() -> GradeThresholds {
        let Ok(t) = GradeThresholds::new(90, 80, 70) else {
            panic!("90/80/70 is valid")
        };
        t
    }

    #[test]
    fn boundaries_belong_to_the_higher_grade() {
        let t = default_thresholds();
        assert_eq!(grade_for(100, &t), Grade::AAA);
        assert_eq!(grade_for(90, &t), Grade::AAA);
        assert_eq!(grade_for(89, &t), Grade::AA);
        assert_eq!(grade_for(80, &t), Grade::AA);
        assert_eq!(grade_for(79, &t), Grade::A);
        assert_eq!(grade_for(70, &t), Grade::A);
        assert_eq!(grade_for(69, &t), Grade::B);
        assert_eq!(grade_for(-40, &t), Grade::B);
    }

    #[test]
    fn thresholds_must_strictly_decrease() {
        assert!(GradeThresholds::new(90, 80, 70).is_ok());
        assert_eq!(
            GradeThresholds::new(90, 90, 70),
            Err(CreditError::BadThresholds {
                aaa: 90,
                aa: 90,
                a: 70
            })
        );
        assert!(GradeThresholds::new(70, 80, 90).is_err());
        assert!(GradeThresholds::new(90, 60, 70).is_err());
    }

    #[test]
    fn grades_order_parse_and_print() {
        assert!(Grade::AAA > Grade::AA && Grade::AA > Grade::A && Grade::A > Grade::B);
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.as_str()), Some(g));
            assert_eq!(g.to_string(), g.as_str());
        }
        assert_eq!(Grade::parse(" 3a "), Some(Grade::AAA));
        assert_eq!(Grade::parse("AA级"), Some(Grade::AA));
        assert_eq!(Grade::parse("C"), None);
        assert_eq!(
            Grade::parse_strict("AAAA"),
            Err(CreditError::BadGrade("AAAA".into()))
        );
        assert!(Grade::A.is_credit_household() && !Grade::B.is_credit_household());
        assert_eq!(default_thresholds().min_score(Grade::AA), Some(80));
        assert_eq!(default_thresholds().min_score(Grade::B), None);
    }
}
