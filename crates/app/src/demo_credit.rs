//! The demo's credit village: 陈区村 with a finalised round last year (grades, bank lines,
//! points, a supermarket) and this year's round in publicity, so the public page and the
//! objection form have something to show.

use crate::credit::{assess, bank, import, points, records, rounds};
use crate::registry::households;
use crate::{Actor, App, AppError, Result};
use chrono::{Duration, NaiveDate};
use domain::credit::RuleSet;

fn records_csv(rules: &RuleSet, household_nos: &[String], year: i32, salt: u64) -> String {
    // Light items only: heavy ones would wait for a second recorder's confirmation.
    let light: Vec<&str> = rules
        .items()
        .iter()
        .filter(|i| i.points.abs() < rules.confirm_weight())
        .map(|i| i.code.as_str())
        .collect();
    let positives: Vec<&str> = light
        .iter()
        .copied()
        .filter(|c| rules.item(c).map(|i| i.points > 0).unwrap_or(false))
        .collect();
    let negatives: Vec<&str> = light
        .iter()
        .copied()
        .filter(|c| rules.item(c).map(|i| i.points < 0).unwrap_or(false))
        .collect();
    let mut out = String::from("household_no,item_code,occurred_on,note\n");
    let mut rng = domain::lcg::Lcg(salt);
    let mut next = |n: u64| rng.next(n);
    for no in household_nos {
        let count = 3 + next(8);
        for _ in 0..count {
            let code = if next(6) == 0 {
                negatives[next(negatives.len() as u64) as usize]
            } else {
                positives[next(positives.len() as u64) as usize]
            };
            out.push_str(&format!(
                "{no},{code},{year}-{:02}-{:02},网格员走访记录\n",
                1 + next(11),
                1 + next(27)
            ));
        }
    }
    out
}

pub async fn seed(app: &App, actor: &Actor, village: &str, today: NaiveDate) -> Result<()> {
    let rules = RuleSet::default_set().map_err(|e| AppError::Internal(e.to_string()))?;
    let list = households::list(app, actor, village, None, None, 1, 200).await?;
    let nos: Vec<String> = list.items.iter().map(|h| h.household_no.clone()).collect();
    for (i, h) in list.items.iter().enumerate() {
        let p = records::ProfileInput {
            labour: 1 + (i as i64 % 3),
            industry: ["种植", "养殖", "务工", "个体经营"][i % 4].into(),
            income_band: ["3万以下", "3-6万", "6-10万", "10万以上"][i % 4].into(),
            loans: if i % 5 == 0 {
                "农商行贷款5万元"
            } else {
                ""
            }
            .into(),
            repayment: if i % 5 == 0 { "按期还款" } else { "" }.into(),
            consent_to_share: i % 7 != 0,
        };
        records::file_profile(app, actor, h.id, &p).await?;
    }
    // Last year's round, finalised.
    let last = rounds::open(app, actor, village, "2025年度", None).await?;
    let csv = records_csv(&rules, &nos, 2025, 7);
    import::import(app, actor, last, "records-2025.csv", csv.as_bytes(), false).await?;
    let start = today - Duration::days(40);
    assess::assess(app, actor, last, start).await?;
    rounds::publish(app, actor, last, Some(7), start).await?;
    rounds::finalize(app, actor, last, start + Duration::days(8), false).await?;
    // Bank lines for the best households that consented.
    let graded = bank::consenting(app, actor, village, None).await?;
    for (i, h) in graded
        .iter()
        .filter(|h| h.grade == "AAA" || h.grade == "AA")
        .take(8)
        .enumerate()
    {
        let line = bank::LineInput {
            household_id: h.household_id,
            amount_fen: if h.grade == "AAA" {
                10_000_000
            } else {
                5_000_000
            },
            term_months: 36,
            rate_bp: 435,
            granted_on: (start + Duration::days(10 + i as i64))
                .format("%Y-%m-%d")
                .to_string(),
        };
        bank::grant(app, actor, &line).await?;
    }
    // The credit supermarket.
    for (name, price, stock) in [
        ("洗衣粉", 20, 50),
        ("食用油 5L", 80, 20),
        ("大米 10kg", 60, 30),
        ("暖水瓶", 40, 15),
    ] {
        points::add_goods(app, actor, village, name, price, stock).await?;
    }
    // This year's round, in publicity now.
    let this = rounds::open(app, actor, village, "2026年度", None).await?;
    let csv = records_csv(&rules, &nos, 2026, 11);
    import::import(app, actor, this, "records-2026.csv", csv.as_bytes(), false).await?;
    assess::assess(app, actor, this, today - Duration::days(2)).await?;
    rounds::publish(app, actor, this, Some(7), today - Duration::days(2)).await?;
    Ok(())
}
