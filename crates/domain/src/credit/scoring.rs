//! Scoring one household for one round: base score, plus each item's points times the counted
//! records, limited by the item's cap, plus adjustments from upheld objections. The breakdown
//! keeps every record with its status so the household page can explain each point.

use super::aspect::Aspect;
use super::grade::{grade_for, Grade};
pub use super::record::{record_status, RecordStatus, ScoreRecord};
use super::rules::RuleSet;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A record as the breakdown shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRecord {
    pub id: i64,
    pub occurred_on: NaiveDate,
    pub recorder: String,
    pub evidence: String,
    pub status: RecordStatus,
}

/// One item's contribution: `points_each × count = raw`, limited to `applied` by the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreLine {
    pub item_code: String,
    pub aspect: Aspect,
    pub text: String,
    pub text_en: String,
    pub points_each: i64,
    pub cap: Option<i64>,
    /// Records that count.
    pub count: i64,
    /// Records waiting for confirmation (not counted).
    pub pending: i64,
    /// Voided records (not counted).
    pub voided: i64,
    pub raw: i64,
    pub applied: i64,
    /// `applied != raw`: the cap cut this line.
    pub capped: bool,
    /// Every record of the item, counted or not, oldest first.
    pub records: Vec<LineRecord>,
}

/// A change to the score outside the items: an upheld objection's correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub delta: i64,
    pub reason: String,
}

/// A household's score for one round, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreBreakdown {
    pub base: i64,
    /// One line per item with at least one record, in rule-set order.
    pub lines: Vec<ScoreLine>,
    pub adjustments: Vec<Adjustment>,
    /// Records whose item code the rule set does not know: shown, never counted. Imports refuse
    /// them beforehand ([`validate_records`]); they can only appear if a rule set was swapped.
    pub unknown: Vec<ScoreRecord>,
    /// `base + Σ applied + Σ adjustments`. Not clamped: very bad records can go below zero.
    pub total: i64,
    pub grade: Grade,
}

impl ScoreBreakdown {
    /// Records waiting for a second confirmation.
    pub fn pending_count(&self) -> i64 {
        self.lines.iter().map(|l| l.pending).sum()
    }

    /// Applied points per aspect of the rule set, in the file's order (zero when nothing was
    /// recorded).
    pub fn by_aspect(&self, rules: &RuleSet) -> Vec<(Aspect, i64)> {
        rules
            .aspects()
            .into_iter()
            .map(|a| {
                let sum = self
                    .lines
                    .iter()
                    .filter(|l| l.aspect == a)
                    .map(|l| l.applied)
                    .sum();
                (a, sum)
            })
            .collect()
    }

    /// Applied points of positive items only (what the credit supermarket rewards).
    pub fn positive_applied(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| l.points_each > 0)
            .map(|l| l.applied)
            .sum()
    }
}

/// Scores one household's records for one round with no adjustments. See [`score_with`].
pub fn score(rules: &RuleSet, records: &[ScoreRecord]) -> ScoreBreakdown {
    score_with(rules, records, &[])
}

