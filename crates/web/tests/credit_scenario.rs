//! In the spirit of seed 001: a town of several villages and thousands of households, one
//! township round through the four steps, score records imported per file, the share of A and
//! above as computed independently with the domain rules, credit lines summed in the summary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{dated_steps, households, open_round};
use domain::credit::{score, Grade, RuleSet, ScoreRecord};
use serde_json::json;
use testkit::{TestApp, TOWNSHIP};

const VILLAGES: [&str; 4] = [
    "140581104201",
    "140581104202",
    "140581104203",
    "140581104205",
];
const PER_VILLAGE: usize = 650;
/// Light items (no second confirmation), positive and negative.
const ITEMS: [&str; 10] = [
    "SV01", "SV04", "PW01", "CC01", "LA01", "EN01", "ID01", "SV07", "EN05", "CC07",
];

/// A small deterministic generator (no external randomness in tests).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn town(t: TestApp) {
    let rules = RuleSet::default_set().unwrap();
    let mut all = Vec::new();
    for v in VILLAGES {
        all.push((v, households(&t, v, PER_VILLAGE).await));
    }
    let admin = t.token("admin").await;
    let township = t.token("township").await;
    let round = open_round(&t, &township, TOWNSHIP).await;

    // One file for the town: the same household numbers exist in every village, so the file
    // names the village.
    let mut rng = Lcg(1);
    let mut csv = String::from("village,household_no,item_code,occurred_on,note\n");
    let mut expected = [0u64; 4]; // B, A, AA, AAA
    for (v, ids) in &all {
        for (i, _) in ids.iter().enumerate() {
            let n = rng.next(8);
            let mut recs = Vec::new();
            for k in 0..n {
                let item = ITEMS[rng.next(ITEMS.len() as u64) as usize];
                csv.push_str(&format!(
                    "{v},{:03},{item},2024-0{}-1{k},登记表\n",
                    i + 1,
                    1 + rng.next(8)
                ));
                recs.push(ScoreRecord {
                    id: 0,
                    item_code: item.into(),
                    occurred_on: chrono_free_date(),
                    recorder: "x".into(),
                    evidence: "e".into(),
                    confirmed: false,
                    voided: false,
                });
            }
            expected[score(&rules, &recs).grade as usize] += 1;
        }
    }
    let bad = t
        .api_upload(
            &format!("/api/v1/credit/rounds/{round}/records/import?file=town.csv"),
            &township,
            "household_no,item_code,occurred_on\n001,SV01,2024-04-01\n"
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(
        bad.status, 422,
        "an ambiguous household number is refused: {}",
        bad.body
    );
    assert!(
        bad.body.contains("town.csv") && bad.body.contains("\"row\":2"),
        "{}",
        bad.body
    );
    assert_eq!(t.count("credit_records").await, 0);
    let r = t
        .api_upload(
            &format!("/api/v1/credit/rounds/{round}/records/import?file=town.csv"),
            &township,
            csv,
        )
        .await
        .expect_status(200);
    let imported = r.json()["records"].as_i64().unwrap();
    assert_eq!(t.count("credit_records").await, imported);

    let a = t
        .api_post_empty(&format!("/api/v1/credit/rounds/{round}/assess"), &township)
        .await
        .json();
    assert_eq!(a["households"], (VILLAGES.len() * PER_VILLAGE) as i64);
    assert_eq!(
        a["by_grade"],
        json!({"AAA": expected[3], "AA": expected[2], "A": expected[1], "B": expected[0]})
    );
    // The round page follows every village.
    let page = t
        .page(
            &format!("/credit/rounds/{round}"),
            &t.login("township").await,
        )
        .await;
    for name in ["陈区村委会", "王村村委会", "石村村委会", "浩庄村委会"] {
        assert!(page.body.contains(name), "round page lacks {name}");
    }
    let days = [("publish", "2024-06-01"), ("finalize", "2024-06-08")];
    dated_steps(&t, &admin, round, &days).await;

    // Households 1..=40 of the first village consent; the bank lends to its A-and-above ones.
    let (_, first) = &all[0];
    for hh in &first[..40] {
        t.api_put(
            &format!("/api/v1/households/{hh}/credit-profile"),
            &township,
            json!({"labour": 2, "consent_to_share": true}),
        )
        .await
        .expect_status(200);
    }
    let bank = t.token("bank").await;
    let eligible = t.api_json("/api/v1/credit/bank/households", &bank).await;
    let eligible = eligible.as_array().unwrap();
    assert_eq!(eligible.len(), 40);
    let mut lines = 0u64;
    let mut amount = 0i64;
    for (k, h) in eligible.iter().filter(|h| h["grade"] != "B").enumerate() {
        let fen = 10_000_000 + 1_000_000 * k as i64;
        t.api_post("/api/v1/credit/lines", &bank, json!({"household_id": h["household_id"], "amount_fen": fen, "term_months": 36, "rate_bp": 435, "granted_on": "2024-07-01"})).await.expect_status(201);
        lines += 1;
        amount += fen;
    }
    assert!(lines > 0);

    let total = (VILLAGES.len() * PER_VILLAGE) as u64;
    let s = t
        .api_json(
            &format!("/api/v1/units/{TOWNSHIP}/credit/summary"),
            &township,
        )
        .await;
    assert_eq!(
        s,
        json!({"unit": TOWNSHIP, "households": total, "rated": total,
        "by_grade": {"AAA": expected[3], "AA": expected[2], "A": expected[1], "B": expected[0]},
        "credit_lines": {"households": lines, "amount_fen": amount}})
    );
    let a_or_above = expected[1] + expected[2] + expected[3];
    assert!(
        a_or_above > 0 && a_or_above < total,
        "a realistic mix of grades"
    );
    // One village's summary is its own part.
    let v = t
        .api_json(
            &format!("/api/v1/units/{}/credit/summary", VILLAGES[1]),
            &township,
        )
        .await;
    assert_eq!(v["households"], PER_VILLAGE as i64);
    assert_eq!(v["credit_lines"]["households"], 0);
    // AAA list export.
    let aaa = t
        .api_get(&format!("/api/v1/units/{TOWNSHIP}/credit/aaa"), &township)
        .await
        .expect_status(200);
    assert_eq!(aaa.body.lines().count() as u64, 1 + expected[3]);
    let _ = Grade::AAA;
}

fn chrono_free_date() -> chrono::NaiveDate {
    domain::dates::parse_date("2024-04-01").unwrap()
}
testkit::both!(town_of_several_villages, town);
