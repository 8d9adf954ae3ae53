//! Credit-village pages: rounds and the four steps, household filing and score events (phone
//! friendly), the household's explained score, the public village page, objection review,
//! the bank page, the credit supermarket and the passbook.

mod aaa;
mod bank;
mod household;
mod public;
pub(crate) mod public_cache;
pub(crate) mod public_form;
mod review;
mod rounds;
mod shop;

use crate::ctx::Ctx;
use crate::pages::registry::units::{crumbs_with, Crumb};
use crate::AppState;
use app::credit::rounds::RoundView;
use axum::routing::{get, post};
use axum::Router;
use maud::Markup;

/// Where a credit page sits: 信用村 › the round's units › the round › `after`. The units are
/// those the account may see (a grid member's trail starts below the village); a trail that
/// cannot be read leaves the units out rather than fail the page.
pub(crate) async fn crumbs(
    st: &AppState,
    ctx: &Ctx,
    round: Option<&RoundView>,
    after: &[Crumb],
) -> Markup {
    let l = ctx.lang;
    let home = [(
        l.t("信用村", "Credit village").to_string(),
        Some("/credit".to_string()),
    )];
    let Some(r) = round else {
        return crumbs_with(&home, &[], after);
    };
    let trail = app::registry::units::breadcrumb(&st.app, &ctx.actor, &r.unit_code)
        .await
        .unwrap_or_default();
    let mut steps = vec![(
        format!("{} {}", r.period, l.t("评定", "assessment")),
        Some(format!("/credit/rounds/{}", r.id)),
    )];
    steps.extend_from_slice(after);
    if after.is_empty() {
        // The round page itself: its step is not a link.
        steps[0].1 = None;
    }
    crumbs_with(&home, &trail, &steps)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit", get(rounds::index).post(rounds::open))
        .route("/credit/rounds/{id}", get(rounds::round_page))
        .route("/credit/rules/default.toml", get(rounds::default_rules))
        .route("/credit/rounds/{id}/step", post(rounds::step))
        .route(
            "/credit/rounds/{id}/households/{hid}",
            get(household::show).post(household::record),
        )
        .route("/credit/records/{id}/confirm", post(household::confirm))
        .route(
            "/credit/households/{hid}/profile",
            get(household::profile_form).post(household::profile_save),
        )
        .route("/credit/rounds/{id}/objections", get(review::show))
        .route("/credit/objections/{id}/resolve", post(review::resolve))
        .route(
            "/credit/objections/{id}/contact",
            post(review::reveal_contact),
        )
        .route("/credit/units/{code}/aaa", get(aaa::print_list))
        .route("/credit/bank", get(bank::show).post(bank::grant))
        .route("/credit/bank.xlsx", get(bank::bank_xlsx))
        .route("/credit/shop", get(shop::show).post(shop::add_goods))
        .route("/credit/shop/redeem", post(shop::redeem))
        .route("/credit/households/{hid}/passbook", get(shop::passbook))
        .route("/public/villages/{code}/credit", get(public::page))
        .route(
            "/public/villages/{code}/credit/objection",
            get(public_form::form),
        )
        .route(
            "/public/villages/{code}/credit/objections",
            post(public_form::object),
        )
}

/// A route answering `body` from memory exactly as the cached public page is answered (the
/// benchmark's baseline; see `web::static_baseline`).
pub(crate) fn static_baseline_route(path: &str, body: axum::body::Bytes) -> Router {
    let etag = public_cache::etag_of(&body);
    Router::new().route(
        path,
        get(move |headers: axum::http::HeaderMap| {
            let (body, etag) = (body.clone(), etag.clone());
            async move { public::cached_response(&headers, body, etag) }
        }),
    )
}

/// Stage label in both languages.
pub(crate) fn stage_label(l: crate::i18n::Lang, stage: &str) -> &'static str {
    match stage {
        "filing" => l.t("① 信息采集", "① Filing"),
        "assessed" => l.t("② 系统初评", "② Preliminary assessment"),
        "publicity" => l.t("③ 张榜公示", "③ Publicity"),
        "final" => l.t("④ 终评定级", "④ Final"),
        _ => "?",
    }
}

pub(crate) fn fen(amount: i64) -> String {
    // Grouped with the sign kept (`¥550,000.00`, `-¥0.50`): the money type's own display.
    domain::Fen(amount).to_string()
}
