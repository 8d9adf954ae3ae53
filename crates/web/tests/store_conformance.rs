//! Store conformance: the same storage behaviour on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::registry::households::{self, HouseholdFilter, HouseholdWrite};
use store::registry::units::{self, UnitRow};
use store::StoreError;
use testkit::{both, TestApp, VILLAGE_A};

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
    let h = HouseholdWrite {
        village_code: VILLAGE_A.into(),
        household_no: "1".into(),
        head_name: "甲".into(),
        ..Default::default()
    };
    households::insert(&mut conn, &h).await.unwrap();
    match households::insert(&mut conn, &h).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected Conflict, got {other:?}"),
    }
    // A foreign key (unknown village) becomes Constraint.
    let bad = HouseholdWrite {
        village_code: "999999999999".into(),
        household_no: "1".into(),
        head_name: "乙".into(),
        ..Default::default()
    };
    match households::insert(&mut conn, &bad).await {
        Err(StoreError::Constraint(_)) => {}
        other => panic!("expected Constraint, got {other:?}"),
    }

    // LIKE search treats % and _ literally, on both engines.
    let pct = HouseholdWrite {
        village_code: VILLAGE_A.into(),
        household_no: "2".into(),
        head_name: "100%张".into(),
        ..Default::default()
    };
    households::insert(&mut conn, &pct).await.unwrap();
    let f = |text: &str| HouseholdFilter {
        unit: VILLAGE_A.into(),
        text: Some(text.into()),
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
        let h3 = HouseholdWrite {
            village_code: VILLAGE_A.into(),
            household_no: "3".into(),
            head_name: "丙".into(),
            ..Default::default()
        };
        households::insert(&mut tx, &h3).await.unwrap();
        tx.rollback().await.unwrap();
    }
    assert_eq!(t.count("households").await, 2);
}
both!(storage_behaves_the_same, storage_behaves_the_same);
