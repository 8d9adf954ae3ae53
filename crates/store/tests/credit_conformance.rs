//! Store conformance for the credit village: points accounts, goods and stock (changed only by
//! conditional updates, never below zero — the schema has no CHECK for it, so these updates
//! are the guard), score records (confirmed once, voided once) — the
//! store's own functions on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::credit::{points, records};
use store::registry::households::{self, HouseholdWrite};
use testkit::fixtures::insert_round;
use testkit::{both, TestApp, VILLAGE_A, VILLAGE_A2};

/// A household of the village, written by the registry's store; returns its id.
async fn household(c: &mut store::AnyConnection, village: &str, no: &str) -> i64 {
    let h = HouseholdWrite {
        village_code: village.into(),
        household_no: no.into(),
        head_name: "张三".into(),
        ..Default::default()
    };
    households::insert(c, &h).await.unwrap()
}

async fn points_and_stock_never_go_below_zero(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let h = household(&mut c, VILLAGE_A, "P001").await;
    assert_eq!(
        points::balance(&mut c, h).await.unwrap(),
        0,
        "no account yet"
    );
    assert_eq!(points::add_points(&mut c, h, 30).await.unwrap(), 30);
    assert_eq!(points::add_points(&mut c, h, 15).await.unwrap(), 45);
    assert_eq!(
        points::take_points(&mut c, h, 46).await.unwrap(),
        0,
        "short: nothing taken"
    );
    assert_eq!(points::take_points(&mut c, h, 45).await.unwrap(), 1);
    assert_eq!(points::balance(&mut c, h).await.unwrap(), 0);

    let g = points::insert_goods(&mut c, VILLAGE_A, "洗衣粉", 20, 3)
        .await
        .unwrap();
    let other = points::insert_goods(&mut c, VILLAGE_A2, "大米", 60, 1)
        .await
        .unwrap();
    assert_eq!(points::take_stock(&mut c, g, 4).await.unwrap(), 0);
    assert_eq!(points::take_stock(&mut c, g, 3).await.unwrap(), 1);
    assert_eq!(
        points::restock(&mut c, g, -1).await.unwrap(),
        0,
        "stock 0 cannot go to -1"
    );
    assert_eq!(points::restock(&mut c, g, 5).await.unwrap(), 1);
    assert_eq!(
        points::get_goods(&mut c, g).await.unwrap().unwrap().stock,
        5
    );
    // Goods are listed by subtree: the village sees its own, its township both.
    let ids = |v: Vec<points::GoodsRow>| v.into_iter().map(|g| g.id).collect::<Vec<_>>();
    assert_eq!(
        ids(points::list_goods(&mut c, VILLAGE_A).await.unwrap()),
        vec![g]
    );
    let township = &VILLAGE_A[..9];
    assert_eq!(
        ids(points::list_goods(&mut c, township).await.unwrap()),
        vec![g, other]
    );
    // The passbook keeps entries in order with the balance after each.
    points::insert_entry(&mut c, h, "award", 30, 30, "义务劳动", "cadre")
        .await
        .unwrap();
    points::insert_entry(&mut c, h, "redeem", -20, 10, "洗衣粉 ×1", "cadre")
        .await
        .unwrap();
    let book = points::passbook(&mut c, h).await.unwrap();
    let seen: Vec<(&str, i64, i64)> = book
        .iter()
        .map(|e| (e.kind.as_str(), e.amount, e.balance_after))
        .collect();
    assert_eq!(seen, [("award", 30, 30), ("redeem", -20, 10)]);
    let r = points::insert_redemption(&mut c, h, g, 1, 20, "cadre")
        .await
        .unwrap();
    assert!(r > 0);
}
both!(points_and_stock, points_and_stock_never_go_below_zero);

async fn records_are_confirmed_and_voided_once(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let h = household(&mut c, VILLAGE_A, "R001").await;
    let round: i64 = insert_round(&mut c, VILLAGE_A).await;
    let new = records::NewRecord {
        round_id: round,
        household_id: h,
        item_code: "HR01".into(),
        occurred_on: "2026-05-01".into(),
        recorder: "grid_a".into(),
        evidence: "还款凭证".into(),
        confirmed_by: None,
    };
    let a = records::insert(&mut c, &new).await.unwrap();
    let b = records::insert(
        &mut c,
        &records::NewRecord {
            occurred_on: "2026-04-01".into(),
            confirmed_by: Some("paper".into()),
            ..new.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(records::confirm(&mut c, a, "cadre_x").await.unwrap(), 1);
    assert_eq!(
        records::confirm(&mut c, a, "cadre_y").await.unwrap(),
        0,
        "confirmed once"
    );
    assert_eq!(
        records::confirm(&mut c, b, "cadre_y").await.unwrap(),
        0,
        "came confirmed"
    );
    assert_eq!(records::void(&mut c, b, "重复登记").await.unwrap(), 1);
    assert_eq!(records::void(&mut c, b, "again").await.unwrap(), 0);
    let got = records::get(&mut c, a).await.unwrap().unwrap();
    assert_eq!(got.confirmed_by.as_deref(), Some("cadre_x"));
    let list = records::of_household(&mut c, round, h).await.unwrap();
    let order: Vec<(i64, bool, &str)> = list
        .iter()
        .map(|r| (r.id, r.voided, r.void_reason.as_str()))
        .collect();
    assert_eq!(
        order,
        [(b, true, "重复登记"), (a, false, "")],
        "by date of occurrence"
    );
    assert!(records::get(&mut c, a + b + 1000).await.unwrap().is_none());
}
both!(records_once, records_are_confirmed_and_voided_once);
