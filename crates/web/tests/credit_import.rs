//! Score records import from XLSX with Chinese headers: all-or-nothing, problems located as
//! file:row:column, fairness applied to every row, heavy items pending.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{declare, households, open_round};
use rust_xlsxwriter::Workbook;
use testkit::{TestApp, VILLAGE_A};

fn xlsx(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["户号", "项目代码", "发生日期", "佐证材料"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn import_xlsx(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    let url = format!("/api/v1/credit/rounds/{round}/records/import?file=records.xlsx");

    let bad = xlsx(&[
        ["001", "SV01", "2024-04-02", "签到表"],
        ["004", "SV01", "2024-04-02", ""],
        ["002", "ZZ99", "2024-02-30", ""],
    ]);
    let r = t.api_upload(&url, &cadre, bad).await.expect_status(422);
    let located = r.issue_places();
    assert_eq!(
        located,
        vec![
            (3, "户号".to_string()),
            (4, "项目代码".to_string()),
            (4, "发生日期".to_string())
        ]
    );
    assert_eq!(t.count("credit_records").await, 0, "all or nothing");

    // The importer declared household 003 as a relation: its rows are refused.
    declare(&t, &cadre, ids[2], "relation")
        .await
        .expect_status(201);
    let r = t
        .api_upload(&url, &cadre, xlsx(&[["003", "SV01", "2024-04-02", ""]]))
        .await
        .expect_status(422);
    r.assert_contains(&["relation"]);

    let ok = xlsx(&[
        ["001", "SV01", "2024-04-02", "签到表"],
        ["001", "HR01", "2024-05-01", "还款凭证"],
        ["002", "EN05", "2024/4/20", ""],
    ]);
    t.api_upload(&format!("{url}&dry_run=true"), &cadre, ok.clone())
        .await
        .expect_status(200);
    assert_eq!(t.count("credit_records").await, 0, "dry run writes nothing");
    let r = t.api_upload(&url, &cadre, ok).await.expect_status(200);
    assert_eq!(
        (r.json()["records"].as_i64(), r.json()["pending"].as_i64()),
        (Some(3), Some(1))
    );
    let b = t
        .api_json(
            &format!("/api/v1/credit/rounds/{round}/households/{}", ids[1]),
            &cadre,
        )
        .await;
    assert_eq!(b["breakdown"]["total"], 55);
    assert_eq!(
        b["records"][0]["evidence"], "records.xlsx:4",
        "the file row stands in for missing evidence"
    );
}
testkit::both!(score_records_from_xlsx, import_xlsx);

async fn documented(t: TestApp) {
    let doc = t.get_public("/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/units/{code}/credit/summary",
        "/api/v1/credit/rounds/{id}/records/import",
        "/api/v1/credit/redemptions",
        "/api/v1/credit/objections/{id}/resolve",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}
testkit::both!(credit_api_is_documented, documented);
