//! Audit trail, login (throttling, CSRF), security headers, form validation next to fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use testkit::{both, resident_id, TestApp, PASSWORD, VILLAGE_A};

async fn audit_rows(t: &TestApp, action: &str) -> Vec<serde_json::Value> {
    let token = t.token("admin").await;
    let res = t
        .api_get(
            &format!("/api/v1/audit?action={action}&per_page=500"),
            &token,
        )
        .await
        .expect_status(StatusCode::OK);
    res.json()["items"].as_array().unwrap().clone()
}

async fn every_write_is_audited(t: TestApp) {
    // Login and failed login.
    t.try_login("cadre_a", "wrong-password")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    let s = t.login("cadre_a").await;
    let failed = audit_rows(&t, "login.failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["actor_name"], "cadre_a");
    assert!(!audit_rows(&t, "login").await.is_empty());
    // The township officer sees failed logins of accounts in the township.
    let township = t.token("township").await;
    let seen = t
        .api_json("/api/v1/audit?action=login.failed", &township)
        .await;
    assert_eq!(seen["total"], 1);

    // Create through the page form, with the head's ID.
    let id = resident_id("14058119800101011");
    let res = t
        .post_form(
            &format!("/households/new?village={VILLAGE_A}"),
            &s,
            &[
                ("household_no", "A9"),
                ("head_name", "张三明"),
                ("resident_id", &id),
                ("tag", "party_member"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let hid: i64 = res
        .location()
        .trim_start_matches("/households/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let created = audit_rows(&t, "household.create").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["entity_id"], hid.to_string());
    assert_eq!(created[0]["unit_code"], VILLAGE_A);
    assert!(
        !created[0]["summary"].as_str().unwrap().contains(&id),
        "audit never holds the ID in clear"
    );

    // Update: before and after.
    t.post_fields(
        &format!("/households/{hid}"),
        &s,
        "household_no=A9&head_name=张三明&address=新地址",
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let updated = audit_rows(&t, "household.update").await;
    let summary: serde_json::Value =
        serde_json::from_str(updated[0]["summary"].as_str().unwrap()).unwrap();
    assert_eq!(summary["before"]["address"], "");
    assert_eq!(summary["after"]["address"], "新地址");

    // Import.
    let csv = "household_no,head_name\nA10,李四\n";
    t.post_file(
        &format!("/households/import?village={VILLAGE_A}"),
        &s,
        "h.csv",
        csv.as_bytes(),
        &[],
    )
    .await
    .expect_status(StatusCode::OK);
    assert_eq!(audit_rows(&t, "households.import").await.len(), 1);
    assert_eq!(audit_rows(&t, "household.import_create").await.len(), 1);

    // Reveal is audited and shows the full number.
    let h = t
        .api_json(
            &format!("/api/v1/households/{hid}"),
            &t.token("cadre_a").await,
        )
        .await;
    let mid = h["members"][0]["id"].as_i64().unwrap();
    let res = t
        .post_form(&format!("/households/{hid}/members/{mid}/reveal"), &s, &[])
        .await
        .expect_status(StatusCode::OK);
    res.assert_contains(&[id]);
    let reveals = audit_rows(&t, "member.reveal").await;
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0]["actor_name"], "cadre_a");

    // The log is append-only, down to the database.
    let upd = sqlx::query("UPDATE audit_log SET actor_name = 'x'")
        .execute(&t.app.db.pool)
        .await;
    assert!(upd.is_err(), "UPDATE on audit_log must fail");
    let del = sqlx::query("DELETE FROM audit_log")
        .execute(&t.app.db.pool)
        .await;
    assert!(del.is_err(), "DELETE on audit_log must fail");

    // Officers read it; a village cadre may not.
    let township = t.login("township").await;
    let page = t.page("/audit?action=household.update", &township).await;
    page.assert_contains(&["household.update"]);
    // Read in words: the action's name, and the summary as lines rather than JSON.
    assert!(
        page.body.contains("修改农户")
            && page
                .body
                .contains("<option value=\"household.update\" selected>")
    );
    assert!(!page.body.contains("{&quot;"), "summary shown as raw JSON");
    t.get("/audit", &s)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // The filtered log as Excel, for officers only.
    let x = t
        .page("/audit.xlsx?action=household.update", &township)
        .await;
    assert!(x.body.starts_with("PK"), "not an XLSX file");
    t.get("/audit.xlsx", &s)
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
both!(every_write_is_audited);

async fn login_is_throttled_and_forms_need_csrf(t: TestApp) {
    for _ in 0..3 {
        t.try_login("cadre_a", "nope-nope")
            .await
            .expect_status(StatusCode::UNAUTHORIZED);
    }
    // From the same address, even the right password must wait (it is not even checked).
    let res = t
        .try_login("cadre_a", PASSWORD)
        .await
        .expect_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.contains_key(header::RETRY_AFTER));
    assert!(res.cookie(testkit::SESSION_COOKIE).is_none());
    assert!(!audit_rows(&t, "login.throttled").await.is_empty());

    let s = t.login("cadre_b").await;
    // A form without the session's CSRF token is refused and writes nothing.
    let before = t.count("households").await;
    t.send(
        Request::post(format!("/households/new?village={}", testkit::VILLAGE_B))
            .header(header::COOKIE, s.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("household_no=1&head_name=x&_csrf=forged"))
            .unwrap(),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    assert_eq!(t.count("households").await, before);
    // The API with a session cookie needs the X-CSRF-Token header for writes.
    let body = json!({"village_code": testkit::VILLAGE_B, "household_no": "1", "head_name": "x"});
    for (csrf_header, status) in [
        (None, StatusCode::FORBIDDEN),
        (Some(&s.csrf), StatusCode::CREATED),
    ] {
        let mut req = Request::post("/api/v1/households")
            .header(header::COOKIE, s.cookie_header())
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = csrf_header {
            req = req.header("x-csrf-token", token);
        }
        let req = req.body(Body::from(body.to_string())).unwrap();
        t.send(req).await.expect_status(status);
    }

    // Logging out ends the session server-side.
    t.post_form("/logout", &s, &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let after = t.get("/", &s).await.expect_status(StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
}
both!(login_is_throttled_and_forms_need_csrf);

async fn pages_are_secure_bilingual_and_show_errors_by_the_field(t: TestApp) {
    let s = t.login("cadre_a").await;
    let res = t.page("/", &s).await;
    for h in [
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
        "referrer-policy",
    ] {
        assert!(res.headers.contains_key(h), "missing {h}");
    }
    assert!(res.body.contains("户籍档案"), "zh-CN by default");
    assert!(res.body.contains("width=device-width"), "phone viewport");
    let login = t.try_login("cadre_a", PASSWORD).await;
    let cookie = login
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-gr_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // English on request.
    let res = t
        .send(
            Request::get("/households")
                .header(header::COOKIE, format!("{}; gr_lang=en", s.cookie_header()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(res.body.contains("Households") && res.body.contains("lang=\"en\""));

    // A bad resident ID comes back next to its field, with the typed values kept.
    let res = t
        .post_fields(
            &format!("/households/new?village={VILLAGE_A}"),
            &s,
            "household_no=Z1&head_name=张三&resident_id=140581198001010000",
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let input = res.body.find("id=\"resident_id\"").unwrap();
    // In the reader's language (Chinese by default).
    let error = res.body.find("身份证号校验位不正确").unwrap();
    assert!(error > input, "error shown after its input");
    res.assert_contains(&["value=\"Z1\""]);
    assert_eq!(t.count("households").await, 0);
}
both!(pages_are_secure_bilingual_and_show_errors_by_the_field);
