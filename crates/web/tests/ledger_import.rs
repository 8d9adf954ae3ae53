//! Ledger imports: good files of each kind (Chinese and English headers, CSV and XLSX), a file
//! of bad rows refused as a whole with file:row:column issues, export → re-import round trips.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::{both, TestApp, VILLAGE_A};

fn ids() -> (String, String) {
    (
        testkit::resident_id("14058119700101001"),
        testkit::resident_id("14058119800202002"),
    )
}

fn contracts() -> String {
    let (a, b) = ids();
    format!(
        "合同编号,合同类型,承包方,承包方身份证号,标的,资源编号,面积（亩）,面积（平方米）,起始日期,终止日期,年租金（元）,预收年限,已收金额（元）,签订日期,民主程序记录,涉及村干部\n\
HT-101,土地租赁,王建国,{a},东坡耕地,ZY-01,12.5,,2020-01-01,2044-12-31,10000,,70000,2019-12-20,会议纪要,否\n\
HT-102,商铺租赁,陈某,,临街商铺,ZY-02,,80,2024-01-01,2028-12-31,9600,1,9600,2023-12-01,,是\n\
HT-103,坑塘,李四,{b},南坑塘,ZY-03,20,,2023-01-01,2032-12-31,12000,,48000,2022-12-01,会议纪要,false\n"
    )
}

const DEBTS: &str = "debt_no,creditor,principal_yuan,incurred_on,category,note\nZW-1,县建筑公司,120000,2012-05-01,工程欠款,\nZW-2,信用社,80000.50,2010-03-15,借款,老账\n";
const ACTIONS: &str = "债务编号,化解方式,化解金额（元）,化解日期,证明材料,备注\nZW-1,核销,20000,2024-03-01,批复,\nZW-2,偿还,80000.50,2024-04-01,回单,\n";
const CLAIMS: &str =
    "claim_no,debtor,amount_yuan,arose_on,origin,note\nZQ-1,张三,3500,2021-01-01,借款,\n";
const RESOURCES: &str = "资源编号,资源类型,名称,面积（亩）,位置,状态,合同编号,备注\n\
ZY-01,耕地,东坡,12.5,村东,已发包,HT-101,\n\
ZY-04,机动地,北洼,35.6,村北,闲置,,\n\
ZY-05,机动地,河滩地,8,河西,无合同占用,,应补签合同收费\n";

async fn import(t: &TestApp, tok: &str, kind: &str, body: &[u8], file: &str) -> testkit::Response {
    let path = format!("/api/v1/villages/{VILLAGE_A}/ledger/import?kind={kind}&file={file}");
    t.api_upload(&path, tok, body.to_vec()).await
}

async fn load_all(t: &TestApp, tok: &str) {
    for (kind, body, created) in [
        ("contracts", contracts(), 3),
        ("debts", DEBTS.to_string(), 2),
        ("debt-actions", ACTIONS.to_string(), 2),
        ("claims", CLAIMS.to_string(), 1),
        ("resources", RESOURCES.to_string(), 3),
    ] {
        let r = import(t, tok, kind, body.as_bytes(), &format!("{kind}.csv")).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.body);
        assert_eq!(r.json()["created"], created, "{kind}");
    }
}

async fn good_files(t: TestApp) {
    let tok = t.token("accountant_a").await;
    // a dry run writes nothing
    let r = t
        .import_ledger(&tok, VILLAGE_A, "kind=contracts&dry_run=true", contracts())
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["dry_run"], true);
    assert_eq!(t.count("contracts").await, 0);
    load_all(&t, &tok).await;
    let s = t
        .api_json(
            &format!("/api/v1/villages/{VILLAGE_A}/ledger/summary"),
            &tok,
        )
        .await;
    assert_eq!(s["contracts"]["count"], 3);
    assert_eq!(s["debts"]["principal_fen"], 20_000_050);
    assert_eq!(s["debts"]["resolved_fen"], 10_000_050);
    assert_eq!(s["debts"]["progress_pct"], 50.0);
    // HT-102 paid one year of rent only: its arrears became a claim
    let claims = t
        .api_json(&format!("/api/v1/villages/{VILLAGE_A}/ledger/claims"), &tok)
        .await;
    let arrears = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["origin"] == "arrears:HT-102")
        .expect("arrears claim")
        .clone();
    assert_eq!(arrears["debtor"], "陈某");
    let owed = arrears["amount_fen"].as_i64().unwrap();
    assert!(owed >= 960_000 && owed % 960_000 == 0, "{owed}");
    assert_eq!(s["claims"]["amount_fen"], 350_000 + owed);
    assert_eq!(s["resources"]["count"], 3);
    assert_eq!(s["resources"]["area_mu"], 56.1);
    assert_eq!(s["resources"]["idle_count"], 1);
    assert_eq!(s["resources"]["occupied_without_contract_count"], 1);

    // XLSX with English headers
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["claim_no", "debtor", "amount_yuan", "arose_on"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "ZQ-2").unwrap();
    ws.write_string(1, 1, "赵六").unwrap();
    ws.write_number(1, 2, 1200.5).unwrap();
    ws.write_string(1, 3, "2022-02-02").unwrap();
    import(
        &t,
        &tok,
        "claims",
        &wb.save_to_buffer().unwrap(),
        "claims.xlsx",
    )
    .await
    .expect_status(StatusCode::OK);
    assert_eq!(t.count("claims").await, 3);
    assert!(t.count("audit_log WHERE action = 'ledger.import'").await >= 6);
}
both!(imports_good_files_of_each_kind, good_files);

