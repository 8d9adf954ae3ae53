//! Seed 000: 陈区村 cleans up its debts (23.58 million yuan) by write-off, accounting
//! adjustment, offset and repayment; irregular contracts are flagged (cadre-related first) and
//! followed up by rectification tasks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A};

const DEBTS: &str = "债务编号,债权人,本金（元）,发生日期,债务类别,备注\n\
ZW-001,县建筑公司,12000000,2012-05-01,工程欠款,\n\
ZW-002,信用社,8000000,2010-03-15,借款,\n\
ZW-003,村民集资,3580000,2014-09-30,集资,\n";

// The article states a total of 18,511,700 yuan but its parts sum to 18,511,900: the parts are used.
const ACTIONS: &str = "debt_no,method,amount_yuan,acted_on,evidence,note\n\
ZW-003,核销,2485000,2024-03-01,县农经站批复,\n\
ZW-002,账务调整,2975200,2024-04-10,调账凭证,\n\
ZW-001,以债抵债,10000000,2024-05-20,抵债协议,\n\
ZW-002,offset,2850000,2024-05-21,抵债协议,\n\
ZW-003,偿还,201700,2024-06-30,银行回单,\n";

pub fn contracts_csv() -> String {
    let id = testkit::resident_id("14058119700101001");
    format!(
        "contract_no,kind,counterparty,counterparty_id,subject,resource_no,area_mu,start_on,end_on,annual_rent_yuan,prepaid_years,paid_yuan,signed_on,procedure_ref,related_cadre\n\
HT-001,土地租赁,王建国,{id},东坡耕地,ZY-01,12.5,2020-01-01,2044-12-31,10000,,70000,2019-12-20,2019年12月村民代表会议纪要,否\n\
HT-002,商铺租赁,陈某（支书之弟）,,临街商铺,ZY-02,,2024-01-01,2028-12-31,6000,,0,2023-12-01,,是\n\
HT-003,坑塘,李四,{id},南坑塘,ZY-03,20,2023-01-01,2032-12-31,12000,,48000,2022-12-01,会议纪要2022-11,false\n"
    )
}

async fn scenario(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let r = t
        .api_upload(
            &format!("{base}/import?kind=debts&file=debts.csv"),
            &tok,
            DEBTS,
        )
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["created"], 3);
    let r = t
        .api_upload(&format!("{base}/import?kind=debt-actions"), &tok, ACTIONS)
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["created"], 5);

    let s = t.api_json(&format!("{base}/summary"), &tok).await;
    let d = &s["debts"];
    assert_eq!(s["village"], VILLAGE_A);
    assert_eq!(d["count"], 3);
    assert_eq!(d["principal_fen"], 2_358_000_000i64);
    assert_eq!(d["resolved_fen"], 1_851_190_000i64);
    assert_eq!(d["remaining_fen"], 506_810_000i64);
    assert_eq!(d["progress_pct"], 78.5);
    assert_eq!(d["by_method_fen"]["write_off"], 248_500_000i64);
    assert_eq!(d["by_method_fen"]["adjustment"], 297_520_000i64);
    assert_eq!(d["by_method_fen"]["offset"], 1_285_000_000i64);
    assert_eq!(d["by_method_fen"]["repayment"], 20_170_000i64);

    // one more yuan than remains on ZW-003 (3,580,000 − 2,686,700 = 893,300) is refused
    let debts = t.api_json(&format!("{base}/debts"), &tok).await;
    let zw3 = testkit::find(&debts, "debt_no", "ZW-003");
    assert_eq!(zw3["progress_pct"], 75.0);
    let path = format!("{base}/debts/{}/actions", zw3["id"]);
    let over = json!({"method": "repayment", "amount_yuan": "893301", "acted_on": "2024-07-01"});
    let r = t
        .api_post(&path, &tok, over)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["化解金额超出剩余债务"]);
    let exact = json!({"method": "偿还", "amount_yuan": "893300", "acted_on": "2024-07-01"});
    t.api_post(&path, &tok, exact)
        .await
        .expect_status(StatusCode::CREATED);
    let s = t.api_json(&format!("{base}/summary"), &tok).await;
    assert_eq!(s["debts"]["resolved_fen"], 1_851_190_000i64 + 89_330_000);

    // the ranking row of the village has the same figures as its summary
    let officer = t.token("township").await;
    let rows = t
        .api_json(
            "/api/v1/units/140581104/ledger/villages?sort=progress_pct&order=desc",
            &officer,
        )
        .await;
    let first = &rows.as_array().unwrap()[0];
    assert_eq!(first["village"], VILLAGE_A);
    assert_eq!(first["debts"], s["debts"]);
}
both!(seed_000_debt_resolution_reaches_78_5_percent, scenario);

