//! A town in the spirit of the news article: 4,925 households, grid workers' records, one round
//! through the four steps, grades, credit lines and the summary, checked against an independent
//! recount that reads the rule file with plain `toml` and does its own arithmetic.

use super::fixtures::d as day;
use super::*;
use crate::lcg::Lcg;
use std::collections::HashMap;

const HOUSEHOLDS: i64 = 4_925;

/// Records for one household: mostly positive items, some negative, heavy ones usually confirmed.
fn generate(rng: &mut Lcg, rules: &RuleSet, next_id: &mut i64) -> Vec<ScoreRecord> {
    let positive: Vec<&RuleItem> = rules.items().iter().filter(|i| i.points > 0).collect();
    let negative: Vec<&RuleItem> = rules.items().iter().filter(|i| i.points < 0).collect();
    let diligent = rng.chance(85);
    let n = if diligent {
        4 + rng.next(8)
    } else {
        rng.next(5)
    };
    let mut out = Vec::new();
    for _ in 0..n {
        let pool = if rng.chance(if diligent { 92 } else { 60 }) {
            &positive
        } else {
            &negative
        };
        let Some(item) = pool.get(rng.next(pool.len() as u64) as usize) else {
            continue;
        };
        *next_id += 1;
        out.push(ScoreRecord {
            id: *next_id,
            item_code: item.code.clone(),
            occurred_on: day(1 + rng.next(3) as u32, 1 + rng.next(28) as u32),
            recorder: format!("grid{:02}", rng.next(40)),
            evidence: format!("网格员采集表 {}", *next_id),
            confirmed: rng.chance(85),
            voided: rng.chance(3),
        });
    }
    out
}

/// The independent recount: rule file read as plain TOML, own cap and confirmation arithmetic.
struct Recount {
    base: i64,
    weight: i64,
    thresholds: [i64; 3],
    items: HashMap<String, (i64, Option<i64>)>,
}

impl Recount {
    fn new() -> Recount {
        let Ok(doc) = DEFAULT_RULES_TOML.parse::<toml::Table>() else {
            panic!("rule file is TOML")
        };
        let int = |v: Option<&toml::Value>| v.and_then(toml::Value::as_integer);
        let grades = doc.get("grades").and_then(toml::Value::as_table);
        let grade = |k: &str| int(grades.and_then(|g| g.get(k))).unwrap_or(i64::MAX);
        let mut items = HashMap::new();
        for it in doc
            .get("item")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = it
                .get("code")
                .and_then(toml::Value::as_str)
                .unwrap_or_default()
                .to_string();
            items.insert(
                code,
                (int(it.get("points")).unwrap_or(0), int(it.get("cap"))),
            );
        }
        Recount {
            base: int(doc.get("base_score")).unwrap_or(0),
            weight: int(doc.get("confirm_weight")).unwrap_or(10),
            thresholds: [grade("AAA"), grade("AA"), grade("A")],
            items,
        }
    }

    fn total(&self, records: &[ScoreRecord]) -> i64 {
        let mut sums: HashMap<&str, i64> = HashMap::new();
        for r in records {
            let Some((points, _)) = self.items.get(&r.item_code) else {
                continue;
            };
            let heavy = points.abs() >= self.weight;
            if !r.voided && (r.confirmed || !heavy) {
                *sums.entry(r.item_code.as_str()).or_insert(0) += points;
            }
        }
        let mut total = self.base;
        for (code, sum) in sums {
            let cap = self.items.get(code).and_then(|(_, cap)| *cap);
            total += match cap {
                Some(c) if sum > c => c,
                Some(c) if sum < -c => -c,
                _ => sum,
            };
        }
        total
    }

    /// 0 = AAA, 1 = AA, 2 = A, 3 = B
    fn grade_index(&self, total: i64) -> usize {
        self.thresholds
            .iter()
            .position(|t| total >= *t)
            .unwrap_or(3)
    }
}

