//! Household and division imports: all-or-nothing, every bad row reported as file:row:column,
//! resident IDs never stored in clear.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::Actor;
use axum::http::StatusCode;
use testkit::{both, resident_id, Backend, Session, TestApp, VILLAGE_A};

fn good_csv() -> String {
    let (a, b, c) = (
        resident_id("14058119700203001"),
        resident_id("14058119720405002"),
        resident_id("14058120000101003"),
    );
    format!(
        "户号*,户主姓名,地址,标签,成员姓名,与户主关系,性别,出生日期,身份证号,联系电话\n\
         001,张三明,一组1号,党员户,张三明,户主,男,1970-02-03,{a},13812345678\n\
         001,张三明,,,李秀英,配偶,女,,{b},\n\
         002,王五,二组3号,低保户;五保户,王五,户主,,,{c},0356-5221234\n"
    )
}

/// Households and members in the database.
async fn counts(t: &TestApp) -> (i64, i64) {
    (t.count("households").await, t.count("members").await)
}

/// Imports [`good_csv`] through the page, expected to answer 200.
async fn import_good(t: &TestApp, s: &Session, extra: &[(&str, &str)]) {
    let path = format!("/households/import?village={VILLAGE_A}");
    t.post_file(&path, s, "h.csv", good_csv().as_bytes(), extra)
        .await
        .expect_status(StatusCode::OK);
}

async fn bad_file_imports_nothing_and_names_every_bad_row(t: TestApp) {
    let s = t.login("cadre_a").await;
    // A valid ID with its check character changed.
    let valid = resident_id("14058119700203001");
    let wrong = format!(
        "{}{}",
        &valid[..17],
        if valid.ends_with('1') { '2' } else { '1' }
    );
    let csv = format!(
        "household_no,head_name,member_name,relation,birth_date,resident_id\n\
         001,张三明,张三明,户主,,{}\n\
         002,王五,王五,户主,,{wrong}\n\
         003,赵六,赵六,户主,1980-02-30,\n",
        resident_id("14058119650101004")
    );
    let before = counts(&t).await;
    let res = t
        .post_file(
            &format!("/households/import?village={VILLAGE_A}"),
            &s,
            "bad.csv",
            csv.as_bytes(),
            &[],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // In the reader's language only (Chinese by default), each problem still placed as
    // file:row:column.
    res.assert_contains(&["bad.csv:3:resident_id: 身份证号校验位不正确"]);
    assert!(
        res.body
            .contains("bad.csv:4:birth_date: “1980-02-30”不是有效日期"),
        "{}",
        res.body
    );
    assert!(!res.body.contains("check digit is wrong"), "{}", res.body);
    assert_eq!(counts(&t).await, before, "nothing written");

    // The API reports the same, as JSON.
    let token = t.token("cadre_a").await;
    let res = t
        .import_households(&token, VILLAGE_A, "bad.csv", csv)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let places = res.issue_places();
    assert_eq!(
        places,
        vec![
            (3, "resident_id".to_string()),
            (4, "birth_date".to_string())
        ]
    );
    assert_eq!(counts(&t).await, before);
}
both!(bad_file_imports_nothing_and_names_every_bad_row);

async fn good_file_imports_all_and_reimport_updates(t: TestApp) {
    let s = t.login("cadre_a").await;
    // Dry run: checks, writes nothing.
    import_good(&t, &s, &[("dry_run", "1")]).await;
    assert_eq!(t.count("households").await, 0);
    import_good(&t, &s, &[]).await;
    assert_eq!(counts(&t).await, (2, 3));
    let token = t.token("cadre_a").await;
    let list = t.api_json("/api/v1/households?q=张三明", &token).await;
    assert_eq!(list["total"], 1);
    let h = t
        .api_json(
            &format!("/api/v1/households/{}", list["items"][0]["id"]),
            &token,
        )
        .await;
    assert_eq!(h["tags"], serde_json::json!(["party_member"]));
    assert_eq!(h["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        h["members"][1]["birth_date"], "1972-04-05",
        "birth date taken from the ID"
    );
    assert_eq!(h["members"][1]["sex"], "female");
    // A full resident ID finds the household through the keyed hash.
    let by_id = t
        .api_json(
            &format!("/api/v1/households?q={}", resident_id("14058119720405002")),
            &token,
        )
        .await;
    assert_eq!(by_id["total"], 1);
    let by_post = t
        .api_post(
            "/api/v1/households/search",
            &token,
            serde_json::json!({"q": resident_id("14058119720405002")}),
        )
        .await
        .json();
    assert_eq!(by_post["total"], 1);
    // Re-importing the same file updates in place: no duplicates.
    import_good(&t, &s, &[]).await;
    assert_eq!(counts(&t).await, (2, 3));
}
both!(good_file_imports_all_and_reimport_updates);

async fn xlsx_imports_like_csv(t: TestApp) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        ["household_no", "head_name", "head_id", "address"],
        ["X01", "刘备", &resident_id("14058119610101005"), "三组"],
        ["X02", "关羽", &resident_id("14058119620202006"), "三组"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let report = app::registry::household_import::import(
        &t.app,
        &Actor::cli(),
        VILLAGE_A,
        "h.xlsx",
        &bytes,
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        (report.households, report.members, report.created),
        (2, 2, 2)
    );
}
both!(xlsx_imports_like_csv);

/// The raw SQLite files (database and write-ahead log) never hold a resident ID in clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_holds_no_resident_id_in_clear() {
    let t = TestApp::new(Backend::Sqlite).await.unwrap();
    app::registry::household_import::import(
        &t.app,
        &Actor::cli(),
        VILLAGE_A,
        "h.csv",
        good_csv().as_bytes(),
        false,
    )
    .await
    .unwrap();
    let path = t.db.url.trim_start_matches("sqlite://").to_string();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("张三明"),
        "the file was read (names are not secret)"
    );
    for id in [
        resident_id("14058119700203001"),
        resident_id("14058119720405002"),
        resident_id("14058120000101003"),
    ] {
        assert!(!text.contains(&id), "resident ID {id} found in clear");
        assert!(
            !text.contains(&id[..14]),
            "ID prefix with birth date found in clear"
        );
    }
    assert!(
        !text.contains("13812345678"),
        "phone numbers are encrypted too"
    );
}