async fn flags_and_rectification(t: TestApp) {
    let tok = t.token("cadre_a").await;
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    t.api_upload(
        &format!("{base}/import?kind=contracts"),
        &tok,
        contracts_csv(),
    )
    .await
    .expect_status(StatusCode::OK);
    let list = t.api_json(&format!("{base}/contracts"), &tok).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // the cadre-related contract comes first, its related_cadre flag first among its flags
    assert_eq!(list[0]["contract_no"], "HT-002");
    assert_eq!(list[0]["flags"][0]["code"], "related_cadre");
    assert_eq!(list[0]["counterparty_id"], "");
    let codes = |no: &str| -> Vec<String> {
        list.iter().find(|c| c["contract_no"] == no).unwrap()["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        codes("HT-001").contains(&"lease_over_20_years".to_string()),
        "{:?}",
        codes("HT-001")
    );
    assert!(codes("HT-002").contains(&"missing_party_id".to_string()));
    assert!(!codes("HT-001").contains(&"missing_party_id".to_string()));
    // 12,000 yuan for 20 mu is 600/mu, the pond reference: no flag
    assert!(!codes("HT-003").contains(&"rent_below_reference".to_string()));
    let masked =
        list.iter().find(|c| c["contract_no"] == "HT-001").unwrap()["counterparty_id"].clone();
    assert!(
        masked.as_str().unwrap().contains('*'),
        "ID never in clear: {masked}"
    );

    let flags = t.api_json(&format!("{base}/flags"), &tok).await;
    let flags = flags.as_array().unwrap();
    assert_eq!(flags[0]["code"], "related_cadre");
    let id = flags[0]["id"].as_i64().unwrap();
    let path = format!("{base}/flags/{id}");
    t.api_put(&path, &tok, json!({"status": "waived", "reason": ""}))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    t.api_put(
        &path,
        &tok,
        json!({"status": "open", "deadline": "2025-06-30", "evidence": "已约谈"}),
    )
    .await
    .expect_status(StatusCode::OK);
    t
        .api_put(&path, &tok, json!({"status": "waived", "reason": "经乡镇纪委核查，已公开并回避表决", "evidence": "公示照片"}))
        .await.expect_status(StatusCode::OK);
    t.api_put(&path, &tok, json!({"status": "open"}))
        .await
        .expect_status_because(
            StatusCode::UNPROCESSABLE_ENTITY,
            "closed tasks do not reopen",
        );
    let flags = t.api_json(&format!("{base}/flags"), &tok).await;
    let f = testkit::find(&flags, "id", id).clone();
    assert_eq!(
        (f["status"].as_str(), f["deadline"].as_str()),
        (Some("waived"), Some("2025-06-30"))
    );

    // recompute keeps the waived task; HT-002 still has an open missing_party_id flag
    t.api_post_empty(&format!("{base}/recompute"), &tok)
        .await
        .expect_status(StatusCode::OK);
    let flags = t.api_json(&format!("{base}/flags"), &tok).await;
    assert!(flags
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id && f["status"] == "waived"));
    let s = t.api_json(&format!("{base}/summary"), &tok).await;
    assert_eq!(s["contracts"]["count"], 3);
    assert_eq!(s["contracts"]["flags_by_code"]["related_cadre"], 1);
    assert_eq!(s["contracts"]["annual_rent_fen"], 2_800_000);
    let audits = t
        .count("audit_log WHERE action = 'ledger.flag.update'")
        .await;
    assert_eq!(audits, 2);
}
both!(contract_flags_and_rectification, flags_and_rectification);
