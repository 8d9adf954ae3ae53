//! Issue 7, findings 5, 6 and 7: objectors' contacts stored encrypted and shown masked;
//! refusals of a taken resident ID or household number say only what the actor's scope allows
//! (neutral and audited outside it); control characters and non-object JSON bodies refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::http::StatusCode;
use credit_support::round_in_publicity;
use domain::access::Role;
use serde_json::json;
use sqlx::Row;
use testkit::{both, resident_id, TestApp, VILLAGE_A, VILLAGE_B};

async fn objection_contacts_are_encrypted_and_masked(t: TestApp) {
    let (cadre, round, _) = round_in_publicity(&t, 1).await;
    let csrf = t.public_csrf(VILLAGE_A).await;
    let r = t
        .post_objection(VILLAGE_A, &csrf, "001", "13800001234", "修路义务劳动未记分")
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);

    // Stored like a phone: no plain text in the database.
    let row =
        sqlx::query("SELECT id, contact, contact_cipher, contact_masked FROM credit_objections")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    let id: i64 = row.get(0);
    assert_eq!(row.get::<String, _>(1), "");
    let cipher: String = row.get(2);
    assert!(!cipher.is_empty() && !cipher.contains("13800001234"));
    assert_eq!(row.get::<String, _>(3), "138****1234");

    // Shown masked to cadres, API and page alike.
    let list = t
        .api_get(&format!("/api/v1/credit/rounds/{round}/objections"), &cadre)
        .await
        .expect_status(200);
    assert!(list.body.contains("138****1234") && !list.body.contains("13800001234"));
    let page = t
        .get(
            &format!("/credit/rounds/{round}/objections"),
            &t.login("cadre_a").await,
        )
        .await;
    assert!(page.body.contains("138****1234") && !page.body.contains("13800001234"));
    // In full only on an audited reveal.
    let s = t.login("cadre_a").await;
    let full = t
        .post_form(&format!("/credit/objections/{id}/contact"), &s, &[])
        .await
        .expect_status(StatusCode::OK);
    full.assert_contains(&["13800001234"]);
    assert_eq!(t.audit_count("credit.objection.reveal_contact").await, 1);

    // A row filed before contacts were encrypted is sealed by the step run after migrating.
    t.execute("UPDATE credit_objections SET contact = '0356-5221234', contact_cipher = NULL, contact_masked = ''", &[]).await;
    let sealed = app::credit::objection_contacts::seal_plain_contacts(&t.app).await;
    assert_eq!(sealed.ok(), Some(1));
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM credit_objections WHERE contact <> ''")
            .await,
        0
    );
    let full = app::credit::objection_contacts::reveal(&t.app, &t.actor("cadre_a").await, id).await;
    assert_eq!(full.ok().as_deref(), Some("0356-5221234"));
}
both!(objection_contacts_are_encrypted_and_masked);

