//! Regressions from the code review of the registry: each test failed before its fix.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::AppError;
use axum::http::StatusCode;
use domain::access::Role;
use serde_json::json;
use testkit::{both, resident_id, TestApp, COUNTY, PASSWORD, TOWNSHIP, VILLAGE_A};

async fn unit_admins_cannot_mint_national_accounts(t: TestApp) {
    t.add_account("county_admin", Role::Admin, COUNTY).await;
    let actor = t.actor("county_admin").await;
    let new = app::accounts::NewUser {
        username: "national2".into(),
        display_name: "x".into(),
        password: "long-enough-1".into(),
        role: Role::Admin,
        unit_code: None,
    };
    let err = app::accounts::add_user(&t.app, &actor, new.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    // The national administrator still can.
    let national = t.actor("admin").await;
    assert!(app::accounts::add_user(&t.app, &national, new)
        .await
        .is_ok());
}
both!(unit_admins_cannot_mint_national_accounts);

async fn grid_members_file_households_only_in_their_grids_village(t: TestApp) {
    let admin = t.token("admin").await;
    let grid = t
        .new_grid(&admin, VILLAGE_A, json!({"name": "一网格"}))
        .await;
    let grid_code = grid["code"].as_str().unwrap().to_string();
    t.add_account("gm1", Role::GridMember, &grid_code).await;
    let gm = t.token("gm1").await;
    // Claiming the township (a prefix of the grid code) as the village is refused.
    let res = t.api_post("/api/v1/households", &gm, json!({"village_code": TOWNSHIP, "grid_code": grid_code, "household_no": "G1", "head_name": "甲"})).await;
    assert!(res.status.is_client_error(), "{}", res.body);
    assert_eq!(t.count("households").await, 0);
    // The real village with the grid is accepted.
    t.new_household(&gm, json!({"village_code": VILLAGE_A, "grid_code": grid_code, "household_no": "G1", "head_name": "甲"})).await;
}
both!(grid_members_file_households_only_in_their_grids_village);

async fn hostile_query_strings_are_refused_not_panics(t: TestApp) {
    let admin = t.token("admin").await;
    t.api_get(
        "/api/v1/audit?to=%2B262143-12-31&from=%2B262143-12-31",
        &admin,
    )
    .await
    .expect_status(StatusCode::OK);
    t.api_get("/api/v1/audit?page=9223372036854775807", &admin)
        .await
        .expect_status(StatusCode::OK);
    let res = t
        .api_get("/api/v1/households?page=9223372036854775807", &admin)
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(res.json()["items"], json!([]));
    let res = t
        .api_get("/api/v1/households?tag=%25", &admin)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["fields"][0]["field"], "tag");
}
both!(hostile_query_strings_are_refused_not_panics);

