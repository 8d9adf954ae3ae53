//! The credit supermarket: goods with point prices and stock, redemptions, the passbook.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::credit::points;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use maud::html;

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let goods = points::goods(&st.app, &ctx.actor, "").await.lang(l)?;
    let edit = ctx.actor.role.can(Permission::EditCredit);
    let village = ctx.actor.scope.root.get(..12).unwrap_or("").to_string();
    let body = html! {
        div class="scroll" { table {
            thead { tr { th { "#" } th { (l.t("商品", "Goods")) } th { (l.t("积分价", "Points")) } th { (l.t("库存", "Stock")) } } }
            tbody { @for g in &goods { tr { td { (g.id) } td { (g.name) } td { (g.price_points) } td { (g.stock) } } } }
        } }
        @if edit {
            h2 { (l.t("兑换", "Redeem")) }
            form method="post" action="/credit/shop/redeem" {
                (csrf(&ctx))
                div { label for="household_id" { (l.t("农户编号（ID）", "Household id")) } input id="household_id" name="household_id" inputmode="numeric" required; }
                div { label for="goods_id" { (l.t("商品", "Goods")) }
                    select id="goods_id" name="goods_id" { @for g in &goods { option value=(g.id) { (g.name) " (" (g.price_points) ")" } } } }
                div { label for="qty" { (l.t("数量", "Quantity")) } input id="qty" name="qty" value="1" inputmode="numeric"; }
                button type="submit" { (l.t("兑换", "Redeem")) }
            }
            @if !village.is_empty() {
                h2 { (l.t("上架商品", "Add goods")) }
                form method="post" action="/credit/shop" {
                    (csrf(&ctx))
                    input type="hidden" name="village" value=(village);
                    div { label for="name" { (l.t("名称", "Name")) } input id="name" name="name" required; }
                    div { label for="price" { (l.t("积分价", "Points price")) } input id="price" name="price" inputmode="numeric" required; }
                    div { label for="stock" { (l.t("库存", "Stock")) } input id="stock" name="stock" inputmode="numeric" required; }
                    button type="submit" { (l.t("上架", "Add")) }
                }
            }
        }
    };
    Ok(page(
        &ctx,
        l.t("信用超市", "Credit supermarket"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn add_goods(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    points::add_goods(
        &st.app,
        &ctx.actor,
        &f.get("village"),
        &f.get("name"),
        f.get("price").trim().parse().unwrap_or(0),
        f.get("stock").trim().parse().unwrap_or(-1),
    )
    .await
    .lang(ctx.lang)?;
    Ok(redirect("/credit/shop", Flash::GoodsSaved))
}

pub async fn redeem(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let hid: i64 = f.get("household_id").trim().parse().unwrap_or(0);
    points::redeem(
        &st.app,
        &ctx.actor,
        hid,
        f.get("goods_id").parse().unwrap_or(0),
        f.get("qty").trim().parse().unwrap_or(0),
    )
    .await
    .lang(ctx.lang)?;
    Ok(redirect(
        &format!("/credit/households/{hid}/passbook"),
        Flash::Redeemed,
    ))
}

pub async fn passbook(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(hid): PagePath<i64>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let pb = points::passbook(&st.app, &ctx.actor, hid).await.lang(l)?;
    let body = html! {
        p { (pb.household_no) " " (pb.head_name) " · " (l.t("积分余额 ", "Balance ")) strong { (pb.balance) } }
        div class="scroll" { table {
            thead { tr { th { (l.t("时间", "When")) } th { (l.t("类别", "Kind")) } th { (l.t("积分", "Points")) } th { (l.t("余额", "Balance")) } th { (l.t("说明", "Note")) } th { (l.t("经办", "By")) } } }
            tbody { @for e in &pb.entries { tr {
                td { (e.created_at.get(..10).unwrap_or(&e.created_at)) }
                td { (match e.kind.as_str() { "earn" => l.t("评定得分", "earned"), "redeem" => l.t("兑换", "redeemed"), _ => l.t("调整", "adjusted") }) }
                td { (e.amount) } td { (e.balance_after) } td { (e.note) } td { (e.created_by) }
            } } }
        } }
    };
    Ok(page(
        &ctx,
        l.t("积分存折", "Points passbook"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}
