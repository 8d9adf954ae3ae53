//! Hostile files through the HTTP API and pages (issue 7, findings 3b and 4): refused with 422
//! naming the file, long refusals capped, over-long text refused, CSV exports that cannot run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A};

fn huge_dimension_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "户号").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

async fn huge_dimension_upload_is_refused_with_422(t: TestApp) {
    let bytes = huge_dimension_xlsx();
    assert!(bytes.len() < 10_000);
    let token = t.token("cadre_a").await;
    let res = t
        .import_households(&token, VILLAGE_A, "big.xlsx", bytes.clone())
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let issues = res.json()["error"]["issues"].clone();
    assert_eq!(issues[0]["file"], "big.xlsx");
    assert_eq!(issues[0]["row"], 1_048_576);
    let s = t.login("cadre_a").await;
    let res = t
        .post_file(
            &format!("/households/import?village={VILLAGE_A}"),
            &s,
            "big.xlsx",
            &bytes,
            &[],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(&["big.xlsx:1048576:-: 数据超过 300000 行，请拆分文件"]);
    // The ledger import reads through the same guard.
    let tok = t.token("accountant_a").await;
    t.import_ledger(&tok, VILLAGE_A, "kind=debts&file=big.xlsx", bytes)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.count("households").await, 0);
}
both!(
    huge_dimension_upload,
    huge_dimension_upload_is_refused_with_422
);

async fn a_refusal_lists_100_problems_and_counts_the_rest(t: TestApp) {
    // 146,067 rows with a bad phone number, all of one household.
    let mut csv = String::from("户号,户主姓名,联系电话\n");
    for _ in 0..146_067 {
        csv.push_str("1,张三,123\n");
    }
    let token = t.token("cadre_a").await;
    let res = t
        .import_households(&token, VILLAGE_A, "many.csv", csv)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let err = res.json()["error"].clone();
    let issues = err["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 101);
    assert_eq!(issues[0]["row"], 2);
    assert_eq!(issues[100]["more"], 145_967);
    assert_eq!(
        err["message_en"],
        "the import was refused: 146067 problem(s), nothing was written"
    );
    assert_eq!(
        err["message_zh"],
        "导入被拒绝：共 146067 个问题，未写入任何数据"
    );
    assert_eq!(err["reason"], "import_refused");
}
both!(
    refusal_is_capped,
    a_refusal_lists_100_problems_and_counts_the_rest
);

async fn a_megabyte_of_text_is_refused(t: TestApp) {
    let token = t.token("cadre_a").await;
    let mb = "村".repeat(350_000);
    for field in ["address", "notes", "head_name"] {
        let mut body =
            json!({"village_code": VILLAGE_A, "household_no": "77", "head_name": "张三"});
        body[field] = json!(mb);
        let res = t.api_post("/api/v1/households", &token, body).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(
            res.json()["error"]["fields"][0]["field"],
            field,
            "{}",
            res.body
        );
    }
    let csv = format!("户号,户主姓名,地址\n1,张三,{mb}\n");
    let res = t
        .import_households(&token, VILLAGE_A, "long.csv", csv)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let issue = &res.json()["error"]["issues"][0];
    assert_eq!(issue["message_en"], "longer than 2000 characters");
    assert_eq!(issue["message_zh"], "内容过长：超过 2000 个字");
    assert_eq!(t.count("households").await, 0);
    // Grids: names and leaders too, on creation and on rename.
    let actor = t.actor("cadre_a").await;
    let err = app::registry::grids::create(&t.app, &actor, VILLAGE_A, "一组", &mb)
        .await
        .unwrap_err();
    assert!(
        matches!(err, app::AppError::Invalid(ref f) if f[0].field == "leader"),
        "{err}"
    );
    let grid = app::registry::grids::create(&t.app, &actor, VILLAGE_A, "一组", "王组长")
        .await
        .unwrap();
    let err = app::registry::grids::update(&t.app, &actor, &grid.code, &mb, "")
        .await
        .unwrap_err();
    assert!(
        matches!(err, app::AppError::Invalid(ref f) if f[0].field == "name"),
        "{err}"
    );
}
both!(megabyte_text, a_megabyte_of_text_is_refused);

async fn utf16_without_bom_imports(t: TestApp) {
    let text = "户号,户主姓名,地址\n001,张三,一组1号\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let token = t.token("cadre_a").await;
    let res = t
        .import_households(&token, VILLAGE_A, "u16.csv", le)
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(res.json()["households"], 1);
}
both!(utf16_import, utf16_without_bom_imports);

async fn csv_export_cannot_run_and_round_trips(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let debtor = "=HYPERLINK(\"http://evil.example\",\"点击\")";
    let claims = format!(
        "claim_no,debtor,amount_yuan,arose_on,origin,note\nZQ-1,\"{}\",3500,2021-01-01,+86 借款,@note\n",
        debtor.replace('"', "\"\"")
    );
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    t.api_upload(
        &format!("{base}/import?kind=claims&file=c.csv"),
        &tok,
        claims,
    )
    .await
    .expect_status(StatusCode::OK);
    let csv = t
        .api_get(&format!("{base}/export?kind=claims&format=csv"), &tok)
        .await
        .expect_status(StatusCode::OK);
    let line = csv.body.lines().nth(1).unwrap().to_string();
    assert!(line.contains("\"'=HYPERLINK("), "{line}");
    assert!(line.contains(",'+86 借款,'@note"), "{line}");
    assert!(line.contains(",3500"), "amounts stay numbers: {line}");
    // Re-importing the export changes nothing: the guard comes off again.
    let res = t
        .api_upload(
            &format!("{base}/import?kind=claims&file=c.csv"),
            &tok,
            csv.body.clone(),
        )
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(res.json()["created"], 0);
    assert_eq!(
        t.count(&format!(
            "claims WHERE debtor = '{}'",
            debtor.replace('\'', "''")
        ))
        .await,
        1
    );
}
both!(
    csv_export_neutralised,
    csv_export_cannot_run_and_round_trips
);
