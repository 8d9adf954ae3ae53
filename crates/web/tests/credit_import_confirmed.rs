//! Score records taken over from a county's confirmed paper records: a `confirmed_by` column
//! names the confirming account; the fairness rules of a confirmation apply to every row, and
//! such records count at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{declare, households, open_round, steps};
use testkit::{TestApp, VILLAGE_A};

fn csv(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut s = String::from("户号,项目代码,发生日期,确认人\n");
    for [no, item, who] in rows {
        s.push_str(&format!("{no},{item},2024-05-01,{who}\n"));
    }
    s.into_bytes()
}

fn located(r: &testkit::Response) -> Vec<(i64, String)> {
    r.json()["error"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            (
                i["row"].as_i64().unwrap(),
                i["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn confirmed_on_paper(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let township = t.token("township").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    let url = format!("/api/v1/credit/rounds/{round}/records/import?file=paper.csv");

    // The township officer is tied to household 003.
    declare(&t, &township, ids[2], "relation")
        .await
        .expect_status(201);

    let bad = csv(&[
        ["001", "HR01", "township"],
        ["001", "HR01", "cadre_a"],
        ["001", "HR01", "cadre_b"],
        ["001", "HR01", "accountant_a"],
        ["001", "HR01", "nobody"],
        ["003", "HR01", "township"],
    ]);
    let r = t.api_upload(&url, &cadre, bad).await.expect_status(422);
    let want: Vec<(i64, String)> = (3..=7).map(|row| (row, "确认人".to_string())).collect();
    assert_eq!(located(&r), want, "{}", r.body);
    assert!(
        r.body.contains("paper.csv"),
        "the file is named: {}",
        r.body
    );
    r.assert_contains(&["nobody"]);
    assert_eq!(t.count("credit_records").await, 0, "all or nothing");

    let ok = csv(&[["001", "HR01", "township"], ["002", "HR01", ""]]);
    let r = t.api_upload(&url, &cadre, ok).await.expect_status(200);
    let report = r.json();
    assert_eq!(
        (
            report["records"].as_i64(),
            report["pending"].as_i64(),
            report["confirmed"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );

    let total = |hid: i64| {
        let t = &t;
        let cadre = cadre.clone();
        async move {
            t.api_json(
                &format!("/api/v1/credit/rounds/{round}/households/{hid}"),
                &cadre,
            )
            .await
        }
    };
    let (one, two) = (total(ids[0]).await, total(ids[1]).await);
    assert_eq!(one["records"][0]["confirmed_by"], "township");
    assert!(two["records"][0]["confirmed_by"].is_null());
    assert!(
        one["breakdown"]["total"].as_i64().unwrap() > two["breakdown"]["total"].as_i64().unwrap(),
        "the confirmed record counts, the pending one does not: {} vs {}",
        one["breakdown"],
        two["breakdown"]
    );
    // The audit log names who the file says confirmed, so that account can see it.
    let summaries: Vec<String> = sqlx::query_scalar(
        "SELECT summary FROM audit_log WHERE action = 'credit.record.import' ORDER BY id",
    )
    .fetch_all(&t.app.db.pool)
    .await
    .unwrap();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("\"confirmers\":{\"township\":")),
        "{summaries:?}"
    );
    // The page confirmation of the pending one goes back to its household's page.
    let pending = two["records"][0]["id"].as_i64().unwrap();
    let s = t.login("township").await;
    let r = t
        .post_form(&format!("/credit/records/{pending}/confirm"), &s, &[])
        .await
        .expect_status(303);
    assert!(
        r.location()
            .starts_with(&format!("/credit/rounds/{round}/households/{}?", ids[1])),
        "{}",
        r.location()
    );
    steps(&t, &cadre, round, &["assess"]).await;
    let one = total(ids[0]).await;
    let two = total(ids[2]).await;
    assert!(
        one["assessed_score"].as_i64().unwrap() > two["assessed_score"].as_i64().unwrap(),
        "{one} {two}"
    );
}
testkit::both!(records_confirmed_on_paper_count, confirmed_on_paper);