async fn refusals_say_only_what_the_scope_allows(t: TestApp) {
    let id = resident_id("14058119800101011");
    let cadre_a = t.token("cadre_a").await;
    let (a1, _) = t
        .household_with_member(&cadre_a, VILLAGE_A, "A1", "张三", &id)
        .await;

    // Another village's cadre tries the ID: refused, without saying where or that it exists.
    let cadre_b = t.token("cadre_b").await;
    for (path, body) in [(
        "/api/v1/households".to_string(),
        json!({"village_code": VILLAGE_B, "household_no": "B1", "head_name": "李四", "members": [{"name": "李四", "resident_id": id}]}),
    )] {
        let r = t
            .api_post(&path, &cadre_b, body)
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        r.assert_contains(&["cannot be registered here"]);
        for leak in ["another village", "already registered", VILLAGE_A, "A1"] {
            assert!(!r.body.contains(leak), "'{leak}' in {}", r.body);
        }
    }
    let b1 = t.add_household(&cadre_b, VILLAGE_B, "B1", "李四").await;
    let members = format!("/api/v1/households/{b1}/members");
    let member = json!({"name": "李五", "resident_id": id});
    let r = t
        .api_post(&members, &cadre_b, member)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("cannot be registered here") && !r.body.contains("A1"),
        "{}",
        r.body
    );
    // Both attempts are on record, though the writes were refused.
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'member.id_refused'";
    assert_eq!(t.scalar(audited).await, 2);
    assert_eq!(t.scalar("SELECT COUNT(*) FROM members").await, 1);

    // Inside one's scope the refusal is specific.
    let a2 = t.add_household(&cadre_a, VILLAGE_A, "A2", "王五").await;
    let members = format!("/api/v1/households/{a2}/members");
    let member = json!({"name": "王五", "resident_id": id});
    let r = t
        .api_post(&members, &cadre_a, member)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["already registered in household A1"]);
    assert_eq!(t.scalar(audited).await, 2);

    // A grid member: numbers outside its grid get the neutral answer, inside the plain one.
    let cli = app::Actor::cli();
    let g = app::registry::grids::create(&t.app, &cli, VILLAGE_A, "一网格", "")
        .await
        .unwrap();
    app::registry::grids::assign(&t.app, &cli, Some(&g.code), &[a2])
        .await
        .unwrap();
    t.add_account("grid_a", Role::GridMember, &g.code).await;
    let grid = t.token("grid_a").await;
    let try_no = |no: &str| json!({"village_code": VILLAGE_A, "grid_code": g.code, "household_no": no, "head_name": "赵六"});
    let outside = t
        .api_post("/api/v1/households", &grid, try_no("A1"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    outside.assert_lacks(&["already used"]);
    outside.assert_contains(&["cannot be used here"]);
    assert_eq!(t.audit_count("household.number_refused").await, 1);
    let inside = t.api_post("/api/v1/households", &grid, try_no("A2")).await;
    inside.assert_contains(&["already used in the village"]);
    // The grid member's ID test against a household outside its grid is neutral too.
    let r = t
        .api_post(
            &format!("/api/v1/households/{a2}/members"),
            &grid,
            json!({"name": "张三", "resident_id": id}),
        )
        .await;
    assert!(
        r.body.contains("cannot be registered here") && !r.body.contains("A1"),
        "{}",
        r.body
    );
    let _ = a1;
}
both!(refusals_say_only_what_the_scope_allows);

async fn control_characters_and_non_objects_are_refused(t: TestApp) {
    let cadre = t.token("cadre_a").await;
    let hh = |no: &str, head: &str, notes: &str| json!({"village_code": VILLAGE_A, "household_no": no, "head_name": head, "notes": notes});
    for (body, field) in [
        (hh("A\u{0}1", "张三", ""), "household_no"),
        (hh("A\u{1b}[2J", "张三", ""), "household_no"),
        (hh("A1", "张\u{7}三", ""), "head_name"),
        (hh("A1", "张\u{202e}三", ""), "head_name"),
        (hh("A1", "张三", "x\u{8}y"), "notes"),
    ] {
        let r = t
            .api_post("/api/v1/households", &cadre, body)
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["fields"][0]["field"], field, "{}", r.body);
    }
    assert_eq!(t.count("households").await, 0);
    // Free text keeps its line breaks and tabs.
    let r = t
        .new_household(&cadre, hh("A1", "张三", "第一行\r\n第二行\t完"))
        .await;
    let hid = r.json()["id"].as_i64().unwrap();
    t.api_post(
        &format!("/api/v1/households/{hid}/members"),
        &cadre,
        json!({"name": "李\u{0}四"}),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .api_post(
            &format!("/api/v1/villages/{VILLAGE_A}/ledger/debts"),
            &cadre,
            json!({"debt_no": "D\u{1}1", "creditor": "某公司", "principal_yuan": "100"}),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["debt_no"]);

    // A credit profile is not reset by a body that is not an object.
    let path = format!("/api/v1/households/{hid}/credit-profile");
    let good = json!({"labour": 2, "industry": "种植", "income_band": "", "loans": "", "repayment": "", "consent_to_share": true});
    t.api_put(&path, &cadre, good)
        .await
        .expect_status(StatusCode::OK);
    for bad in [
        json!([]),
        json!([2, "x"]),
        json!("x"),
        json!(7),
        json!(null),
    ] {
        let r = t.api_put(&path, &cadre, bad.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert_eq!(
            r.json()["error"]["code"],
            "invalid",
            "JSON error from the one mapper"
        );
    }
    t
        .api_put(&path, &cadre, json!({"labour": 1, "industry": "养\u{0}殖", "income_band": "", "loans": "", "repayment": "", "consent_to_share": false}))
        .await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let p = t.api_json(&path, &cadre).await;
    assert_eq!(
        (p["consent_to_share"].as_bool(), p["labour"].as_i64()),
        (Some(true), Some(2)),
        "{p}"
    );
    // Malformed JSON stays a JSON 400.
    let r = t
        .send(
            axum::http::Request::put(path.as_str())
                .header("authorization", format!("Bearer {cadre}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{"))
                .unwrap(),
        )
        .await
        .expect_status(StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_request");
}
both!(control_characters_and_non_objects_are_refused);

/// A role that sees only the birth year edits a member: the form shows the year, and sending it
/// back (or nothing) keeps the stored date and ID.
async fn year_only_roles_edit_without_losing_the_date(t: TestApp) {
    let id = resident_id("14058119621205007");
    let cadre = t.token("cadre_a").await;
    let r = t
        .api_post(
            "/api/v1/households",
            &cadre,
            json!({"village_code": VILLAGE_A, "household_no": "A1", "head_name": "张三",
            "members": [{"name": "张三", "resident_id": id, "phone": "13811110071"}]}),
        )
        .await;
    let h = r.json();
    let (hid, mid) = (
        h["id"].as_i64().unwrap(),
        h["members"][0]["id"].as_i64().unwrap(),
    );
    let s = t.login("accountant_a").await;
    let form = t
        .page(&format!("/households/{hid}/members/{mid}"), &s)
        .await;
    assert!(!form.body.contains("1962-12-05") && form.body.contains("1962"));
    let acc = t.token("accountant_a").await;
    let r = t
        .api_put(&format!("/api/v1/households/{hid}/members/{mid}"), &acc, json!({"name": "张三丰", "relation": "户主", "birth_date": "1962", "resident_id": "", "phone": ""}))
        .await.expect_status(StatusCode::OK);
    assert_eq!(r.json()["members"][0]["birth_year"], 1962);
    let m = &t
        .api_json(&format!("/api/v1/households/{hid}"), &cadre)
        .await["members"][0];
    assert_eq!(
        (m["name"].as_str(), m["birth_date"].as_str()),
        (Some("张三丰"), Some("1962-12-05"))
    );
    assert_eq!(m["resident_id"], format!("1405*************{}", &id[17..]));
}
both!(year_only_roles_edit_without_losing_the_date);