async fn bad_rows(t: TestApp) {
    let tok = t.token("accountant_a").await;
    load_all(&t, &tok).await;
    let before: Vec<i64> = futures_counts(&t).await;
    // bad method (row 2), bad date (row 3), over-resolution (row 4: ZW-1 has 100,000 left)
    let actions = "debt_no,method,amount_yuan,acted_on\nZW-1,赖账,100,2024-05-01\nZW-1,核销,100,2024-02-30\nZW-1,偿还,100000.01,2024-05-01\nZW-1,偿还,10,2024-05-01\n";
    let r = import(&t, &tok, "debt-actions", actions.as_bytes(), "bad.csv")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let issues = r.json()["error"]["issues"].as_array().unwrap().clone();
    let at = r.issue_places();
    assert_eq!(
        at,
        [
            (2, "method".into()),
            (3, "acted_on".into()),
            (4, "amount_yuan".into())
        ],
        "{issues:?}"
    );
    assert!(
        issues[2]["message"]
            .as_str()
            .unwrap()
            .contains("化解金额超出剩余债务"),
        "{issues:?}"
    );
    assert!(issues.iter().all(|i| i["file"] == "bad.csv"));
    // duplicate number within the file (Chinese header named in the issue)
    let debts = "债务编号,债权人,本金（元）\nZW-9,甲,100\nZW-9,乙,200\n";
    let r = import(&t, &tok, "debts", debts.as_bytes(), "dup.csv")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let issue = &r.json()["error"]["issues"][0];
    assert_eq!(
        (issue["row"].as_i64(), issue["column"].as_str()),
        (Some(3), Some("债务编号"))
    );
    assert!(issue["message"].as_str().unwrap().contains("row 2"));
    // one bad contract among good ones: nothing written
    let bad = format!(
        "{}HT-104,出租车,某人,,,,,,2024-01-01,2023-01-01,100,,,,,\n",
        contracts()
    );
    import(&t, &tok, "contracts", bad.as_bytes(), "c.csv")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(futures_counts(&t).await, before, "nothing was written");
    assert_eq!(t.count("debts WHERE debt_no = 'ZW-9'").await, 0);
}
both!(bad_rows_are_refused_and_nothing_is_written, bad_rows);

async fn futures_counts(t: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for table in [
        "contracts",
        "contract_flags",
        "debts",
        "debt_actions",
        "claims",
        "claim_collections",
        "resources",
    ] {
        v.push(t.count(table).await);
    }
    v
}

async fn round_trip(t: TestApp) {
    let tok = t.token("cadre_a").await;
    load_all(&t, &tok).await;
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let before = snapshot(&t, &tok).await;
    let counts = futures_counts(&t).await;
    for kind in ["contracts", "debts", "debt-actions", "claims", "resources"] {
        let csv = t
            .api_get(&format!("{base}/export?kind={kind}&format=csv"), &tok)
            .await
            .expect_status(StatusCode::OK);
        let r = import(&t, &tok, kind, csv.body.as_bytes(), &format!("{kind}.csv")).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.body);
        assert_eq!(r.json()["created"], 0, "{kind}: re-import creates nothing");
    }
    // XLSX too, through the use case (bytes, not text)
    let actor = t.actor("cadre_a").await;
    // Both header rows (field names, Chinese names) read back to the same data.
    use app::ledger::export::Headers;
    for (kind, headers) in app::ledger::Kind::ALL
        .into_iter()
        .flat_map(|k| [(k, Headers::Fields), (k, Headers::Chinese)])
    {
        let (name, bytes) = app::ledger::export::export(
            &t.app,
            &actor,
            VILLAGE_A,
            kind,
            app::ledger::export::Format::Xlsx,
            headers,
        )
        .await
        .unwrap();
        let r = app::ledger::import::import(&t.app, &actor, VILLAGE_A, kind, &name, &bytes, false)
            .await
            .unwrap();
        assert_eq!(r.created, 0, "{kind:?}");
    }
    assert_eq!(futures_counts(&t).await, counts);
    assert_eq!(
        snapshot(&t, &tok).await,
        before,
        "export → re-import leaves data identical"
    );
    // the stored resident ID survived (masked on export, kept on re-import)
    assert_eq!(
        t.count("contracts WHERE counterparty_id_cipher IS NOT NULL")
            .await,
        2
    );
    // an edited export updates the record
    let csv = t
        .api_get(&format!("{base}/export?kind=debts&format=csv"), &tok)
        .await
        .body;
    let edited = csv.replace("县建筑公司", "县建筑总公司");
    let r = import(&t, &tok, "debts", edited.as_bytes(), "debts.csv").await;
    assert_eq!(r.json()["updated"], 2);
    assert_eq!(t.count("debts WHERE creditor = '县建筑总公司'").await, 1);
}
both!(export_then_reimport_round_trips, round_trip);

async fn snapshot(t: &TestApp, tok: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for k in [
        "contracts",
        "debts",
        "claims",
        "resources",
        "flags",
        "summary",
    ] {
        all.push(
            t.api_json(&format!("/api/v1/villages/{VILLAGE_A}/ledger/{k}"), tok)
                .await,
        );
    }
    all
}