async fn units_reimport_is_idempotent(t: TestApp) {
    let before = t.count("units").await;
    assert!(before > 1000, "the sample is loaded: {before}");
    let again = app::registry::units::import_division_files(
        &t.app,
        &Actor::cli(),
        &app::demo::division_files(),
    )
    .await
    .unwrap();
    assert_eq!((again.added, again.updated), (0, 0));
    assert_eq!(again.unchanged, again.rows);
    assert_eq!(t.count("units").await, before);
    // A renamed village and a new one: one update, one addition, still no duplicates.
    let files = vec![("villages.csv".to_string(), "code,name,streetCode,provinceCode,cityCode,areaCode\n140581104201,\"陈区村\",140581104,14,1405,140581\n140581104299,\"新村\",140581104,14,1405,140581\n".as_bytes().to_vec())];
    let r = app::registry::units::import_division_files(&t.app, &Actor::cli(), &files)
        .await
        .unwrap();
    assert_eq!((r.added, r.updated), (1, 1));
    assert_eq!(t.count("units").await, before + 1);
    // A bad row is reported with its place and nothing changes.
    let bad = vec![("villages.csv".to_string(), "code,name,streetCode,provinceCode,cityCode,areaCode\n1405811042,\"坏\",140581104,14,1405,140581\n".as_bytes().to_vec())];
    let err = app::registry::units::import_division_files(&t.app, &Actor::cli(), &bad)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("1 problem"), "{err}");
    if let app::AppError::Import(issues) = err {
        assert_eq!(issues[0].line(false), "villages.csv:2:code: unit code '1405811042' has 10 digits; expected 2, 4, 6, 9, 12, 15 or 18");
    }
    assert_eq!(t.count("units").await, before + 1);
}
both!(units_reimport_is_idempotent);

async fn each_problem_is_reported_once(t: TestApp) {
    let csv = "household_no,head_name,head_id\n9,李,140581197002030019\n10,王,1405811970\n";
    let issues = testkit::import_issues(
        app::registry::household_import::import(
            &t.app,
            &Actor::cli(),
            VILLAGE_A,
            "bad.csv",
            csv.as_bytes(),
            false,
        )
        .await,
    );
    let lines: Vec<String> = issues.iter().map(|i| i.line(false)).collect();
    assert_eq!(
        lines,
        vec![
            "bad.csv:2:head_id: resident ID check digit is wrong (expected 8, found 9)".to_string(),
            "bad.csv:3:head_id: resident ID must have 18 characters, this one has 10".to_string(),
        ]
    );
}
both!(each_problem_is_reported_once);
