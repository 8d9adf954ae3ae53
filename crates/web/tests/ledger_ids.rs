//! Ledger pages carry several forms (one per debt, claim, occupied resource, plus "add"): every
//! element id is unique on its page and every label points at an element of its own form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use std::collections::HashMap;
use testkit::fixtures::related_cadre_contract;
use testkit::{both, Session, TestApp, VILLAGE_A};

/// The values of `attr="…"` in a page, in order.
fn attrs<'a>(body: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    body.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &body[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn duplicates<'a>(ids: &[&'a str]) -> Vec<&'a str> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for id in ids {
        *seen.entry(id).or_default() += 1;
    }
    let mut d: Vec<&str> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| k)
        .collect();
    d.sort();
    d
}

/// Each `<form>…</form>` of the page: the ids inside and the `for` of its labels.
fn forms(body: &str) -> Vec<(Vec<&str>, Vec<&str>)> {
    body.split("<form ")
        .skip(1)
        .map(|f| {
            let f = f.split("</form>").next().unwrap_or("");
            (attrs(f, "id"), attrs(f, "for"))
        })
        .collect()
}

/// Posts a form that is expected to be accepted (303).
async fn post_ok(t: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) {
    let r = t.post_form(path, s, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
}

async fn unique_ids(t: TestApp) {
    let s = t.login("accountant_a").await;
    let v = format!("/villages/{VILLAGE_A}/ledger");
    for n in 1..=2 {
        let (debt, claim, resource) = (format!("ZW-{n}"), format!("ZQ-{n}"), format!("ZY-{n}"));
        let (debt, claim, resource) = (debt.as_str(), claim.as_str(), resource.as_str());
        let debt = [
            ("debt_no", debt),
            ("creditor", "信用社"),
            ("principal_yuan", "1000"),
        ];
        let claim = [
            ("claim_no", claim),
            ("debtor", "张三"),
            ("amount_yuan", "50"),
        ];
        let resource = [
            ("resource_no", resource),
            ("kind", "机动地"),
            ("status", "无合同占用"),
            ("area_mu", "3"),
        ];
        post_ok(&t, &s, &format!("{v}/debts"), &debt).await;
        post_ok(&t, &s, &format!("{v}/claims"), &claim).await;
        post_ok(&t, &s, &format!("{v}/resources"), &resource).await;
    }
    let contract = related_cadre_contract("HT-1");
    post_ok(&t, &s, &format!("{v}/contracts/new"), &contract).await;
    let (contract, flag): (i64, i64) =
        sqlx::query_as("SELECT contract_id, id FROM contract_flags ORDER BY id")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    let mut several_forms = 0;
    for page in [
        v.clone(),
        format!("{v}/debts"),
        format!("{v}/claims"),
        format!("{v}/resources"),
        format!("{v}/contracts"),
        format!("{v}/contracts/new"),
        format!("{v}/contracts/{contract}"),
        format!("{v}/flags/{flag}"),
        format!("{v}/import"),
        format!("{v}/report"),
    ] {
        let r = t.get(&page, &s).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let ids = attrs(&r.body, "id");
        assert_eq!(duplicates(&ids), Vec::<&str>::new(), "{page}");
        let forms = forms(&r.body);
        if forms.len() >= 3 {
            several_forms += 1;
        }
        for (ids, labels) in forms {
            for l in labels {
                assert!(
                    ids.contains(&l),
                    "{page}: label for={l} has no input in its form"
                );
            }
        }
    }
    assert!(
        several_forms >= 3,
        "debts, claims and resources pages carry a form per record"
    );
}
both!(ledger_pages_have_unique_ids, unique_ids);
