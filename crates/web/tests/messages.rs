//! Issue 9, errors: every refusal a person meets is in their language. A member form posted with
//! a bad date and a bad resident ID comes back with the messages next to those fields and
//! everything typed kept, in Chinese by default and in English on request; the API answers
//! with a stable code and both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use testkit::{both, resident_id, Session, TestApp, LANG_COOKIE, VILLAGE_A};

/// A valid ID with its check character changed: the form's "bad ID".
fn wrong_check_digit() -> String {
    let good = resident_id("14058119900101123");
    let last = if good.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &good[..17])
}

async fn household(t: &TestApp) -> i64 {
    let token = t.token("cadre_a").await;
    let r = t
        .new_household(
            &token,
            json!({"village_code": VILLAGE_A, "household_no": "M1", "head_name": "王户主",
                "members": [{"name": "王户主"}]}),
        )
        .await;
    r.json()["id"].as_i64().expect("id")
}

/// Posts the member form as a browser whose language cookie is `lang` (none: the default).
async fn post_member(t: &TestApp, s: &Session, id: i64, lang: Option<&str>) -> testkit::Response {
    post_member_to(t, s, &format!("/households/{id}/members"), lang, None).await
}

/// Posts the member form to `path`, with a language cookie and an `Accept-Language` if given.
async fn post_member_to(
    t: &TestApp,
    s: &Session,
    path: &str,
    lang: Option<&str>,
    accept: Option<&str>,
) -> testkit::Response {
    let mut cookie = s.cookie_header();
    if let Some(l) = lang {
        cookie.push_str(&format!("; {LANG_COOKIE}={l}"));
    }
    let id_text = wrong_check_digit();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", s.csrf.as_str()),
            ("name", "李小红"),
            ("relation", "女儿"),
            ("birth_date", "2020-13-45"),
            ("resident_id", id_text.as_str()),
            ("phone", "13800001234"),
        ])
        .finish();
    let mut req = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(a) = accept {
        req = req.header(header::ACCEPT_LANGUAGE, a);
    }
    t.send(req.body(Body::from(body)).unwrap()).await
}

/// The field-error text shown right after the input named `field` (before the next input).
fn error_after(body: &str, field: &str) -> String {
    let at = body
        .find(&format!("id=\"{field}\""))
        .unwrap_or_else(|| panic!("no input {field}"));
    let rest = &body[at..];
    let next_input = rest[1..].find("<input").map_or(rest.len(), |i| i + 1);
    let marker = "class=\"field-error\">";
    let start = rest[..next_input]
        .find(marker)
        .unwrap_or_else(|| panic!("no message after {field}: {}", &rest[..next_input]))
        + marker.len();
    let end = rest[start..].find("</div>").expect("end of message") + start;
    rest[start..end].to_string()
}

fn kept(body: &str) {
    for value in [
        "李小红",
        "女儿",
        "2020-13-45",
        "13800001234",
        &wrong_check_digit(),
    ] {
        assert!(
            body.contains(&format!("value=\"{value}\"")),
            "{value} not kept"
        );
    }
}

async fn member_form_refusals_are_chinese_by_default(t: TestApp) {
    let id = household(&t).await;
    let s = t.login("cadre_a").await;
    for lang in [None, Some("zh")] {
        let r = post_member(&t, &s, id, lang)
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        let date = error_after(&r.body, "birth_date");
        assert!(date.contains("“2020-13-45”不是有效日期"), "{date}");
        let rid = error_after(&r.body, "resident_id");
        assert!(rid.starts_with("身份证号校验位不正确"), "{rid}");
        assert!(!r.body.contains("is not a date") && !r.body.contains("check digit"));
        kept(&r.body);
    }
    assert_eq!(t.count("members").await, 1, "nothing written");
}
both!(member_form_zh, member_form_refusals_are_chinese_by_default);

