//! Pages read on a 390 px phone: wide tables carry a label per cell (cards under 600 px, so
//! the flagged contracts keep 说明 and 整改), links in tables are tap-sized, and credit pages
//! say where they are (breadcrumbs: 信用村 › units › round › household).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::http::StatusCode;
use credit_support::{households, open_round};
use testkit::fixtures::related_cadre_contract;
use testkit::{TestApp, VILLAGE_A};

/// The cells inside `<table class="cards">` of the page carry a `data-label`; at most
/// `bare_per_row` cells of a row (a check box, a link-only column) go without.
fn labelled(body: &str, page: &str, bare_per_row: usize) {
    let tables: Vec<&str> = body
        .split("<table class=\"cards\">")
        .skip(1)
        .map(|t| t.split("</table>").next().unwrap())
        .collect();
    let mut with_rows = 0;
    for t in tables {
        let rows = t.matches("<tr>").count() - 1;
        let cells = t.matches("<td").count();
        let bare = cells - t.matches("<td data-label=\"").count();
        if cells > 0 {
            with_rows += 1;
        }
        assert!(
            bare <= bare_per_row * rows,
            "{page}: {bare} of {cells} cells unlabelled"
        );
    }
    assert!(with_rows > 0, "{page}: a card table with rows");
}

async fn phone(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;

    // The stylesheet turns labelled rows into cards on a phone, with tap-sized links.
    let s = t.login("cadre_a").await;
    let list = t.page("/households", &s).await;
    list.assert_contains(&["@media screen and (max-width:600px)"]);
    assert!(list
        .body
        .contains("table.cards td[data-label]::before{content:attr(data-label)"));
    assert!(list
        .body
        .contains("td a,td button,a.tap{display:inline-block;min-height:24px"));
    labelled(&list.body, "households", 1);
    list.assert_contains(&["data-label=\"户主\""]);

    // A flagged contract on a phone still shows its details and its task.
    let acc = t.login("accountant_a").await;
    let v = format!("/villages/{VILLAGE_A}/ledger");
    t.post_form(
        &format!("{v}/contracts/new"),
        &acc,
        &related_cadre_contract("HT-1"),
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    for page in [v.clone(), format!("{v}/report"), format!("{v}/contracts")] {
        let r = t.get(&page, &acc).await;
        labelled(&r.body, &page, 0);
    }
    let home = t.get(&v, &acc).await;
    assert!(home.body.contains("data-label=\"说明\"") && home.body.contains("data-label=\"整改\""));

    // Credit pages: the trail from the credit home through the village to the round.
    let rp = t.page(&format!("/credit/rounds/{round}"), &s).await;
    labelled(&rp.body, "round", 0);
    let crumbs = rp.body.split("class=\"crumbs\"").nth(1).expect("crumbs");
    let crumbs = crumbs.split("</div>").next().unwrap();
    assert!(
        crumbs.contains("href=\"/credit\"")
            && crumbs.contains(&format!("href=\"/units/{VILLAGE_A}\"")),
        "{crumbs}"
    );
    assert!(
        crumbs.contains("aria-current=\"page\""),
        "the round itself is not a link: {crumbs}"
    );
    let hp = t
        .get(&format!("/credit/rounds/{round}/households/{}", ids[0]), &s)
        .await;
    let crumbs = hp.body.split("class=\"crumbs\"").nth(1).expect("crumbs");
    let crumbs = crumbs.split("</div>").next().unwrap();
    assert!(
        crumbs.contains(&format!("href=\"/credit/rounds/{round}\"")) && crumbs.contains("001"),
        "{crumbs}"
    );
    let review = t
        .get(&format!("/credit/rounds/{round}/objections"), &s)
        .await;
    assert!(
        review.body.contains("class=\"crumbs\"")
            && review
                .body
                .contains(&format!("href=\"/credit/rounds/{round}\""))
    );

    // The audit log reads as cards too.
    let county = t.login("county").await;
    let audit = t.page("/audit", &county).await;
    labelled(&audit.body, "audit", 0);
}
testkit::both!(pages_read_on_a_phone, phone);
