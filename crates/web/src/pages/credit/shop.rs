//! The credit supermarket: goods with point prices and stock, redemptions, the passbook.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, page, page_with};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::credit::points;
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::access::Permission;
use maud::{html, Markup};

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let body = shop_body(&st, &ctx, &RedeemForm::default()).await?;
    let l = ctx.lang;
    Ok(page(
        &ctx,
        l.t("信用超市", "Credit supermarket"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

/// What was typed in the redemption form, kept when it is answered with a problem.
#[derive(Default)]
struct RedeemForm {
    household: String,
    goods_id: i64,
    qty: String,
    /// Why the redemption did not happen, shown above the form.
    problem: Option<String>,
    /// Households the typed text could mean (more than one matched).
    candidates: Vec<app::registry::households::HouseholdView>,
}

async fn shop_body(st: &AppState, ctx: &Ctx, form: &RedeemForm) -> Result<Markup, PageError> {
    let l = ctx.lang;
    let goods = points::goods(&st.app, &ctx.actor, "").await.lang(l)?;
    let edit = ctx.actor.role.can(Permission::EditCredit);
    let village = ctx.actor.scope.root.get(..12).unwrap_or("").to_string();
    let qty = if form.qty.is_empty() {
        "1"
    } else {
        form.qty.as_str()
    };
    Ok(html! {
        div class="scroll" { table {
            thead { tr { th { "#" } th { (l.t("商品", "Goods")) } th { (l.t("积分价", "Points")) } th { (l.t("库存", "Stock")) } } }
            tbody { @for g in &goods { tr { td { (g.id) } td { (g.name) } td { (g.price_points) } td { (g.stock) } } } }
        } }
        @if edit {
            h2 { (l.t("兑换", "Redeem")) }
            @if let Some(p) = &form.problem { p class="error" role="alert" id="redeem-problem" { (p) } }
            form method="post" action="/credit/shop/redeem" {
                (csrf(ctx))
                @if form.candidates.is_empty() {
                    div { label for="household" { (l.t("农户（户号或户主姓名）", "Household (number or head's name)")) }
                        input id="household" name="household" value=(form.household) required autocomplete="off"; }
                } @else {
                    fieldset { legend { (l.t("有多户符合，请选择：", "Several households match; choose one:")) }
                        @for h in &form.candidates {
                            label { input type="radio" name="household_id" value=(h.id) required; " " (h.household_no) " " (h.head_name) " · " (h.address) }
                        }
                    }
                }
                div { label for="goods_id" { (l.t("商品", "Goods")) }
                    select id="goods_id" name="goods_id" { @for g in &goods { option value=(g.id) selected[g.id == form.goods_id] { (g.name) " (" (g.price_points) ")" } } } }
                div { label for="qty" { (l.t("数量", "Quantity")) } input id="qty" name="qty" value=(qty) inputmode="numeric"; }
                button type="submit" { (l.t("兑换", "Redeem")) }
            }
            @if !village.is_empty() {
                h2 { (l.t("上架商品", "Add goods")) }
                form method="post" action="/credit/shop" {
                    (csrf(ctx))
                    input type="hidden" name="village" value=(village);
                    div { label for="name" { (l.t("名称", "Name")) } input id="name" name="name" required; }
                    div { label for="price" { (l.t("积分价", "Points price")) } input id="price" name="price" inputmode="numeric" required; }
                    div { label for="stock" { (l.t("库存", "Stock")) } input id="stock" name="stock" inputmode="numeric" required; }
                    button type="submit" { (l.t("上架", "Add")) }
                }
            }
        }
    })
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

/// Redeems points for goods. The household is picked by what the cadre knows — its number or
/// its head's name, in the goods' village — and anything that stops the redemption (no such
/// household, several, too few points, out of stock) is answered in the shop page with what
/// was typed kept.
pub async fn redeem(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let mut kept = RedeemForm {
        household: f.get("household").trim().to_string(),
        goods_id: f.get("goods_id").trim().parse().unwrap_or(0),
        qty: f.get("qty").trim().to_string(),
        ..Default::default()
    };
    let goods = points::goods(&st.app, &ctx.actor, "").await.lang(l)?;
    // The goods' village, or the account's own part of it (a grid member picks among its grid;
    // the redemption itself checks household and goods are of one village).
    let village = goods
        .iter()
        .find(|g| g.id == kept.goods_id)
        .map(|g| g.village_code.clone())
        .filter(|v| ctx.actor.can_see(v))
        .unwrap_or_else(|| ctx.actor.scope.root.clone());
    let chosen: Option<i64> = f.get("household_id").trim().parse().ok();
    let hid = match chosen {
        Some(id) => id,
        None => match pick_household(&st, &ctx, &village, &kept.household).await? {
            Picked::One(id) => id,
            Picked::None => {
                kept.problem = Some(
                    l.t(
                        "没有找到这个户号或户主姓名的农户。",
                        "No household has this number or head's name.",
                    )
                    .to_string(),
                );
                return refused(&st, &ctx, &kept, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            Picked::Several(c) => {
                kept.candidates = c;
                kept.problem = Some(
                    l.t(
                        "有多户符合，请选择一户后再兑换。",
                        "Several households match: choose one, then redeem.",
                    )
                    .to_string(),
                );
                return refused(&st, &ctx, &kept, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    match points::redeem(
        &st.app,
        &ctx.actor,
        hid,
        kept.goods_id,
        kept.qty.parse().unwrap_or(0),
    )
    .await
    {
        Ok(_) => Ok(redirect(
            &format!("/credit/households/{hid}/passbook"),
            Flash::Redeemed,
        )),
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_) | AppError::NotFound(_))) => {
            let status = match &e {
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            kept.problem = Some(problem_text(&e, l.is_zh()));
            refused(&st, &ctx, &kept, status).await
        }
        Err(e) => Err(PageError::new(e, l)),
    }
}

enum Picked {
    One(i64),
    None,
    Several(Vec<app::registry::households::HouseholdView>),
}

/// The household meant by `text` in `village`: the exact household number first, then a single
/// match on the head's (or a member's) name.
async fn pick_household(
    st: &AppState,
    ctx: &Ctx,
    village: &str,
    text: &str,
) -> Result<Picked, PageError> {
    if text.is_empty() {
        return Ok(Picked::None);
    }
    let (found, _) = crate::pages::registry::households::list_or_refusal(
        st,
        ctx,
        village,
        Some(text),
        None,
        1,
        20,
    )
    .await?;
    if let Some(h) = found.items.iter().find(|h| h.household_no == text) {
        return Ok(Picked::One(h.id));
    }
    let named: Vec<_> = found
        .items
        .into_iter()
        .filter(|h| {
            h.head_name == text || h.household_no.contains(text) || h.head_name.contains(text)
        })
        .collect();
    Ok(match named.len() {
        0 => Picked::None,
        1 => Picked::One(named[0].id),
        _ => Picked::Several(named),
    })
}

fn problem_text(e: &AppError, zh: bool) -> String {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|e| e.message.pick(zh).to_string())
            .collect::<Vec<_>>()
            .join("; "),
        other => crate::error::message_of(other).pick(zh).to_string(),
    }
}

async fn refused(st: &AppState, ctx: &Ctx, kept: &RedeemForm, status: StatusCode) -> PageResult {
    let body = shop_body(st, ctx, kept).await?;
    let l = ctx.lang;
    Ok(page_with(
        status,
        ctx,
        l.t("信用超市", "Credit supermarket"),
        body,
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
    let here = [
        (format!("{} {}", pb.household_no, pb.head_name), None),
        (l.t("积分存折", "Points passbook").to_string(), None),
    ];
    let crumbs = super::crumbs(&st, &ctx, None, &here).await;
    let body = html! {
        (crumbs)
        p { (pb.household_no) " " (pb.head_name) " · " (l.t("积分余额 ", "Balance ")) strong { (pb.balance) } }
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("时间", "When")) } th { (l.t("类别", "Kind")) } th { (l.t("积分", "Points")) } th { (l.t("余额", "Balance")) } th { (l.t("说明", "Note")) } th { (l.t("经办", "By")) } } }
            tbody { @for e in &pb.entries { tr {
                td data-label=(l.t("时间", "When")) { (e.created_at.get(..10).unwrap_or(&e.created_at)) }
                td data-label=(l.t("类别", "Kind")) { (match e.kind.as_str() { "earn" => l.t("评定得分", "earned"), "redeem" => l.t("兑换", "redeemed"), _ => l.t("调整", "adjusted") }) }
                td data-label=(l.t("积分", "Points")) { (e.amount) } td data-label=(l.t("余额", "Balance")) { (e.balance_after) } td data-label=(l.t("说明", "Note")) { (e.note) } td data-label=(l.t("经办", "By")) { (e.created_by) }
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
