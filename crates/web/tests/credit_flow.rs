//! The four steps end to end: records, assessment explained item by item, publicity,
//! objections (upheld changes the score, rejected needs a reason), final refused while
//! publicity runs or objections are open, then allowed; points earned on final.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{households, open_round};
use serde_json::json;
use testkit::{TestApp, VILLAGE_A};

async fn record(
    t: &TestApp,
    token: &str,
    round: i64,
    hh: i64,
    item: &str,
    on: &str,
) -> serde_json::Value {
    let r = t
        .api_post(&format!("/api/v1/credit/rounds/{round}/records"), token, json!({"household_id": hh, "item_code": item, "occurred_on": on, "evidence": format!("照片-{item}-{on}.jpg")}))
        .await.expect_status(201);
    r.json()
}

fn later(days: usize) -> String {
    let mut d = app::credit::today();
    for _ in 0..days {
        d = d.succ_opt().unwrap();
    }
    d.to_string()
}

async fn four_steps(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let admin = t.token("admin").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    let h = ids[0];
    let rounds = format!("/api/v1/credit/rounds/{round}");
    let household = format!("{rounds}/households/{h}");
    let (assess, finalize) = (format!("{rounds}/assess"), format!("{rounds}/finalize"));
    let resolve = |id: i64| format!("/api/v1/credit/objections/{id}/resolve");
    for on in ["2024-03-01", "2024-03-05"] {
        record(&t, &cadre, round, h, "SV01", on).await; // +2 each
    }
    record(&t, &cadre, round, h, "SV04", "2024-03-09").await; // +5
    for day in 1..=6 {
        record(&t, &cadre, round, h, "PW02", &format!("2024-04-{day:02}")).await;
        // +2, cap 10
    }
    record(&t, &cadre, round, h, "EN05", "2024-04-20").await; // -5
    let heavy = record(&t, &cadre, round, h, "HR01", "2024-05-01").await; // +10, needs confirmation
    assert_eq!(heavy["pending"], true);

    // Preliminary: 60 + 4 + 5 + 10 (capped from 12) - 5 = 74, grade A; HR01 pending.
    let r = t.api_post_empty(&assess, &cadre).await.expect_status(200);
    assert_eq!(r.json()["households"], 3);
    let b = t.api_json(&household, &cadre).await;
    assert_eq!(b["breakdown"]["total"], 74, "{b}");
    assert_eq!(b["breakdown"]["grade"], "A");
    assert_eq!(b["assessed_score"], 74);
    let pw02 = testkit::find(&b["breakdown"]["lines"], "item_code", "PW02");
    assert_eq!(
        (
            pw02["count"].as_i64(),
            pw02["raw"].as_i64(),
            pw02["applied"].as_i64(),
            pw02["capped"].as_bool()
        ),
        (Some(6), Some(12), Some(10), Some(true))
    );
    let hr01 = testkit::find(&b["breakdown"]["lines"], "item_code", "HR01");
    assert_eq!(
        (hr01["pending"].as_i64(), hr01["applied"].as_i64()),
        (Some(1), Some(0))
    );

    // The household page explains each item: what, when, who, evidence, pending.
    let s = t.login("cadre_a").await;
    let page = t
        .page(&format!("/credit/rounds/{round}/households/{h}"), &s)
        .await;
    for needle in [
        "SV01",
        "2024-03-05",
        "cadre_a",
        "照片-PW02-2024-04-06.jpg",
        "待复核确认",
        "74",
    ] {
        assert!(page.body.contains(needle), "household page lacks {needle}");
    }

    // A second, different recorder confirms the heavy item: 84, AA after re-assessment.
    let heavy_id = heavy["id"].as_i64().unwrap();
    let same = t
        .api_post_empty(
            &format!("/api/v1/credit/records/{heavy_id}/confirm"),
            &cadre,
        )
        .await;
    assert_eq!(
        same.status, 403,
        "the recorder cannot confirm their own record: {}",
        same.body
    );
    t.api_post_empty(
        &format!("/api/v1/credit/records/{heavy_id}/confirm"),
        &t.token("township").await,
    )
    .await
    .expect_status(200);
    t.api_post_empty(&assess, &cadre).await;
    let b = t.api_json(&household, &cadre).await;
    assert_eq!(
        (b["assessed_score"].as_i64(), b["assessed_grade"].as_str()),
        (Some(84), Some("AA"))
    );

    // Publicity from today; final refused while it runs.
    let p = t
        .api_post(&format!("{rounds}/publish"), &cadre, json!({}))
        .await
        .expect_status(200);
    assert_eq!(p.json()["publicity_days"], 7);
    let f = t.api_post_empty(&finalize, &cadre).await.expect_status(409);
    f.assert_contains(&["publicity is still running"]);
    t.api_post(&finalize, &cadre, json!({"today": later(8)}))
        .await
        .expect_status_because(403, "only admins may stand in a date");

    // Villagers object on the public page (no login, CSRF cookie).
    let public = t
        .get_public(&format!("/public/villages/{VILLAGE_A}/credit"))
        .await
        .expect_status(200);
    assert!(
        public.body.contains("李*明") && public.body.contains("王*明"),
        "masked names: {}",
        public.body
    );
    assert!(
        !public.body.contains("李四明") && !public.body.contains("王小明"),
        "full names must not be shown"
    );
    assert!(
        public.cookie("gr_public_csrf").is_none(),
        "the list is the same for every visitor: no token on it"
    );
    // The list links each household to the objection form, which carries the CSRF cookie.
    public.assert_contains(&["credit/objection?household=001"]);
    let form = t
        .get_public(&format!(
            "/public/villages/{VILLAGE_A}/credit/objection?household=001"
        ))
        .await
        .expect_status(200);
    assert!(
        form.body.contains("value=\"001\"") && form.body.contains("name=\"_csrf\""),
        "{}",
        form.body
    );
    let csrf = form.cookie("gr_public_csrf").expect("csrf cookie");
    let forged = [
        ("_csrf", csrf.as_str()),
        ("household_no", "002"),
        ("name", "刘村民"),
        ("contact", "13800000000"),
        ("reason", "x"),
    ];
    let objections = format!("/public/villages/{VILLAGE_A}/credit/objections");
    t.post_public_form(&objections, None, &forged)
        .await
        .expect_status_because(403, "objection without the CSRF cookie is refused");
    assert_eq!(t.count("credit_objections").await, 0);
    for (no, reason) in [("001", "该户去年修路义务劳动未记分"), ("002", "不服评分")]
    {
        let o = t
            .post_objection(VILLAGE_A, &csrf, no, "13800000000", reason)
            .await;
        assert!(
            o.status.is_redirection() || o.status == 200,
            "{} {}",
            o.status,
            o.body
        );
    }
    assert_eq!(t.count("credit_objections").await, 2);
    assert_eq!(t.audit_count("credit.objection.raise").await, 2);

    // Final refused while objections are open, even after publicity.
    let f = t
        .api_post(&finalize, &admin, json!({"today": later(8)}))
        .await
        .expect_status(409);
    f.assert_contains(&["objection"]);

    let list = t.api_json(&format!("{rounds}/objections"), &cadre).await;
    let ids_of: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    // Rejected needs a reason.
    t.api_post(
        &resolve(ids_of[1]),
        &cadre,
        json!({"decision": "reject", "reason": " "}),
    )
    .await
    .expect_status(422);
    let rej = t
        .api_post(
            &resolve(ids_of[1]),
            &cadre,
            json!({"decision": "reject", "reason": "记录齐全，评分无误"}),
        )
        .await
        .expect_status(200);
    assert_eq!(rej.json()["status"], "rejected");
    // Upheld corrects the score: 84 + 6 = 90, AAA.
    t.api_post(
        &resolve(ids_of[0]),
        &cadre,
        json!({"decision": "uphold", "points": 6, "reason": "补记义务劳动"}),
    )
    .await
    .expect_status(200);
    let b = t.api_json(&household, &cadre).await;
    assert_eq!(
        (b["assessed_score"].as_i64(), b["assessed_grade"].as_str()),
        (Some(90), Some("AAA")),
        "{b}"
    );
    // Upheld by voiding a wrong record: the -5 of EN05 goes, 95.
    let input = app::credit::objections::ObjectionInput {
        household_no: "001".into(),
        name: "张户主".into(),
        contact: "139".into(),
        reason: "环境检查记录有误".into(),
    };
    let o3 = app::credit::objections::raise_public(
        &t.app,
        VILLAGE_A,
        &input,
        "test",
        app::credit::today(),
    )
    .await
    .unwrap();
    let en05 = testkit::find(&b["records"], "item_code", "EN05")["id"]
        .as_i64()
        .unwrap();
    t.api_post(
        &resolve(o3),
        &cadre,
        json!({"decision": "uphold", "record_id": en05, "reason": "检查记录张冠李戴"}),
    )
    .await
    .expect_status(200);
    let b = t.api_json(&household, &cadre).await;
    assert_eq!(b["assessed_score"], 95, "{b}");
    let voided = testkit::find(&b["records"], "id", en05);
    assert_eq!(
        (voided["voided"].as_bool(), voided["void_reason"].as_str()),
        (Some(true), Some("检查记录张冠李戴"))
    );
    let public = t
        .get_public(&format!("/public/villages/{VILLAGE_A}/credit"))
        .await;
    assert!(
        public.body.contains("记录齐全，评分无误") && public.body.contains("成立，已更正"),
        "answers are public"
    );
    assert!(
        !public.body.contains("刘村民") && !public.body.contains("13800000000"),
        "objectors are not disclosed"
    );
    t.api_post(
        &resolve(ids_of[0]),
        &cadre,
        json!({"decision": "reject", "reason": "x"}),
    )
    .await
    .expect_status_because(409, "a resolved objection stays resolved");

    // Still refused during publicity; allowed after it.
    t.api_post(&finalize, &admin, json!({"today": later(6)}))
        .await
        .expect_status(409);
    let f = t
        .api_post(&finalize, &admin, json!({"today": later(7)}))
        .await
        .expect_status(200);
    assert_eq!(f.json()["stage"], "final");
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM credit_assessments WHERE round_id = {round} AND final = 1"
        ))
        .await,
        3
    );

    // Positive items earned points: 4 + 5 + 10 + 10 = 29 (the objection's delta is not an item).
    let pb = t
        .api_json(&format!("/api/v1/households/{h}/passbook"), &cadre)
        .await;
    assert_eq!(pb["balance"], 29, "{pb}");
    assert_eq!(pb["entries"][0]["kind"], "earn");

    // Final grades are locked: records refused; a correction is a new audited entry.
    t.api_post(&format!("{rounds}/records"), &cadre, json!({"household_id": h, "item_code": "SV01", "occurred_on": "2024-06-01", "evidence": "x"})).await.expect_status(409);
    t.api_post(
        &format!("{household}/corrections"),
        &cadre,
        json!({"points": -6, "reason": "复核发现重复记分"}),
    )
    .await
    .expect_status(201);
    assert_eq!(
        t.scalar(&format!(
            "SELECT score FROM credit_assessments WHERE round_id = {round} AND household_id = {h}"
        ))
        .await,
        95,
        "final results are never edited"
    );
    assert_eq!(t.audit_count("credit.correction.create").await, 1);
    let b = t.api_json(&household, &cadre).await;
    assert_eq!(
        (
            b["assessed_score"].as_i64(),
            b["corrected_score"].as_i64(),
            b["corrected_grade"].as_str()
        ),
        (Some(95), Some(89), Some("AA"))
    );
    let page = t
        .get(&format!("/credit/rounds/{round}/households/{h}"), &s)
        .await;
    assert!(page.body.contains("复核发现重复记分") && page.body.contains("89 / AA"));

    let aaa = t
        .api_get(&format!("/api/v1/units/{VILLAGE_A}/credit/aaa"), &cadre)
        .await;
    assert_eq!(
        aaa.body.lines().count(),
        1,
        "corrected to AA: no longer on the AAA list: {}",
        aaa.body
    );
    // Summary over the final round (the correction moved the household from AAA to AA).
    let s = t
        .api_json(&format!("/api/v1/units/{VILLAGE_A}/credit/summary"), &cadre)
        .await;
    assert_eq!(
        s,
        json!({"unit": VILLAGE_A, "households": 3, "rated": 3,
        "by_grade": {"AAA": 0, "AA": 1, "A": 0, "B": 2}, "credit_lines": {"households": 0, "amount_fen": 0}})
    );
}
testkit::both!(four_steps_with_objections, four_steps);
