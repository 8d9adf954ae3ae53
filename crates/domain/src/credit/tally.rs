//! The batch form of [`score_with`](super::scoring::score_with): the same total, grade and
//! per-item counts for a million households, without building the explanation (texts and
//! record lists) nobody reads in a batch. Tests hold it equal to `score_with`.

use super::grade::{grade_for, Grade};
use super::rules::RuleSet;
use super::scoring::Adjustment;
use std::collections::HashMap;

/// One household's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub total: i64,
    pub grade: Grade,
    /// Applied points of positive items (what the supermarket rewards).
    pub positive_applied: i64,
    /// `(item_code, counted records, applied points)` for each item with at least one record
    /// (counted, pending or voided), in rule-set order.
    pub lines: Vec<(String, i64, i64)>,
}

/// Scores many households with one rule set, reusing its lookup table and counters.
pub struct Tallier<'r> {
    rules: &'r RuleSet,
    index: HashMap<&'r str, usize>,
    heavy: Vec<bool>,
    counted: Vec<i64>,
    seen: Vec<bool>,
}

impl<'r> Tallier<'r> {
    pub fn new(rules: &'r RuleSet) -> Tallier<'r> {
        let items = rules.items();
        Tallier {
            rules,
            index: items
                .iter()
                .enumerate()
                .map(|(i, it)| (it.code.as_str(), i))
                .collect(),
            heavy: items
                .iter()
                .map(|it| rules.needs_confirmation(it))
                .collect(),
            counted: vec![0; items.len()],
            seen: vec![false; items.len()],
        }
    }

    /// Scores one household from `(item_code, confirmed, voided)` records. Unknown codes do not
    /// count (as in `score_with`).
    pub fn tally<'a, I>(&mut self, records: I, adjustments: &[Adjustment]) -> Tally
    where
        I: IntoIterator<Item = (&'a str, bool, bool)>,
    {
        self.counted.iter_mut().for_each(|c| *c = 0);
        self.seen.iter_mut().for_each(|s| *s = false);
        for (code, confirmed, voided) in records {
            if let Some(&i) = self.index.get(code.trim()) {
                self.seen[i] = true;
                if !voided && (confirmed || !self.heavy[i]) {
                    self.counted[i] += 1;
                }
            }
        }
        let mut total = self.rules.base_score();
        let mut positive_applied = 0i64;
        let mut lines = Vec::new();
        for (i, item) in self.rules.items().iter().enumerate() {
            if !self.seen[i] {
                continue;
            }
            let raw = item.points.saturating_mul(self.counted[i]);
            let applied = match item.cap {
                Some(cap) => raw.clamp(-cap, cap),
                None => raw,
            };
            total = total.saturating_add(applied);
            if item.points > 0 {
                positive_applied += applied;
            }
            lines.push((item.code.clone(), self.counted[i], applied));
        }
        for a in adjustments {
            total = total.saturating_add(a.delta);
        }
        Tally {
            total,
            grade: grade_for(total, self.rules.grades()),
            positive_applied,
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::record::ScoreRecord;
    use crate::credit::scoring::score_with;
    use chrono::NaiveDate;

    use crate::lcg::Lcg;

    #[test]
    fn tally_equals_score_with_on_random_households() {
        let Ok(rules) = RuleSet::default_set() else {
            panic!("default set")
        };
        let codes: Vec<String> = rules
            .items()
            .iter()
            .map(|i| i.code.clone())
            .chain(["NOPE".to_string()])
            .collect();
        let mut t = Tallier::new(&rules);
        let mut rng = Lcg(9);
        for household in 0..5000 {
            let n = rng.next(25);
            let records: Vec<ScoreRecord> = (0..n)
                .map(|k| ScoreRecord {
                    id: k as i64,
                    item_code: codes[rng.next(codes.len() as u64) as usize].clone(),
                    occurred_on: NaiveDate::default(),
                    recorder: String::new(),
                    evidence: String::new(),
                    confirmed: rng.next(2) == 0,
                    voided: rng.next(6) == 0,
                })
                .collect();
            let adj: Vec<Adjustment> = if household % 7 == 0 {
                vec![Adjustment {
                    delta: rng.next(21) as i64 - 10,
                    reason: "objection".into(),
                }]
            } else {
                Vec::new()
            };
            let full = score_with(&rules, &records, &adj);
            let fast = t.tally(
                records
                    .iter()
                    .map(|r| (r.item_code.as_str(), r.confirmed, r.voided)),
                &adj,
            );
            assert_eq!(fast.total, full.total, "household {household}");
            assert_eq!(fast.grade, full.grade);
            assert_eq!(fast.positive_applied, full.positive_applied());
            let lines: Vec<(String, i64, i64)> = full
                .lines
                .iter()
                .map(|l| (l.item_code.clone(), l.count, l.applied))
                .collect();
            assert_eq!(fast.lines, lines);
        }
    }
}
