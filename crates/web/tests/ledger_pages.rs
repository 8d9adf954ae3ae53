//! The ledger pages: forms with errors next to fields, the rectification task page, debt
//! resolutions and claim collections, import with a dry run, the report and the nav link.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::fixtures::related_cadre_contract;
use testkit::{both, TestApp, VILLAGE_A};

async fn pages(t: TestApp) {
    let s = t.login("accountant_a").await;
    let v = format!("/villages/{VILLAGE_A}/ledger");
    // Posts a form as the accountant and checks the status.
    let post = async |path: &str, fields: &str, status: u16| {
        t.post_fields(path, &s, fields).await.expect_status(status)
    };
    let home = t.get("/ledger", &s).await;
    assert_eq!(home.location(), v);
    let home = t.page(&v, &s).await;
    assert!(home.body.contains("href=\"/ledger\""), "nav link");

    // contract form: bad fields come back with 422 and the message next to the field
    let bad = [
        ("contract_no", "HT-9"),
        ("kind", "出租车"),
        ("counterparty", "某人"),
        ("start_on", "2024-01-01"),
        ("end_on", "2023-01-01"),
        ("annual_rent_yuan", "100"),
    ];
    let r = t
        .post_form(&format!("{v}/contracts/new"), &s, &bad)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // In the reader's language (Chinese by default), next to the fields.
    assert!(
        r.body.contains("未知的合同类型“出租车”") && r.body.contains("终止日期须晚于起始日期"),
        "{}",
        r.body
    );
    assert_eq!(t.count("contracts").await, 0);
    let good = related_cadre_contract("HT-9");
    t.post_form(&format!("{v}/contracts/new"), &s, &good)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let list = t.get(&format!("{v}/contracts"), &s).await;
    assert!(
        list.body.contains("涉及村干部")
            && list.body.contains("租期超20年")
            && list.body.contains("租金偏低")
    );
    // the flag task page: waive without a reason is refused next to the field
    let flag_id: i64 =
        sqlx::query_scalar("SELECT id FROM contract_flags WHERE code = 'related_cadre'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    let task = format!("{v}/flags/{flag_id}");
    assert!(t
        .get(&task, &s)
        .await
        .body
        .contains("承包方为村干部本人或其近亲属"));
    let r = post(&task, "status=waived&reason=&deadline=&evidence=", 422).await;
    r.assert_contains(&["免于整改须填写理由"]);
    post(
        &task,
        "status=rectified&deadline=2025-03-31&evidence=已重新公开招标",
        303,
    )
    .await;
    assert_eq!(
        t.count("contract_flags WHERE status = 'rectified'").await,
        1
    );

    // a debt, an over-resolution refused on the form, then a resolution
    post(
        &format!("{v}/debts"),
        "debt_no=ZW-1&creditor=信用社&principal_yuan=1000",
        303,
    )
    .await;
    t.post_fields(
        &format!("{v}/debts"),
        &s,
        "debt_no=ZW-1&creditor=又一个&principal_yuan=5",
    )
    .await
    .expect_status_because(StatusCode::UNPROCESSABLE_ENTITY, "duplicate number");
    let debt_id: i64 = sqlx::query_scalar("SELECT id FROM debts")
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    let act = format!("{v}/debts/{debt_id}/actions");
    let r = post(
        &act,
        "method=核销&amount_yuan=1000.01&acted_on=2024-01-01",
        422,
    )
    .await;
    r.assert_contains(&["化解金额超出剩余债务"]);
    post(&act, "method=核销&amount_yuan=400&acted_on=2024-01-01", 303).await;
    assert!(t
        .get(&format!("{v}/debts"), &s)
        .await
        .body
        .contains("40.0%"));

    // the arrears claim of HT-9 (it paid nothing): collecting on it pays the contract
    let (claim_id, amount): (i64, i64) =
        sqlx::query_as("SELECT id, amount_fen FROM claims WHERE origin = 'arrears:HT-9'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    post(
        &format!("{v}/claims/{claim_id}/collections"),
        "amount_yuan=100&collected_on=2024-06-01&note=",
        303,
    )
    .await;
    assert_eq!(t.count("contracts WHERE paid_fen = 10000").await, 1);
    let amount_after: i64 = sqlx::query_scalar("SELECT amount_fen FROM claims WHERE id = $1")
        .bind(claim_id)
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        amount_after, amount,
        "the claim keeps its total: owed now + collected"
    );
    post(
        &format!("{v}/resources"),
        "resource_no=ZY-9&kind=机动地&status=无合同占用&area_mu=3",
        303,
    )
    .await;
    assert!(t
        .get(&format!("{v}/resources"), &s)
        .await
        .body
        .contains("应收费"));

    // import page with a dry run, then a refused file listing its problems
    let csv = "claim_no,debtor,amount_yuan\nZQ-1,张三,50\n";
    let r = t
        .post_file(
            &format!("{v}/import"),
            &s,
            "c.csv",
            csv.as_bytes(),
            &[("kind", "claims"), ("dry_run", "1")],
        )
        .await
        .expect_status(StatusCode::OK);
    r.assert_contains(&["检查通过"]);
    let r = t
        .post_file(
            &format!("{v}/import"),
            &s,
            "c.csv",
            b"claim_no,debtor,amount_yuan\nZQ-1,,abc\n",
            &[("kind", "claims")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["c.csv:2:debtor"]);
    assert_eq!(t.count("claims WHERE claim_no = 'ZQ-1'").await, 0);
    let report = t.page(&format!("{v}/report"), &s).await;
    assert!(report.body.contains("@media print") && report.body.contains("HT-9"));
    // Signed when printed: preparer, reviewer, the supervisory committee, a date.
    for line in ["制表人：", "审核人：", "村务监督委员会：", "日期："] {
        assert!(report.body.contains(line), "{line}");
    }
    assert!(t.count("audit_log WHERE action LIKE 'ledger.%'").await >= 6);
}
both!(ledger_pages_work_end_to_end, pages);
