//! The phone pages a grid member uses: the round lists only their grid's households, the
//! score-event and filing forms (errors next to the fields), the supermarket and passbook.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{grid, households, open_round};
use domain::access::Role;
use testkit::{TestApp, VILLAGE_A};

async fn grid_member_pages(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 4).await;
    let g = grid(&t, VILLAGE_A, &ids[..2]).await;
    t.add_account("grid1", Role::GridMember, &g).await;
    let round = open_round(&t, &t.token("cadre_a").await, VILLAGE_A).await;
    let s = t.login("grid1").await;

    let home = t.page("/credit", &s).await;
    assert!(home.body.contains("信用村") && home.body.contains(&format!("/credit/rounds/{round}")));
    let rp = t.page(&format!("/credit/rounds/{round}"), &s).await;
    assert!(rp
        .body
        .contains(&format!("/credit/rounds/{round}/households/{}", ids[0])));
    assert!(
        !rp.body
            .contains(&format!("/credit/rounds/{round}/households/{}", ids[3])),
        "households outside the grid are not listed"
    );
    assert!(
        !rp.body.contains("运行系统初评"),
        "grid members do not run the assessment"
    );

    let path = format!("/credit/rounds/{round}/households/{}", ids[1]);
    let bad = t
        .post_fields(&path, &s, "item_code=SV01&occurred_on=2024-13-40&evidence=")
        .await
        .expect_status(422);
    assert!(
        bad.body.contains("请填写佐证材料") && bad.body.contains("2024-13-40"),
        "errors next to the fields, input kept"
    );
    assert_eq!(t.count("credit_records").await, 0);
    let ok = t
        .post_fields(
            &path,
            &s,
            "item_code=PW04&occurred_on=2024-04-02&evidence=捐款收据 0412",
        )
        .await
        .expect_status(303);
    // The confirmation shows after the redirect, in the reader's language.
    let next = t.get(&ok.location(), &s).await;
    assert!(
        next.body.contains("class=\"flash\"") && next.body.contains("已记录"),
        "{}",
        ok.location()
    );
    let page = t.get(&path, &s).await;
    assert!(
        page.body.contains("捐款收据 0412")
            && page.body.contains("grid1")
            && page.body.contains("65"),
        "the record explains the new score"
    );
    t.post_fields(
        &path,
        &testkit::Session {
            cookie: s.cookie.clone(),
            csrf: "0".repeat(64),
        },
        "item_code=SV01&occurred_on=2024-04-02&evidence=x",
    )
    .await
    .expect_status(403);

    let profile = format!("/credit/households/{}/profile", ids[1]);
    t.page(&profile, &s).await;
    t.post_form(&profile, &s, &[("labour", "abc")])
        .await
        .expect_status(422);
    let saved = t
        .post_fields(
            &profile,
            &s,
            "labour=3&industry=核桃种植&income_band=5-10万&consent_to_share=1",
        )
        .await
        .expect_status(303);
    let next = t.get(&saved.location(), &s).await;
    assert!(next.body.contains("class=\"flash\"") && next.body.contains("已保存"));
    assert_eq!(
        t.scalar(&format!(
            "SELECT consent_to_share FROM credit_profiles WHERE household_id = {}",
            ids[1]
        ))
        .await,
        1
    );
    t.get(&format!("/credit/households/{}/profile", ids[3]), &s)
        .await
        .expect_status(404);

    // Supermarket and passbook pages.
    let cadre = t.login("cadre_a").await;
    let add = t
        .post_form(
            "/credit/shop",
            &cadre,
            &[
                ("village", VILLAGE_A),
                ("name", "食用油"),
                ("price", "20"),
                ("stock", "5"),
            ],
        )
        .await
        .expect_status(303);
    let next = t.get(&add.location(), &cadre).await;
    assert!(next.body.contains("商品已保存"), "{}", add.location());
    // A round is opened over a unit picked by name, not a typed code.
    let home = t.get("/credit", &cadre).await;
    assert!(
        home.body.contains("<select id=\"unit\" name=\"unit\"")
            && home
                .body
                .contains(&format!("<option value=\"{VILLAGE_A}\" selected>陈区村")),
        "{}",
        home.body
    );
    let shop = t.get("/credit/shop", &s).await;
    shop.assert_contains(&["食用油"]);
    // Redeeming picks the household by number or head's name; what stops it is answered in the
    // shop page with the typed values kept (no dead end, nothing written).
    let goods_id = t
        .scalar("SELECT MAX(id) FROM credit_goods")
        .await
        .to_string();
    let redeem = |who: &'static str| {
        let t = &t;
        let cadre = &cadre;
        let goods_id = goods_id.clone();
        async move {
            t.post_form(
                "/credit/shop/redeem",
                cadre,
                &[("household", who), ("goods_id", &goods_id), ("qty", "1")],
            )
            .await
        }
    };
    let none = redeem("孙悟空").await.expect_status(422);
    assert!(none.body.contains("id=\"redeem-problem\"") && none.body.contains("value=\"孙悟空\""));
    let several = redeem("明").await.expect_status(422);
    assert!(several.body.contains("type=\"radio\"") && several.body.contains("王小明"));
    for who in ["002", "王小明"] {
        let poor = redeem(who).await;
        assert_eq!(poor.status, 409, "{who}: {}", poor.body);
        assert!(poor.body.contains("id=\"redeem-problem\"") && poor.body.contains("<nav"));
    }
    assert_eq!(t.scalar("SELECT COUNT(*) FROM credit_redemptions").await, 0);
    t.page(&format!("/credit/households/{}/passbook", ids[1]), &s)
        .await;
    t.page(&format!("/credit/rounds/{round}/objections"), &cadre)
        .await;
    let en = t
        .get(
            "/credit",
            &testkit::Session {
                cookie: s.cookie.clone(),
                csrf: s.csrf.clone(),
            },
        )
        .await;
    en.assert_contains(&["信用村"]);
}
testkit::both!(grid_member_phone_pages, grid_member_pages);
