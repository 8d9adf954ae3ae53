//! Store conformance of the ledger registers: the generic register (list, get, get within a
//! village, by number, insert, update, a number used twice) behaves the same for contracts,
//! debts, claims and resources, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::ledger::claims::{self, ClaimRow, ClaimWrite};
use store::ledger::contracts::{ContractRow, ContractWrite};
use store::ledger::debts::{self, ActionWrite, DebtRow, DebtWrite};
use store::ledger::register::{self, Columns, Register};
use store::ledger::resources::{ResourceRow, ResourceWrite};
use store::ledger::scope;
use store::{AnyConnection, StoreError};
use testkit::{both, TestApp, TOWNSHIP, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

fn contract(village: &str, no: &str) -> ContractWrite {
    ContractWrite {
        village_code: village.into(),
        contract_no: no.into(),
        kind: "land".into(),
        counterparty: "张三".into(),
        counterparty_id_masked: String::new(),
        area_mu_x100: Some(1250),
        start_on: "2020-01-01".into(),
        end_on: "2029-12-31".into(),
        annual_rent_fen: 100_000,
        related_cadre: true,
        status: "active".into(),
        ..Default::default()
    }
}

fn debt(village: &str, no: &str) -> DebtWrite {
    DebtWrite {
        village_code: village.into(),
        debt_no: no.into(),
        creditor: "县建筑公司".into(),
        principal_fen: 500_000,
        incurred_on: Some("2015-06-01".into()),
        ..Default::default()
    }
}

fn claim(village: &str, no: &str) -> ClaimWrite {
    ClaimWrite {
        village_code: village.into(),
        claim_no: no.into(),
        debtor: "李四".into(),
        amount_fen: 30_000,
        origin: Some("借款".into()),
        ..Default::default()
    }
}

fn resource(village: &str, no: &str) -> ResourceWrite {
    ResourceWrite {
        village_code: village.into(),
        resource_no: no.into(),
        kind: "land".into(),
        area_mu_x100: Some(800),
        status: "idle".into(),
        ..Default::default()
    }
}

/// The same checks on one register: `make(village, number)` builds a row, `change` edits a
/// field other than the number, `number` reads the number back.
async fn register_behaves<R>(
    conn: &mut AnyConnection,
    make: fn(&str, &str) -> R::Write,
    change: fn(&mut R::Write),
    number: fn(&R::Write) -> &str,
) where
    R: Register,
    R::Write: Clone + PartialEq + std::fmt::Debug,
{
    let table = R::TABLE.name;
    // Inserted rows come back as written, listed by number within their village only.
    let b = make(VILLAGE_A, "B-2");
    let a = make(VILLAGE_A, "A-1");
    let id_b = register::insert::<R>(conn, &b).await.unwrap();
    let id_a = register::insert::<R>(conn, &a).await.unwrap();
    let other = register::insert::<R>(conn, &make(VILLAGE_A2, "A-1"))
        .await
        .unwrap();
    let listed = register::of_village::<R>(conn, VILLAGE_A).await.unwrap();
    let numbers: Vec<&str> = listed.iter().map(|r| number(r.fields())).collect();
    assert_eq!(numbers, ["A-1", "B-2"], "{table}: listed by number");
    assert_eq!(listed[0].id(), id_a);
    assert_eq!(listed[0].fields(), &a, "{table}: read back as written");
    assert!(register::of_village::<R>(conn, VILLAGE_B)
        .await
        .unwrap()
        .is_empty());

    // By id anywhere, by id within a village, by number within a village.
    assert_eq!(
        register::get::<R>(conn, other)
            .await
            .unwrap()
            .map(|r| r.id()),
        Some(other)
    );
    assert!(register::get_in::<R>(conn, VILLAGE_A, other)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        register::get_in::<R>(conn, VILLAGE_A2, other)
            .await
            .unwrap()
            .map(|r| r.id()),
        Some(other)
    );
    assert_eq!(
        register::find_by_no::<R>(conn, VILLAGE_A, "B-2")
            .await
            .unwrap()
            .map(|r| r.id()),
        Some(id_b)
    );
    assert!(register::find_by_no::<R>(conn, VILLAGE_B, "B-2")
        .await
        .unwrap()
        .is_none());
    assert!(register::get::<R>(conn, i64::MAX).await.unwrap().is_none());

    // An update changes every written field but the village; an unknown id changes nothing.
    // (`changed` names another village, which the update leaves as it was.)
    let mut changed = make(VILLAGE_B, "B-2");
    change(&mut changed);
    assert_ne!(
        changed.cells(),
        b.cells(),
        "{table}: the change changes something"
    );
    assert_eq!(
        register::update::<R>(conn, id_b, &changed).await.unwrap(),
        1
    );
    let back = register::get::<R>(conn, id_b).await.unwrap().unwrap();
    assert_eq!(back.fields().village(), VILLAGE_A, "{table}: village kept");
    let mut expected = make(VILLAGE_A, "B-2");
    change(&mut expected);
    assert_eq!(back.fields(), &expected, "{table}: updated");
    assert_eq!(
        register::update::<R>(conn, i64::MAX, &changed)
            .await
            .unwrap(),
        0
    );

    // A number used twice in a village is a conflict, on insert and on update.
    match register::insert::<R>(conn, &make(VILLAGE_A, "A-1")).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("{table}: expected Conflict on insert, got {other:?}"),
    }
    // Record B-2 renumbered A-1, the number of another record of the village.
    let renumbered = make(VILLAGE_A, "A-1");
    match register::update::<R>(conn, id_b, &renumbered).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("{table}: expected Conflict on update, got {other:?}"),
    }
    // Nothing was changed by the refused writes.
    assert_eq!(
        register::of_village::<R>(conn, VILLAGE_A)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn registers_behave_the_same(t: TestApp) {
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    register_behaves::<ContractRow>(
        &mut conn,
        contract,
        |w| {
            w.paid_fen = 25_000;
            w.related_cadre = false;
            w.subject = Some("鱼塘".into());
        },
        |w| &w.contract_no,
    )
    .await;
    register_behaves::<DebtRow>(
        &mut conn,
        debt,
        |w| {
            w.principal_fen = 700_000;
            w.category = Some("借款".into());
            w.incurred_on = None;
        },
        |w| &w.debt_no,
    )
    .await;
    register_behaves::<ClaimRow>(
        &mut conn,
        claim,
        |w| {
            w.amount_fen = 45_000;
            w.note = "分期".into();
        },
        |w| &w.claim_no,
    )
    .await;
    register_behaves::<ResourceRow>(
        &mut conn,
        resource,
        |w| {
            w.status = "occupied_without_contract".into();
            w.location = Some("东头".into());
            w.area_mu_x100 = None;
        },
        |w| &w.resource_no,
    )
    .await;
}
both!(registers_behave_the_same, registers_behave_the_same);

/// What each register adds to the generic one: a contract's flag counts, a debt's resolved
/// amount, a claim's collected amount and origin, and the scope's per-village figures.
async fn register_extras_behave_the_same(t: TestApp) {
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let d = register::insert::<DebtRow>(&mut conn, &debt(VILLAGE_A, "ZW-1"))
        .await
        .unwrap();
    for (amount, on) in [(100_000, "2024-01-02"), (50_000, "2024-03-04")] {
        let a = ActionWrite {
            debt_id: d,
            village_code: VILLAGE_A.into(),
            method: "repayment".into(),
            amount_fen: amount,
            acted_on: on.into(),
            ..Default::default()
        };
        debts::insert_action(&mut conn, &a).await.unwrap();
    }
    assert_eq!(debts::resolved_of(&mut conn, d).await.unwrap(), 150_000);
    let (row, resolved) = debts::get_with_resolved(&mut conn, d)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.fields.debt_no.as_str(), resolved), ("ZW-1", 150_000));
    assert_eq!(
        debts::resolved_in_village(&mut conn, VILLAGE_A)
            .await
            .unwrap()
            .get(&d),
        Some(&150_000)
    );

    let k = register::insert::<ClaimRow>(&mut conn, &claim(VILLAGE_A, "ZQ-1"))
        .await
        .unwrap();
    claims::insert_collection(&mut conn, k, VILLAGE_A, 12_000, "2024-05-06", "")
        .await
        .unwrap();
    let got = register::get::<ClaimRow>(&mut conn, k)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.collected_fen, 12_000);
    assert_eq!(
        claims::find_by_origin(&mut conn, VILLAGE_A, "借款")
            .await
            .unwrap()
            .map(|c| c.id),
        Some(k)
    );
    assert!(claims::find_by_origin(&mut conn, VILLAGE_A2, "借款")
        .await
        .unwrap()
        .is_none());

    let c = register::insert::<ContractRow>(&mut conn, &contract(VILLAGE_A, "HT-1"))
        .await
        .unwrap();
    let fresh = register::get::<ContractRow>(&mut conn, c)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fresh.flag_count, fresh.open_flag_count), (0, 0));
    assert!(!fresh.updated_at.is_empty());
    store::ledger::contracts::set_flag_counts(&mut conn, c, 3, 1)
        .await
        .unwrap();
    let flagged = register::get::<ContractRow>(&mut conn, c)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((flagged.flag_count, flagged.open_flag_count), (3, 1));
    register::insert::<ResourceRow>(&mut conn, &resource(VILLAGE_A, "ZY-1"))
        .await
        .unwrap();

    // The township's villages, each with its own figures; a village without ledgers is zero.
    let figures = scope::villages(&mut conn, TOWNSHIP).await.unwrap();
    let a = figures
        .iter()
        .find(|v| v.village_code == VILLAGE_A)
        .unwrap();
    assert_eq!((a.contracts, a.annual_rent_fen, a.flagged), (1, 100_000, 1));
    assert_eq!((a.debts, a.principal_fen), (1, 500_000));
    assert_eq!(a.by_method_fen.get("repayment"), Some(&150_000));
    assert_eq!(
        (a.claims, a.claim_amount_fen, a.collected_fen),
        (1, 30_000, 12_000)
    );
    assert_eq!((a.resources, a.area_mu_x100, a.idle), (1, 800, 1));
    let a2 = figures
        .iter()
        .find(|v| v.village_code == VILLAGE_A2)
        .unwrap();
    assert_eq!(
        (a2.contracts, a2.debts, a2.claims, a2.resources),
        (0, 0, 0, 0)
    );
    assert!(figures.iter().all(|v| v.village_code.starts_with(TOWNSHIP)));
}
both!(
    register_extras_behave_the_same,
    register_extras_behave_the_same
);