#[test]
fn a_town_of_4925_households_matches_an_independent_recount() -> Result<(), CreditError> {
    let rules = RuleSet::default_set()?;
    let recount = Recount::new();
    assert_eq!(recount.items.len(), 66);
    let mut rng = Lcg(20_240_501);
    let mut next_id = 0i64;

    // step 1: information filing by the grid workers
    let mut round = Round::new();
    let mut town: Vec<(HouseholdRef, Vec<ScoreRecord>)> = Vec::new();
    for h in 1..=HOUSEHOLDS {
        let target = HouseholdRef(h);
        round.can_record()?;
        // each grid worker lives in some household; a worker never records their own
        let worker_home = HouseholdRef(1 + rng.next(HOUSEHOLDS as u64) as i64);
        if check_recorder(Some(worker_home), &[], target).is_err() {
            assert_eq!(worker_home, target);
        }
        let records = generate(&mut rng, &rules, &mut next_id);
        if let Err(errors) = validate_records(&rules, &records) {
            panic!("generated records are valid: {errors:?}");
        }
        town.push((target, records));
    }

    // step 2: system preliminary assessment
    round.assess(day(4, 20))?;
    let mut results: Vec<(HouseholdRef, ScoreBreakdown)> = town
        .iter()
        .map(|(h, records)| (*h, score(&rules, records)))
        .collect();

    // step 3: publicity; one objection upheld (a missed record), one rejected
    round.start_publicity(day(5, 1), None)?;
    let mut up = Objection::raise(
        &round,
        day(5, 2),
        HouseholdRef(17),
        "户主",
        "参加义务劳动未记录",
    )?;
    let mut no = Objection::raise(&round, day(5, 3), HouseholdRef(18), "邻居", "评分过高")?;
    assert!(round
        .finalize(day(5, 8), count_open(&[up.clone(), no.clone()]))
        .is_err());
    up.uphold(
        &round,
        ObjectionFix::Delta { points: 2 },
        "评议组",
        day(5, 6),
    )?;
    no.reject(&round, "经核实记录有照片为证", "评议组", day(5, 6))?;
    let objections = [up, no];
    for (h, breakdown) in results.iter_mut() {
        let adjustments = adjustments_for(*h, &objections);
        if !adjustments.is_empty() {
            let Some((_, records)) = town.iter().find(|(t, _)| t == h) else {
                panic!("household exists")
            };
            *breakdown = score_with(&rules, records, &adjustments);
        }
    }

    // step 4: final assessment
    assert_eq!(
        round.finalize(day(5, 7), 0),
        Err(CreditError::PublicityRunning {
            final_from: day(5, 8)
        })
    );
    round.finalize(day(5, 8), count_open(&objections))?;

    // independent recount, household by household
    let mut counts = [0u64; 4];
    for ((h, records), (h2, breakdown)) in town.iter().zip(&results) {
        assert_eq!(h, h2);
        let bonus = if *h == HouseholdRef(17) { 2 } else { 0 };
        let total = recount.total(records) + bonus;
        assert_eq!(breakdown.total, total, "household {h}");
        let g = recount.grade_index(total);
        assert_eq!(
            breakdown.grade,
            [Grade::AAA, Grade::AA, Grade::A, Grade::B][g],
            "household {h}"
        );
        counts[g] += 1;
    }

    // banks grant lines to credit households: AAA 200,000, AA 100,000, A 50,000 yuan (some decline)
    let mut expected_lines = (0u64, 0i64);
    let outcomes: Vec<HouseholdOutcome> = results
        .iter()
        .map(|(h, b)| {
            let line_yuan = match b.grade {
                Grade::AAA => 200_000,
                Grade::AA => 100_000,
                Grade::A => 50_000,
                Grade::B => 0,
            };
            let line = if rng.chance(80) { line_yuan * 100 } else { 0 };
            if line > 0 {
                expected_lines = (expected_lines.0 + 1, expected_lines.1 + line);
            }
            HouseholdOutcome {
                household: *h,
                grade: Some(b.grade),
                credit_line_fen: line,
            }
        })
        .collect();
    let summary = summarize("140581100", &outcomes);
    assert_eq!(summary.households, 4_925);
    assert_eq!(summary.rated, 4_925);
    assert_eq!(
        [
            summary.by_grade.aaa,
            summary.by_grade.aa,
            summary.by_grade.a,
            summary.by_grade.b
        ],
        counts
    );
    let a_or_above = counts[0] + counts[1] + counts[2];
    assert_eq!(summary.a_or_above(), a_or_above);
    assert_eq!(
        (
            summary.credit_lines.households,
            summary.credit_lines.amount_fen
        ),
        expected_lines
    );
    // the article's town: 3,524 of 4,925 (71.6%) at A or above; this generated town is similar
    let pct = summary.a_or_above_pct();
    println!("grades AAA/AA/A/B {counts:?}; A or above {a_or_above} of 4,925 = {pct}%");
    assert!(
        (65.0..=78.0).contains(&pct),
        "A-or-above share {pct}% ({a_or_above} of 4,925)"
    );
    assert_eq!(
        pct,
        crate::money::percent_1dp(a_or_above as i64, HOUSEHOLDS)
    );

    // the publicity list never shows a full name
    let list = publicity_list([("1", "张三明", results[0].1.total, results[0].1.grade)]);
    assert_eq!(list[0].masked_name, "张*明");

    // nothing changes after final; a later correction is its own entry
    assert!(matches!(
        round.assess(day(6, 1)),
        Err(CreditError::RoundLocked { .. })
    ));
    let fix = Correction::new(
        &round,
        HouseholdRef(5),
        CorrectionChange::Delta { points: -15 },
        "拖欠承包费",
        "评议组",
        day(6, 1),
    )?;
    let (s, g) = corrected(
        HouseholdRef(5),
        results[4].1.total,
        results[4].1.grade,
        &[fix],
        rules.grades(),
    );
    assert_eq!(
        (s, g),
        (
            results[4].1.total - 15,
            grade_for(results[4].1.total - 15, rules.grades())
        )
    );
    Ok(())
}
