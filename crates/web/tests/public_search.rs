//! The public credit list is searchable by household number (`?q=`), each row links to the
//! objection form for its household, and a search never changes what the cache serves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::http::header;
use credit_support::round_in_publicity;
use testkit::{Response, TestApp, VILLAGE_A};

async fn get(t: &TestApp, path: &str) -> Response {
    t.get_public(path).await
}

fn etag(r: &Response) -> String {
    r.headers
        .get(header::ETAG)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// The household numbers listed in the page's table rows.
fn listed(body: &str) -> Vec<String> {
    body.split("credit/objection?household=")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

async fn search(t: TestApp) {
    let _ = round_in_publicity(&t, 12).await;
    let list = format!("/public/villages/{VILLAGE_A}/credit");

    let all = get(&t, &list).await.expect_status(200);
    assert_eq!(listed(&all.body).len(), 12);
    assert!(all.body.contains("name=\"q\""), "a search box");
    let tag = etag(&all);

    let found = get(&t, &format!("{list}?q=%2001%20"))
        .await
        .expect_status(200);
    assert_eq!(
        listed(&found.body),
        vec!["001", "010", "011", "012"],
        "part of the number, trimmed"
    );
    assert!(
        found.body.contains("value=\"01\""),
        "the search stays in the box"
    );
    let found = get(&t, &format!("{list}?q=007")).await;
    assert_eq!(listed(&found.body), vec!["007"]);
    assert_ne!(etag(&found), tag);

    let none = get(&t, &format!("{list}?q=%3Cb%3E999"))
        .await
        .expect_status(200);
    assert!(listed(&none.body).is_empty());
    assert!(
        none.body.contains("没有找到") && none.body.contains("&lt;b&gt;999"),
        "what was searched, escaped"
    );

    // The whole list again, byte for byte: no search entered the cache.
    let again = get(&t, &list).await;
    assert_eq!(etag(&again), tag);
    assert_eq!(listed(&again.body).len(), 12);
    let empty = get(&t, &format!("{list}?q=")).await;
    assert_eq!(etag(&empty), tag, "an empty search is the whole list");

    // Each row's link opens the objection form for that household.
    let form = get(&t, &format!("{list}/objection?household=007"))
        .await
        .expect_status(200);
    form.assert_contains(&["value=\"007\""]);
}
testkit::both!(public_list_is_searchable, search);
