//! Account management: administrators add accounts bound to a unit; officers list those in
//! their subtree; nobody else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::{both, TestApp, VILLAGE_A};

async fn accounts_are_managed_within_scope(t: TestApp) {
    let admin = t.login("admin").await;
    let res = t
        .post_form(
            "/users",
            &admin,
            &[
                ("username", "li_grid"),
                ("display_name", "李网格员"),
                ("role", "grid_member"),
                ("unit", VILLAGE_A),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("密码至少 12 位"), "{}", res.body);
    // Twelve characters, but on the shipped list of common passwords (any letter case).
    let res = t
        .post_form(
            "/users",
            &admin,
            &[
                ("username", "li_grid"),
                ("display_name", "李网格员"),
                ("role", "grid_member"),
                ("unit", VILLAGE_A),
                ("password", "Woaini5201314"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("该密码过于常见"), "{}", res.body);
    // Eleven characters were enough before; no longer.
    let res = t
        .post_form(
            "/users",
            &admin,
            &[
                ("username", "li_grid"),
                ("display_name", "李网格员"),
                ("role", "grid_member"),
                ("unit", VILLAGE_A),
                ("password", "grid-pass-1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = t
        .post_form(
            "/users",
            &admin,
            &[
                ("username", "li_grid"),
                ("display_name", "李网格员"),
                ("role", "grid_member"),
                ("unit", VILLAGE_A),
                ("password", "long-enough-1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        t.try_login("li_grid", "long-enough-1").await.status,
        StatusCode::SEE_OTHER
    );
    let dup = t
        .post_form(
            "/users",
            &admin,
            &[
                ("username", "li_grid"),
                ("display_name", "x"),
                ("role", "grid_member"),
                ("unit", VILLAGE_A),
                ("password", "long-enough-1"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);

    // The township officer lists accounts of the township only, and cannot add.
    let township = t.login("township").await;
    let list = t.get("/users", &township).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("li_grid") && list.body.contains("cadre_a2"));
    assert!(
        !list.body.contains("cadre_b"),
        "an account of another township is not listed"
    );
    let res = t
        .post_form(
            "/users",
            &township,
            &[
                ("username", "x_user"),
                ("display_name", "x"),
                ("role", "admin"),
                ("password", "long-enough-1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A village cadre cannot even list.
    let cadre = t.login("cadre_a").await;
    assert_eq!(t.get("/users", &cadre).await.status, StatusCode::FORBIDDEN);
}
both!(
    accounts_are_managed_within_scope,
    accounts_are_managed_within_scope
);