async fn editing_a_member_keeps_numbers_left_empty(t: TestApp) {
    let token = t.token("cadre_a").await;
    let id = resident_id("14058119850505051");
    let h = t.api_post("/api/v1/households", &token, json!({"village_code": VILLAGE_A, "household_no": "K1", "head_name": "张三", "members": [{"name": "张三", "resident_id": id, "phone": "13800001111"}]})).await.json();
    let (hid, mid) = (
        h["id"].as_i64().unwrap(),
        h["members"][0]["id"].as_i64().unwrap(),
    );
    let s = t.login("cadre_a").await;
    t.post_fields(
        &format!("/households/{hid}/members/{mid}"),
        &s,
        "name=张三丰&relation=户主&resident_id=&phone=",
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let after = t
        .api_json(&format!("/api/v1/households/{hid}"), &token)
        .await;
    assert_eq!(after["members"][0]["name"], "张三丰");
    assert_eq!(after["members"][0]["phone"], "138****1111");
    let full = t.reveal(&token, hid, mid, "resident_id").await;
    assert_eq!(full["value"], id);
    // The search form posts, so a full ID typed in it never travels in a URL; the result page
    // does not repeat it in its links either.
    let home = t.get("/households", &s).await;
    assert!(home
        .body
        .contains("form method=\"post\" action=\"/households\""));
    // It then redirects (Back and refresh resend nothing) to an address holding the ID only
    // sealed, which works for this account and no other.
    let posted = t
        .post_form("/households", &s, &[("q", &id)])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let to = posted.location();
    assert!(to.contains("qx=") && !to.contains(&id), "{to}");
    let page = t.page(&to, &s).await;
    assert!(page.body.contains(&format!("href=\"/households/{hid}\"")));
    assert!(
        !page.body.contains(&format!("q={id}")),
        "ID repeated in a link"
    );
    let other = t.login("cadre_a2").await;
    let theirs = t.page(&to, &other).await;
    // (The sealed token itself is random text that may contain any letters: look for the
    // household's link, not its number.)
    assert!(
        !theirs.body.contains(&format!("href=\"/households/{hid}\"")),
        "a sealed search works only for its account"
    );
    // Nothing found: the page says what was searched, an ID only masked.
    let unknown = resident_id("14058119991231009");
    let posted = t.post_form("/households", &s, &[("q", &unknown)]).await;
    let none = t.get(&posted.location(), &s).await;
    none.assert_contains(&["没有找到“"]);
    assert!(
        !none.body.contains(&format!("“{unknown}”")),
        "the ID is masked"
    );
    let name = t
        .post_form("/households", &s, &[("q", "K1")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert!(name.location().contains("q=K1"), "{}", name.location());
    // A role without the right gets 403 on reveal, not a silent 404.
    t.add_account("viewer_bank", Role::BankOfficer, VILLAGE_A)
        .await;
    let bank = t.login("viewer_bank").await;
    t.post_form(
        &format!("/households/{hid}/members/{mid}/reveal"),
        &bank,
        &[],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
}
both!(editing_a_member_keeps_numbers_left_empty);

async fn changing_a_password_ends_other_sessions_only(t: TestApp) {
    let here = t.login("cadre_a").await;
    let elsewhere = t.login("cadre_a").await;
    let logins_before = t.count("sessions").await;
    t.post_fields(
        "/account",
        &here,
        "current=wrong-one&password=new-password-2-for-cadre",
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.count("sessions").await,
        logins_before,
        "checking the password opens no session"
    );
    t.post_form(
        "/account",
        &here,
        &[
            ("current", PASSWORD),
            ("password", "new-password-2-for-cadre"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    t.get("/", &here)
        .await
        .expect_status_because(StatusCode::OK, "this browser stays logged in");
    t.get("/", &elsewhere)
        .await
        .expect_status_because(StatusCode::SEE_OTHER, "the other session ended");
    t.try_login("cadre_a", "new-password-2-for-cadre")
        .await
        .expect_status(StatusCode::SEE_OTHER);
}
both!(changing_a_password_ends_other_sessions_only);

/// Choices are chosen, not typed: sex is a select (男/女), dates use the date picker.
async fn forms_offer_choices_and_date_pickers(t: TestApp) {
    let s = t.login("cadre_a").await;
    let created = t
        .post_form(
            &format!("/households/new?village={VILLAGE_A}"),
            &s,
            &[("household_no", "S1"), ("head_name", "选择测试")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let file_path = created.location();
    let file_path = file_path.split('?').next().unwrap().to_string();
    let file = t.get(&file_path, &s).await;
    file.assert_contains(&[
        "<select id=\"sex\" name=\"sex\"",
        "name=\"birth_date\" type=\"date\"",
    ]);
    // The select's value is what the server reads as a sex.
    t.post_fields(
        &format!("{file_path}/members"),
        &s,
        "name=林女士&relation=配偶&sex=女&birth_date=1980-02-29",
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let file = t.get(&file_path, &s).await;
    file.assert_contains(&["<td>女</td>"]);
}
both!(forms_offer_choices_and_date_pickers);