/// Scores one household's records for one round. Voided records and unconfirmed records of heavy
/// items do not count but appear in their line; each item's sum is limited to `±cap`; the grade
/// follows the rule set's thresholds.
pub fn score_with(
    rules: &RuleSet,
    records: &[ScoreRecord],
    adjustments: &[Adjustment],
) -> ScoreBreakdown {
    let items = rules.items();
    let mut grouped: Vec<Vec<&ScoreRecord>> = vec![Vec::new(); items.len()];
    let mut unknown = Vec::new();
    for record in records {
        let code = record.item_code.trim();
        match items.iter().position(|it| it.code == code) {
            Some(i) => grouped[i].push(record),
            None => unknown.push(record.clone()),
        }
    }
    let mut lines = Vec::new();
    for (item, mut recs) in items.iter().zip(grouped) {
        if recs.is_empty() {
            continue;
        }
        recs.sort_by_key(|r| (r.occurred_on, r.id));
        let (mut count, mut pending, mut voided) = (0i64, 0i64, 0i64);
        let mut line_records = Vec::with_capacity(recs.len());
        for r in recs {
            let status = record_status(rules, item, r);
            match status {
                RecordStatus::Counted => count += 1,
                RecordStatus::Pending => pending += 1,
                RecordStatus::Voided => voided += 1,
            }
            line_records.push(LineRecord {
                id: r.id,
                occurred_on: r.occurred_on,
                recorder: r.recorder.clone(),
                evidence: r.evidence.clone(),
                status,
            });
        }
        let raw = item.points.saturating_mul(count);
        let applied = match item.cap {
            Some(cap) => raw.clamp(-cap, cap),
            None => raw,
        };
        lines.push(ScoreLine {
            item_code: item.code.clone(),
            aspect: item.aspect.clone(),
            text: item.text.clone(),
            text_en: item.text_en.clone(),
            points_each: item.points,
            cap: item.cap,
            count,
            pending,
            voided,
            raw,
            applied,
            capped: applied != raw,
            records: line_records,
        });
    }
    let base = rules.base_score();
    let total = lines
        .iter()
        .map(|l| l.applied)
        .chain(adjustments.iter().map(|a| a.delta))
        .fold(base, i64::saturating_add);
    ScoreBreakdown {
        base,
        lines,
        adjustments: adjustments.to_vec(),
        unknown,
        total,
        grade: grade_for(total, rules.grades()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::fixtures::{rec, rules};

    fn recs(code: &str, n: i64) -> Vec<ScoreRecord> {
        (1..=n).map(|i| rec(i, code)).collect()
    }

    fn line<'b>(b: &'b ScoreBreakdown, code: &str) -> &'b ScoreLine {
        let Some(l) = b.lines.iter().find(|l| l.item_code == code) else {
            panic!("no line {code}")
        };
        l
    }

    #[test]
    fn no_records_means_base_score_and_grade_b() {
        let b = score(&rules(), &[]);
        assert_eq!((b.base, b.total, b.grade), (60, 60, Grade::B));
        assert!(b.lines.is_empty());
        assert_eq!(b.by_aspect(&rules()).len(), 8);
    }

    #[test]
    fn positive_and_negative_items_add_up() {
        // SV01 +2, EN01 +5, HR02 +2, EN05 -5
        let records = vec![
            rec(1, "SV01"),
            rec(2, "EN01"),
            rec(3, "HR02"),
            rec(4, "EN05"),
        ];
        let b = score(&rules(), &records);
        assert_eq!(b.total, 60 + 2 + 5 + 2 - 5);
        assert_eq!(b.grade, Grade::B);
        assert_eq!(line(&b, "EN05").applied, -5);
        assert_eq!(b.positive_applied(), 9);
        let environment = Aspect::parse("environment");
        let env = b
            .by_aspect(&rules())
            .into_iter()
            .find(|(a, _)| Some(a) == environment.as_ref())
            .map(|(_, n)| n);
        assert_eq!(env, Some(0));
        // lines follow rule-set order, not input order
        let codes: Vec<&str> = b.lines.iter().map(|l| l.item_code.as_str()).collect();
        assert_eq!(codes, ["SV01", "EN01", "EN05", "HR02"]);
    }

    #[test]
    fn caps_limit_each_items_sum_per_round() {
        let r = rules();
        // PW01 +2 cap 10: five records reach the cap exactly, six go beyond it
        let at = score(&r, &recs("PW01", 5));
        assert_eq!(
            (
                line(&at, "PW01").raw,
                line(&at, "PW01").applied,
                line(&at, "PW01").capped
            ),
            (10, 10, false)
        );
        let beyond = score(&r, &recs("PW01", 6));
        let l = line(&beyond, "PW01");
        assert_eq!((l.count, l.raw, l.applied, l.capped), (6, 12, 10, true));
        assert_eq!(beyond.total, 70);
        // EN05 -5 cap 15: the cap limits removals too
        let neg = score(&r, &recs("EN05", 4));
        let l = line(&neg, "EN05");
        assert_eq!((l.raw, l.applied, l.capped), (-20, -15, true));
        assert_eq!(neg.total, 45);
        // no cap: SV01 counts every time
        assert_eq!(line(&score(&r, &recs("SV01", 7)), "SV01").applied, 14);
    }

    #[test]
    fn heavy_items_pend_until_confirmed_and_voided_records_never_count() {
        let r = rules();
        let mut loan = rec(1, "HR01"); // +10, heavy
        let b = score(&r, std::slice::from_ref(&loan));
        let l = line(&b, "HR01");
        assert_eq!(
            (l.count, l.pending, l.applied, b.total, b.pending_count()),
            (0, 1, 0, 60, 1)
        );
        assert_eq!(l.records[0].status, RecordStatus::Pending);
        loan.confirmed = true;
        let b = score(&r, std::slice::from_ref(&loan));
        assert_eq!((b.total, b.grade, b.pending_count()), (70, Grade::A, 0));
        loan.voided = true;
        let b = score(&r, std::slice::from_ref(&loan));
        assert_eq!((b.total, line(&b, "HR01").voided), (60, 1));
        assert_eq!(line(&b, "HR01").records[0].status, RecordStatus::Voided);
        // a light item needs no confirmation; voided light records do not count either
        let mut labour = rec(2, "PW01");
        assert_eq!(score(&r, std::slice::from_ref(&labour)).total, 62);
        labour.voided = true;
        assert_eq!(score(&r, std::slice::from_ref(&labour)).total, 60);
        // an unconfirmed heavy negative item does not count yet either
        assert_eq!(score(&r, &[rec(3, "HR06")]).total, 60);
    }

    #[test]
    fn adjustments_and_unknown_records() {
        let r = rules();
        let adj = [Adjustment {
            delta: -3,
            reason: "异议成立".into(),
        }];
        let b = score_with(&r, &[rec(1, "SV01"), rec(2, "NOPE")], &adj);
        assert_eq!(b.total, 59);
        assert_eq!(b.unknown.len(), 1);
        assert_eq!(b.adjustments, adj);
    }
}
