//! Account management: administrators add accounts bound to a unit; officers list those in
//! their subtree; nobody else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::{both, TestApp, VILLAGE_A};

async fn accounts_are_managed_within_scope(t: TestApp) {
    let admin = t.login("admin").await;
    let user = |display_name, password| {
        [
            ("username", "li_grid"),
            ("display_name", display_name),
            ("role", "grid_member"),
            ("unit", VILLAGE_A),
            ("password", password),
        ]
    };
    for (password, status, texts) in [
        ("short", 422, &["密码至少 12 位"][..]),
        // Twelve characters, but on the shipped list of common passwords (any letter case).
        ("Woaini5201314", 422, &["该密码过于常见"]),
        // Eleven characters were enough before; no longer.
        ("grid-pass-1", 422, &[]),
        ("long-enough-1", 303, &[]),
    ] {
        let fields = user("李网格员", password);
        t.post_form_expect("/users", &admin, &fields, status, texts)
            .await;
    }
    t.try_login("li_grid", "long-enough-1")
        .await
        .expect_status(StatusCode::SEE_OTHER);
    t.post_form("/users", &admin, &user("x", "long-enough-1"))
        .await
        .expect_status(StatusCode::CONFLICT);

    // The township officer lists accounts of the township only, and cannot add.
    let township = t.login("township").await;
    let list = t.page("/users", &township).await;
    assert!(list.body.contains("li_grid") && list.body.contains("cadre_a2"));
    assert!(
        !list.body.contains("cadre_b"),
        "an account of another township is not listed"
    );
    t.post_fields(
        "/users",
        &township,
        "username=x_user&display_name=x&role=admin&password=long-enough-1",
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    // A village cadre cannot even list.
    let cadre = t.login("cadre_a").await;
    t.get("/users", &cadre)
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
both!(accounts_are_managed_within_scope);