async fn member_form_refusals_are_english_on_request(t: TestApp) {
    let id = household(&t).await;
    let s = t.login("cadre_a").await;
    let r = post_member(&t, &s, id, Some("en"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let date = error_after(&r.body, "birth_date");
    assert_eq!(
        date.replace("&#39;", "'"),
        "'2020-13-45' is not a date (expected YYYY-MM-DD, e.g. 2024-03-01)"
    );
    let rid = error_after(&r.body, "resident_id");
    assert!(rid.starts_with("resident ID check digit is wrong"), "{rid}");
    assert!(
        !rid.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
        "{rid}"
    );
    kept(&r.body);
}
both!(member_form_en, member_form_refusals_are_english_on_request);

async fn api_refusals_carry_a_stable_code_and_both_languages(t: TestApp) {
    let id = household(&t).await;
    let token = t.token("cadre_a").await;
    let r = t
        .api_post(
            &format!("/api/v1/households/{id}/members"),
            &token,
            json!({"name": "李小红", "birth_date": "2020-13-45",
                "resident_id": wrong_check_digit()}),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "invalid");
    let fields = e["fields"].as_array().expect("fields");
    let of = |f: &str| fields.iter().find(|x| x["field"] == f).expect(f).clone();
    let date = of("birth_date");
    assert_eq!(date["reason"], "date.invalid");
    assert!(date["message_zh"]
        .as_str()
        .unwrap()
        .contains("不是有效日期"));
    assert!(date["message_en"]
        .as_str()
        .unwrap()
        .contains("is not a date"));
    assert!(date["message"].as_str().unwrap().contains("is not a date"));
    assert_eq!(of("resident_id")["reason"], "resident_id.check_digit");
    assert!(e["message_zh"].as_str().unwrap().contains("出生日期"));

    // A conflict: the same household number again.
    let again = t
        .api_post(
            "/api/v1/households",
            &token,
            json!({"village_code": VILLAGE_A, "household_no": "M1", "head_name": "另一户"}),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let f = &again.json()["error"]["fields"][0];
    assert_eq!(f["reason"], "conflict.household_no");
    assert_eq!(f["message_zh"], "该户号在本村已被使用");

    // Not found: the thing named in each language.
    let missing = t
        .api_get("/api/v1/households/999999", &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let e = &missing.json()["error"];
    assert_eq!(
        (e["code"].as_str(), e["reason"].as_str()),
        (Some("not_found"), Some("thing.household"))
    );
    assert!(
        e["message_zh"]
            .as_str()
            .unwrap()
            .starts_with("没有找到农户"),
        "{e}"
    );
}
both!(
    api_codes,
    api_refusals_carry_a_stable_code_and_both_languages
);

/// Without a language cookie, a browser that prefers English reads English; one that prefers
/// Chinese (or says nothing) reads Chinese; the cookie, once set, wins over the browser.
async fn the_browser_language_counts_until_a_cookie_is_set(t: TestApp) {
    let id = household(&t).await;
    let s = t.login("cadre_a").await;
    let path = format!("/households/{id}/members");
    let english = post_member_to(&t, &s, &path, None, Some("en-US,en;q=0.9")).await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        english.body.contains("<html lang=\"en\""),
        "{}",
        english.body
    );
    let rid = error_after(&english.body, "resident_id");
    assert!(rid.starts_with("resident ID check digit is wrong"), "{rid}");
    for (cookie, accept) in [
        (None, Some("zh-CN,zh;q=0.9,en;q=0.8")),
        (Some("zh"), Some("en-US,en;q=0.9")),
    ] {
        let r = post_member_to(&t, &s, &path, cookie, accept).await;
        let rid = error_after(&r.body, "resident_id");
        assert!(
            rid.starts_with("身份证号校验位不正确"),
            "{cookie:?} {accept:?}: {rid}"
        );
    }
    let r = post_member_to(&t, &s, &path, Some("en"), Some("zh-CN")).await;
    assert!(error_after(&r.body, "resident_id").starts_with("resident ID"));
}
both!(
    browser_language,
    the_browser_language_counts_until_a_cookie_is_set
);

/// A member that is gone (deleted meanwhile, a stale link): the form comes back with what was
/// typed and says so, in the site's layout — not a dead-end page.
async fn a_missing_record_keeps_the_form(t: TestApp) {
    let id = household(&t).await;
    let s = t.login("cadre_a").await;
    let path = format!("/households/{id}/members/999999");
    let r = post_member_to(&t, &s, &path, None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(r.body.contains("<nav"), "{}", r.body);
    assert!(r.body.contains("没有找到家庭成员"), "{}", r.body);
    assert!(r.body.contains(&format!("action=\"{path}\"")), "{}", r.body);
    kept(&r.body);
}
both!(missing_record_form, a_missing_record_keeps_the_form);

/// Imports refused for their columns, their numbers or their format say so in the reader's
/// language, each problem still placed as file:row:column.
async fn import_refusals_are_chinese_on_chinese_pages(t: TestApp) {
    let s = t.login("cadre_a").await;
    let households = format!("/households/import?village={VILLAGE_A}");
    let r = t
        .post_file(
            &households,
            &s,
            "cols.csv",
            "户号,household_no,地址\n1,1,一组\n".as_bytes(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("cols.csv:1:household_no: "), "{}", r.body);
    assert!(
        r.body.contains("列出现了两次") && r.body.contains("缺少必填列"),
        "{}",
        r.body
    );
    let mut bodies = vec![r.body];
    let old = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an old workbook";
    let r = t.post_file(&households, &s, "old.xls", old, &[]).await;
    assert!(
        r.body.contains("old.xls:1:-: 这是旧版 .xls 工作簿"),
        "{}",
        r.body
    );
    bodies.push(r.body);
    let ledger = format!("/villages/{VILLAGE_A}/ledger/import");
    let debts = "债务编号,债权人,本金（元）\nZW-9,甲,100\nZW-9,乙,200\n";
    let r = t
        .post_file(
            &ledger,
            &s,
            "dup.csv",
            debts.as_bytes(),
            &[("kind", "debts")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("dup.csv:3:债务编号: 编号“ZW-9”重复：第 2 行已有"),
        "{}",
        r.body
    );
    bodies.push(r.body);
    for english in [
        "appears twice",
        "required column missing",
        "old .xls",
        "duplicate number",
    ] {
        assert!(bodies.iter().all(|b| !b.contains(english)), "{english}");
    }
    assert_eq!(t.count("debts").await, 0);
}
both!(
    import_messages_zh,
    import_refusals_are_chinese_on_chinese_pages
);
