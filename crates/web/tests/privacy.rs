//! Issue 7, finding 1: masked resident IDs cannot be rebuilt. For each role, everything that
//! shows persons is fetched (household list, file, search and member API; file, list and member
//! pages; ledger contracts, page and export; bank pages; audit), then each member's and each
//! counterparty's full ID is rebuilt from it as an attacker would: the area from the village
//! code, every masked form, birth date or year, sex. No role, without revealing, gets the full
//! ID or a unique candidate. Banks read only the files of consenting households.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use domain::access::{Permission, Role};
use serde_json::json;
use testkit::{both, resident_id, TestApp, VILLAGE_A};

/// Members (name, first 17 digits of the ID, phone): distinct birth dates.
const PEOPLE: [(&str, &str, &str); 6] = [
    ("张大山", "14058119621205007", "13811110071"),
    ("李秀英", "14058119650317008", "13822220082"),
    ("王小明", "14058119880902013", "13833330093"),
    ("赵春花", "14058119710611024", "13844440014"),
    ("刘建国", "14058119580123035", "13855550025"),
    ("陈晓燕", "14058120010730046", "13866660036"),
];
/// A ledger counterparty's ID.
const COUNTERPARTY: &str = "14058119770412051";

/// What an attacker learns about one ID from a pile of bodies.
fn candidates(bodies: &[String], id: &str, cap: u64) -> (bool, u64) {
    if bodies.iter().any(|b| b.contains(id)) {
        return (true, 1);
    }
    let idc: Vec<char> = id.chars().collect();
    let mut known: [Option<char>; 18] = [None; 18];
    // The area: the first six digits follow from the village code everyone sees.
    for (i, k) in known.iter_mut().enumerate().take(6) {
        *k = Some(idc[i]);
    }
    // Every masked form consistent with this ID (as if linked to the right person).
    for b in bodies {
        let chars: Vec<char> = b.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || matches!(chars[j], '*' | 'X')) {
                j += 1;
            }
            if j - i == 18 && chars[i..j].contains(&'*') {
                let run = &chars[i..j];
                if run.iter().zip(&idc).all(|(r, c)| *r == '*' || r == c) {
                    for (p, r) in run.iter().enumerate() {
                        if *r != '*' {
                            known[p] = Some(*r);
                        }
                    }
                }
            }
            i = j.max(i + 1);
        }
    }
    let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").unwrap();
    let date_forms = [
        birth.format("%Y-%m-%d").to_string(),
        birth.format("%Y%m%d").to_string(),
        birth.format("%Y/%m/%d").to_string(),
        birth.format("%Y年%m月%d日").to_string(),
        format!("{}年{}月{}日", birth.year(), birth.month(), birth.day()),
    ];
    let date_known = bodies
        .iter()
        .any(|b| date_forms.iter().any(|f| b.contains(f.as_str())));
    let year_known = bodies.iter().any(|b| b.contains(&id[6..10]));
    let male = (idc[16].to_digit(10).unwrap()) % 2 == 1;
    let dates: Vec<NaiveDate> = if date_known {
        vec![birth]
    } else {
        let (from, to) = if year_known {
            (birth.year(), birth.year())
        } else {
            (1900, 2025)
        };
        let mut d = NaiveDate::from_ymd_opt(from, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(to, 12, 31).unwrap();
        let mut v = Vec::new();
        while d <= end {
            v.push(d);
            d = d.succ_opt().unwrap();
        }
        v
    };
    let mut count = 0u64;
    let mut digits = [0u8; 17];
    digits[..6].copy_from_slice(&id.as_bytes()[..6]);
    for d in dates {
        let ds = d.format("%Y%m%d").to_string();
        let ds = ds.as_bytes();
        if (0..8).any(|k| known[6 + k].is_some_and(|c| c as u8 != ds[k])) {
            continue;
        }
        digits[6..14].copy_from_slice(ds);
        for seq in 0..1000u32 {
            let s = [
                b'0' + (seq / 100) as u8,
                b'0' + (seq / 10 % 10) as u8,
                b'0' + (seq % 10) as u8,
            ];
            if ((s[2] - b'0') % 2 == 1) != male
                || (0..3).any(|k| known[14 + k].is_some_and(|c| c as u8 != s[k]))
            {
                continue;
            }
            digits[14..17].copy_from_slice(&s);
            let check = domain::resident_id::check_char(&digits);
            if known[17].is_some_and(|c| c != check) {
                continue;
            }
            count += 1;
            if count >= cap {
                return (false, count);
            }
        }
    }
    (false, count)
}

