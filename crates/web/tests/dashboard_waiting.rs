//! The dashboard lists what is waiting for the account, in its area only: open objections, the
//! final step once publicity is over, overdue rectifications — each linking to where it is done.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use app::credit::objections::ObjectionInput;
use credit_support::round_in_publicity;
use testkit::{both, TestApp, VILLAGE_A};

async fn waiting_work_is_listed_in_scope(t: TestApp) {
    let (_, round, _) = round_in_publicity(&t, 2).await;
    let today = app::credit::today();
    app::credit::objections::raise_public(
        &t.app,
        VILLAGE_A,
        &ObjectionInput {
            household_no: "001".into(),
            name: "刘村民".into(),
            contact: "13800000000".into(),
            reason: "分数不对".into(),
        },
        "192.0.2.1",
        today,
    )
    .await
    .unwrap();
    // A contract flagged, its rectification due yesterday.
    let contracts =
        "contract_no,kind,counterparty,start_on,end_on,annual_rent_yuan,procedure_ref\n\
                     HT-9,土地租赁,张三,2020-01-01,2030-12-31,1000,\n";
    t.import_ledger(
        &t.token("accountant_a").await,
        VILLAGE_A,
        "kind=contracts&file=c.csv",
        contracts.as_bytes().to_vec(),
    )
    .await
    .expect_status(200);
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    t.execute("UPDATE contract_flags SET deadline = $1", &[&yesterday])
        .await;
    assert!(
        t.count("contract_flags").await > 0,
        "the contract is flagged"
    );

    let mine = t.get("/", &t.login("cadre_a").await).await;
    mine.assert_contains(&["待办事项"]);
    assert!(mine
        .body
        .contains(&format!("href=\"/credit/rounds/{round}/objections\"")));
    mine.assert_contains(&["待处理异议 1"]);
    assert!(mine
        .body
        .contains(&format!("href=\"/villages/{VILLAGE_A}/ledger\"")));
    mine.assert_contains(&["逾期未整改"]);
    // The township sees its village's work; another village's cadre and another township do not.
    let township = t.get("/", &t.login("township").await).await;
    assert!(township.body.contains("逾期未整改") && township.body.contains("待处理异议 1"));
    for other in ["cadre_a2", "cadre_b"] {
        let page = t.get("/", &t.login(other).await).await;
        assert!(!page.body.contains("待办事项"), "{other}: {}", page.body);
    }
    // Publicity over and the objection decided: the final step is waiting.
    t.execute("UPDATE credit_objections SET status = 'rejected'", &[])
        .await;
    t.execute(
        "UPDATE credit_rounds SET publicity_start = $1",
        &[&(today - chrono::Duration::days(30)).to_string()],
    )
    .await;
    let mine = t.get("/", &t.login("cadre_a").await).await;
    assert!(
        mine.body.contains("可以终评定级") && !mine.body.contains("待处理异议"),
        "{}",
        mine.body
    );
}
both!(waiting, waiting_work_is_listed_in_scope);
