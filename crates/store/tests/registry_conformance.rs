//! Store conformance: the same storage behaviour on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::registry::search::{name_search, NameSearch};
use store::registry::households::{self, HouseholdFilter, HouseholdWrite};
use store::registry::members::{self, MemberRow};
use store::registry::units::{self, UnitRow};
use store::StoreError;
use testkit::{both, TestApp, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

/// A household with just its village, number and head.
fn hh(village: &str, no: &str, head: &str) -> HouseholdWrite {
    HouseholdWrite {
        village_code: village.into(),
        household_no: no.into(),
        head_name: head.into(),
        ..Default::default()
    }
}

async fn storage_behaves_the_same(t: TestApp) {
    // Migrations are idempotent.
    assert_eq!(t.app.db.migrate().await.unwrap(), Vec::<i64>::new());
    let mut conn = t.app.db.pool.acquire().await.unwrap();

    // Upsert counts only real changes; NULL parents compare correctly.
    let rows = vec![
        UnitRow {
            code: "99".into(),
            name: "测试省".into(),
            level: "province".into(),
            parent_code: None,
            leader: String::new(),
        },
        UnitRow {
            code: "9901".into(),
            name: "测试市".into(),
            level: "city".into(),
            parent_code: Some("99".into()),
            leader: String::new(),
        },
    ];
    assert_eq!(units::upsert(&mut conn, &rows).await.unwrap(), 2);
    assert_eq!(units::upsert(&mut conn, &rows).await.unwrap(), 0);
    let mut renamed = rows.clone();
    renamed[1].name = "新市".into();
    assert_eq!(units::upsert(&mut conn, &renamed).await.unwrap(), 1);
    assert_eq!(
        units::get(&mut conn, "9901").await.unwrap().unwrap().name,
        "新市"
    );

    // Unique rules become Conflict, not a generic error.
    let h = hh(VILLAGE_A, "1", "甲");
    households::insert(&mut conn, &h).await.unwrap();
    match households::insert(&mut conn, &h).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected Conflict, got {other:?}"),
    }
    // A foreign key (unknown village) becomes Constraint.
    let bad = hh("999999999999", "1", "乙");
    match households::insert(&mut conn, &bad).await {
        Err(StoreError::Constraint(_)) => {}
        other => panic!("expected Constraint, got {other:?}"),
    }

    // LIKE search treats % and _ literally, on both engines.
    let pct = hh(VILLAGE_A, "2", "100%张");
    households::insert(&mut conn, &pct).await.unwrap();
    let f = |text: &str| HouseholdFilter {
        unit: VILLAGE_A.into(),
        text: Some(NameSearch::Contains(text.into())),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(households::list(&mut conn, &f("%")).await.unwrap().1, 1);
    assert_eq!(households::list(&mut conn, &f("_")).await.unwrap().1, 0);
    // Pagination and totals.
    let all = HouseholdFilter {
        unit: VILLAGE_A.into(),
        limit: 1,
        offset: 1,
        ..Default::default()
    };
    let (page, total) = households::list(&mut conn, &all).await.unwrap();
    assert_eq!((page.len(), total), (1, 2));
    // Aggregates decode as integers on both engines.
    assert_eq!(
        households::counts(&mut conn, "140581").await.unwrap(),
        (2, 0)
    );

    // A transaction that is not committed leaves nothing behind.
    {
        let mut tx = t.app.db.begin().await.unwrap();
        let h3 = hh(VILLAGE_A, "3", "丙");
        households::insert(&mut tx, &h3).await.unwrap();
        tx.rollback().await.unwrap();
    }
    assert_eq!(t.count("households").await, 2);
}
both!(storage_behaves_the_same, storage_behaves_the_same);

/// The household list at every area size: a village searches any part of a name, a township
/// or more a name from its start (index range: bytes compared the same on both engines, `%` and
/// `_` literal), pages in (village, number) order across villages, totals exact.
async fn household_search_and_pages_behave_the_same(t: TestApp) {
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let rows = [
        (VILLAGE_A2, "01", "王伟"),
        (VILLAGE_A, "02", "王伟华"),
        (VILLAGE_A, "01", "李王伟"),
        (VILLAGE_A, "03", "赵六"),
        (VILLAGE_A, "04", "王%"),
        (VILLAGE_B, "01", "王伟"),
    ];
    let mut ids = Vec::new();
    for (v, no, head) in rows {
        let h = hh(v, no, head);
        ids.push(households::insert(&mut conn, &h).await.unwrap());
    }
    // A member (not the head) named 王伟东 in 赵六's household.
    members::insert(
        &mut conn,
        &MemberRow {
            id: 0,
            household_id: ids[3],
            position: 1,
            name: "王伟东".into(),
            relation: "子".into(),
            sex: None,
            birth_date: None,
            id_cipher: None,
            id_hash: None,
            id_masked: None,
            phone_cipher: None,
            phone_masked: None,
        },
    )
    .await
    .unwrap();
    let heads = |rows: Vec<store::registry::households::HouseholdRow>| {
        rows.into_iter()
            .map(|h| format!("{}/{}", &h.village_code[9..], h.head_name))
            .collect::<Vec<_>>()
    };
    let search = |unit: &str, text: &str| HouseholdFilter {
        unit: unit.into(),
        text: Some(name_search(unit, text).unwrap()),
        limit: 50,
        ..Default::default()
    };
    // Township: from the start of a head's or member's name; ordered by village then number;
    // another township's 王伟 and 李王伟 (contains only) are not found.
    let (rows, total) = households::list(&mut conn, &search("140581104", "王伟"))
        .await
        .unwrap();
    assert_eq!(heads(rows), ["201/王伟华", "201/赵六", "202/王伟"]);
    assert_eq!(total, 3);
    // `%` is a character like any other, not a wildcard.
    let (rows, total) = households::list(&mut conn, &search("140581104", "王%"))
        .await
        .unwrap();
    assert_eq!((heads(rows), total), (vec!["201/王%".to_string()], 1));
    // County and national areas find both 王伟 households.
    for unit in ["140581", ""] {
        let (_, total) = households::list(&mut conn, &search(unit, "王伟"))
            .await
            .unwrap();
        assert_eq!(total, 4, "area {unit:?}");
    }
    // Village: any part.
    let (rows, _) = households::list(&mut conn, &search(VILLAGE_A, "伟"))
        .await
        .unwrap();
    assert_eq!(heads(rows), ["201/李王伟", "201/王伟华", "201/赵六"]);
    // Pages of a township, in order, read only what they show; the total is the whole area.
    let mut seen = Vec::new();
    for offset in 0..5 {
        let (rows, total) = households::list(
            &mut conn,
            &HouseholdFilter {
                unit: "140581104".into(),
                limit: 1,
                offset,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(total, 5);
        seen.extend(heads(rows));
    }
    assert_eq!(
        seen,
        [
            "201/李王伟",
            "201/王伟华",
            "201/赵六",
            "201/王%",
            "202/王伟"
        ]
    );
    // The one-member household shows its member count through the page query.
    let (rows, _) = households::list(&mut conn, &search(VILLAGE_A, "赵六"))
        .await
        .unwrap();
    assert_eq!(rows[0].member_count, 1);
}
both!(
    household_search_pages,
    household_search_and_pages_behave_the_same
);