async fn setup(t: &TestApp) -> (Vec<i64>, Vec<(i64, i64)>) {
    let cadre = t.token("cadre_a").await;
    let mut households = Vec::new();
    let mut members = Vec::new();
    for (n, pair) in PEOPLE.chunks(2).enumerate() {
        let body = json!({"village_code": VILLAGE_A, "household_no": format!("P{n}"),
            "head_name": pair[0].0, "address": "一组", "notes": "", "members": pair.iter().map(|(name, id, phone)|
                json!({"name": name, "relation": "户主", "resident_id": resident_id(id), "phone": phone})).collect::<Vec<_>>()});
        let r = t.new_household(&cadre, body).await;
        let h = r.json();
        let hid = h["id"].as_i64().unwrap();
        households.push(hid);
        for m in h["members"].as_array().unwrap() {
            members.push((hid, m["id"].as_i64().unwrap()));
        }
    }
    // The first household consents to share with banks; the others do not.
    let r = t
        .api_put(&format!("/api/v1/households/{}/credit-profile", households[0]), &cadre, json!({"labour": 2, "industry": "种植", "income_band": "", "loans": "", "repayment": "", "consent_to_share": true}))
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    // A grid member whose grid holds the second household.
    let g = app::registry::grids::create(&t.app, &app::Actor::cli(), VILLAGE_A, "一网格", "")
        .await
        .unwrap();
    app::registry::grids::assign(&t.app, &app::Actor::cli(), Some(&g.code), &[households[1]])
        .await
        .unwrap();
    t.add_account("grid_a", Role::GridMember, &g.code).await;
    // A contract whose counterparty has a resident ID.
    t.api_post(
        &format!("/api/v1/villages/{VILLAGE_A}/ledger/contracts"),
        &cadre,
        json!({"contract_no": "HT-1", "kind": "land_lease", "counterparty": "孙承包",
                "counterparty_id": resident_id(COUNTERPARTY), "start_on": "2020-01-01",
                "end_on": "2030-12-31", "annual_rent_yuan": "1000", "status": "active"}),
    )
    .await
    .expect_status(StatusCode::CREATED);
    (households, members)
}

/// Every body a role can fetch that may show a person.
async fn everything(
    t: &TestApp,
    user: &str,
    households: &[i64],
    members: &[(i64, i64)],
) -> Vec<String> {
    let token = t.token(user).await;
    let s = t.login(user).await;
    let v = VILLAGE_A;
    let mut api = vec![
        "/api/v1/households?per_page=200".to_string(),
        format!("/api/v1/households?unit={v}&per_page=200"),
        format!("/api/v1/villages/{v}/ledger/contracts"),
        format!("/api/v1/villages/{v}/ledger/export?kind=contracts&format=csv"),
        "/api/v1/credit/bank/households".into(),
        "/api/v1/audit".into(),
    ];
    api.extend(households.iter().map(|h| format!("/api/v1/households/{h}")));
    let mut pages = vec![
        "/households".to_string(),
        format!("/households?unit={v}"),
        format!("/villages/{v}/ledger"),
        format!("/villages/{v}/ledger/contracts"),
        "/credit/bank".into(),
        "/audit".into(),
        "/".into(),
    ];
    pages.extend(households.iter().map(|h| format!("/households/{h}")));
    pages.extend(
        members
            .iter()
            .map(|(h, m)| format!("/households/{h}/members/{m}")),
    );
    let mut bodies = Vec::new();
    for p in &api {
        bodies.push(t.api_get(p, &token).await.body);
    }
    for q in ["张", "李", "P"] {
        let r = t
            .api_post("/api/v1/households/search", &token, json!({"q": q}))
            .await;
        bodies.push(r.body);
        // Within the village any part of a name matches (wider areas need two characters).
        let r = t
            .api_post(
                "/api/v1/households/search",
                &token,
                json!({"q": q, "unit": v}),
            )
            .await;
        bodies.push(r.body);
    }
    for p in &pages {
        bodies.push(t.get(p, &s).await.body);
    }
    bodies
}

async fn no_role_can_rebuild_a_masked_id(t: TestApp) {
    let (households, members) = setup(&t).await;
    let mut ids: Vec<String> = PEOPLE.iter().map(|p| resident_id(p.1)).collect();
    ids.push(resident_id(COUNTERPARTY));
    for user in [
        "admin",
        "county",
        "township",
        "cadre_a",
        "accountant_a",
        "grid_a",
        "bank",
    ] {
        let role = t.actor(user).await.role;
        let bodies = everything(&t, user, &households, &members).await;
        let mut rebuilt = 0;
        let mut fewest = u64::MAX;
        for id in &ids {
            let (full, n) = candidates(&bodies, id, 100_000);
            assert!(
                !full,
                "{user} received the full ID {id} without revealing it"
            );
            if n <= 1 {
                rebuilt += 1;
            }
            fewest = fewest.min(n);
        }
        eprintln!(
            "{user} ({}): {rebuilt} of {} IDs rebuilt; fewest candidates {fewest}",
            role.as_str(),
            ids.len()
        );
        assert_eq!(rebuilt, 0, "{user} rebuilt IDs from what it may see");
        if !role.can(Permission::RevealPersonal) {
            // Area, birth year and last character at most: thousands of IDs still fit.
            assert!(fewest > 1000, "{user}: only {fewest} candidates");
            let birth_dates = PEOPLE.iter().filter(|p| {
                let d = NaiveDate::parse_from_str(&p.1[6..14], "%Y%m%d").unwrap();
                bodies
                    .iter()
                    .any(|b| b.contains(&d.format("%Y-%m-%d").to_string()))
            });
            assert_eq!(birth_dates.count(), 0, "{user} sees birth dates");
        }
    }
}
both!(no_role_can_rebuild_a_masked_id);

async fn banks_read_only_consenting_files_without_numbers(t: TestApp) {
    let (households, _) = setup(&t).await;
    let bank = t.token("bank").await;
    let consenting = t
        .api_get(&format!("/api/v1/households/{}", households[0]), &bank)
        .await
        .expect_status(StatusCode::OK);
    let h = consenting.json();
    for m in h["members"].as_array().unwrap() {
        assert!(m["resident_id"].is_null() && m["phone"].is_null() && m["birth_date"].is_null());
        assert!(m["birth_year"].is_i64(), "ages for credit lines: {m}");
    }
    for hid in &households[1..] {
        t.api_get(&format!("/api/v1/households/{hid}"), &bank)
            .await
            .expect_status_because(StatusCode::NOT_FOUND, "no consent, no file");
        let s = t.login("bank").await;
        t.get(&format!("/households/{hid}"), &s)
            .await
            .expect_status(StatusCode::NOT_FOUND);
    }
    let list = t.api_json("/api/v1/households", &bank).await;
    assert_eq!(
        list["total"], 1,
        "the bank's list holds consenting households only"
    );
    // A village cadre still sees every file, with birth dates, and reveals (audited).
    let cadre = t.token("cadre_a").await;
    let h = t
        .api_json(&format!("/api/v1/households/{}", households[1]), &cadre)
        .await;
    assert_eq!(h["members"][0]["birth_date"], "1988-09-02");
    let last = &resident_id(PEOPLE[2].1)[17..];
    assert_eq!(
        h["members"][0]["resident_id"],
        format!("1405*************{last}")
    );
}
both!(banks_read_only_consenting_files_without_numbers);
