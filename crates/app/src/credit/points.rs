//! Credit supermarket: goods with point prices and stock, redemptions, the passbook. Balance
//! and stock change only through conditional UPDATEs checked by rows affected, so concurrent
//! redemptions never drive either below zero on SQLite or PostgreSQL.

use super::load_household;
use crate::{audit, Actor, App, AppError, Result};
use domain::access::Permission;
use domain::credit::PassbookKind;
use domain::message::catalogue as msg;
use domain::registry::Level;
use serde::Serialize;
use serde_json::json;
use store::credit::points::{self as points_store, EntryRow, GoodsRow};

/// Adds goods to a village's supermarket (village cadre, or an officer above).
pub async fn add_goods(
    app: &App,
    actor: &Actor,
    village: &str,
    name: &str,
    price: i64,
    stock: i64,
) -> Result<i64> {
    actor.require(Permission::EditCredit)?;
    let village = village.trim();
    if Level::from_code_len(village.len()) != Some(Level::Village) {
        return Err(AppError::field("village", msg::CREDIT_VILLAGE_CODE));
    }
    actor.require_unit(village)?;
    let mut errors = Vec::new();
    domain::text::check_lines(&mut errors, &[("name", name)]);
    if name.trim().is_empty() {
        errors.push(domain::registry::FieldError::new(
            "name",
            msg::REQUIRED.field("name", &[]),
        ));
    }
    if price <= 0 {
        errors.push(domain::registry::FieldError::new(
            "price_points",
            msg::MUST_BE_POSITIVE.field("price_points", &[]),
        ));
    }
    if stock < 0 {
        errors.push(domain::registry::FieldError::new(
            "stock",
            msg::MUST_NOT_BE_NEGATIVE.field("stock", &[]),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let id = points_store::insert_goods(&mut tx, village, name.trim(), price, stock).await?;
    audit::record(
        &mut tx,
        actor,
        "credit.goods.create",
        "credit_goods",
        id,
        village,
        json!({"after": {"name": name.trim(), "price_points": price, "stock": stock}}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds stock (or removes it, never below zero).
pub async fn restock(app: &App, actor: &Actor, goods_id: i64, delta: i64) -> Result<GoodsRow> {
    actor.require(Permission::EditCredit)?;
    let mut tx = app.db.begin().await?;
    let g = points_store::get_goods(&mut tx, goods_id)
        .await?
        .filter(|g| actor.can_see(&g.village_code))
        .ok_or_else(|| AppError::NotFound(msg::GOODS.text()))?;
    if points_store::restock(&mut tx, goods_id, delta).await? == 0 {
        return Err(AppError::Conflict(
            msg::CREDIT_STOCK_BELOW_ZERO.with(&[("stock", &g.stock)]),
        ));
    }
    audit::record(
        &mut tx,
        actor,
        "credit.goods.restock",
        "credit_goods",
        goods_id,
        &g.village_code,
        json!({"before": {"stock": g.stock}, "after": {"stock": g.stock + delta}}),
    )
    .await?;
    tx.commit().await?;
    let mut conn = app.db.read().await?;
    points_store::get_goods(&mut conn, goods_id)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::GOODS.text()))
}

pub async fn goods(app: &App, actor: &Actor, unit: &str) -> Result<Vec<GoodsRow>> {
    actor.require(Permission::ViewRegistry)?;
    let unit = if unit.is_empty() || !actor.can_see(unit) {
        // A grid member sees its village's shop.
        actor
            .scope
            .root
            .get(..12)
            .unwrap_or(&actor.scope.root)
            .to_string()
    } else {
        unit.to_string()
    };
    let mut conn = app.db.read().await?;
    Ok(points_store::list_goods(&mut conn, &unit).await?)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Redeemed {
    pub redemption: i64,
    pub points: i64,
    pub balance: i64,
    pub stock: i64,
}

/// Exchanges points for goods. In one transaction: take the points only if the balance covers
/// them, take the stock only if enough remains, write the passbook entry and the redemption.
pub async fn redeem(
    app: &App,
    actor: &Actor,
    household_id: i64,
    goods_id: i64,
    qty: i64,
) -> Result<Redeemed> {
    crate::retry::once!(redeem_once(app, actor, household_id, goods_id, qty).await)
}

async fn redeem_once(
    app: &App,
    actor: &Actor,
    household_id: i64,
    goods_id: i64,
    qty: i64,
) -> Result<Redeemed> {
    actor.require(Permission::EditCredit)?;
    if qty <= 0 {
        return Err(AppError::field(
            "qty",
            msg::MUST_BE_POSITIVE.field("qty", &[]),
        ));
    }
    // Reads first, outside the transaction: the transaction then starts with its conditional
    // UPDATE, so on SQLite it takes the write lock at once (waiting its turn) instead of
    // failing to upgrade a read snapshot that a concurrent redemption made stale.
    let (h, g) = {
        let mut conn = app.db.read().await?;
        let h = load_household(&mut conn, actor, None, household_id).await?;
        let g = points_store::get_goods(&mut conn, goods_id)
            .await?
            .filter(|g| g.village_code == h.village_code)
            .ok_or_else(|| AppError::NotFound(msg::GOODS.text()))?;
        (h, g)
    };
    let cost = g
        .price_points
        .checked_mul(qty)
        .ok_or_else(|| AppError::field("qty", msg::NUMBER_TOO_LARGE.field("qty", &[])))?;
    let mut tx = app.db.begin().await?;
    if points_store::take_points(&mut tx, h.id, cost).await? == 0 {
        let balance = points_store::balance(&mut tx, h.id).await?;
        return Err(AppError::Conflict(
            msg::CREDIT_NOT_ENOUGH_POINTS.with(&[("balance", &balance), ("needed", &cost)]),
        ));
    }
    if points_store::take_stock(&mut tx, g.id, qty).await? == 0 {
        // Dropping the transaction rolls the points back.
        return Err(AppError::Conflict(msg::CREDIT_NOT_ENOUGH_STOCK.text()));
    }
    let balance = points_store::balance(&mut tx, h.id).await?;
    let stock = points_store::get_goods(&mut tx, g.id)
        .await?
        .map(|g| g.stock)
        .unwrap_or(0);
    let rid =
        points_store::insert_redemption(&mut tx, h.id, g.id, qty, cost, &actor.username).await?;
    points_store::insert_entry(
        &mut tx,
        h.id,
        PassbookKind::Redeem.as_str(),
        -cost,
        balance,
        &format!("{} × {}", g.name, qty),
        &actor.username,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.points.redeem",
        "credit_redemption",
        rid,
        &h.village_code,
        json!({"after": {"household": h.id, "goods": g.id, "qty": qty, "points": cost,
            "balance": balance, "stock": stock}}),
    )
    .await?;
    tx.commit().await?;
    Ok(Redeemed {
        redemption: rid,
        points: cost,
        balance,
        stock,
    })
}

/// The largest change one hand adjustment may make, up or down.
pub const MAX_ADJUST_POINTS: i64 = 1_000_000_000;

/// Points added or removed by hand (e.g. a correction), never below zero.
pub async fn adjust(
    app: &App,
    actor: &Actor,
    household_id: i64,
    delta: i64,
    reason: &str,
) -> Result<i64> {
    actor.require(Permission::EditCredit)?;
    domain::text::check_free_text("reason", reason).map_err(|e| AppError::Invalid(vec![e]))?;
    if delta == 0 || reason.trim().is_empty() {
        return Err(AppError::field("reason", msg::CREDIT_ADJUSTMENT_NEEDS));
    }
    // A bound far above any real correction keeps `-delta` and the balance sum in range
    // (i64::MIN has no negation).
    if delta.unsigned_abs() > MAX_ADJUST_POINTS.unsigned_abs() {
        return Err(AppError::field(
            "delta",
            msg::CREDIT_ADJUSTMENT_CAP.with(&[("max", &MAX_ADJUST_POINTS)]),
        ));
    }
    let mut tx = app.db.begin().await?;
    let h = load_household(&mut tx, actor, None, household_id).await?;
    let balance = if delta > 0 {
        points_store::add_points(&mut tx, h.id, delta).await?
    } else {
        if points_store::take_points(&mut tx, h.id, -delta).await? == 0 {
            return Err(AppError::Conflict(
                msg::CREDIT_NOT_ENOUGH_POINTS_SHORT.text(),
            ));
        }
        points_store::balance(&mut tx, h.id).await?
    };
    points_store::insert_entry(
        &mut tx,
        h.id,
        PassbookKind::Adjust.as_str(),
        delta,
        balance,
        reason.trim(),
        &actor.username,
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        "credit.points.adjust",
        "household",
        h.id,
        &h.village_code,
        json!({"after": {"delta": delta, "balance": balance, "reason": reason.trim()}}),
    )
    .await?;
    tx.commit().await?;
    Ok(balance)
}

#[derive(Debug, Clone, Serialize)]
pub struct Passbook {
    pub household_id: i64,
    pub household_no: String,
    pub head_name: String,
    pub balance: i64,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: i64,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

fn entry(e: EntryRow) -> EntryView {
    EntryView {
        id: e.id,
        kind: e.kind,
        amount: e.amount,
        balance_after: e.balance_after,
        note: e.note,
        created_by: e.created_by,
        created_at: e.created_at,
    }
}

pub async fn passbook(app: &App, actor: &Actor, household_id: i64) -> Result<Passbook> {
    actor.require(Permission::ViewRegistry)?;
    super::not_for_banks(actor)?;
    let mut conn = app.db.read().await?;
    let h = load_household(&mut conn, actor, None, household_id).await?;
    let balance = points_store::balance(&mut conn, h.id).await?;
    let entries = points_store::passbook(&mut conn, h.id).await?;
    Ok(Passbook {
        household_id: h.id,
        household_no: h.household_no,
        head_name: h.head_name,
        balance,
        entries: entries.into_iter().map(entry).collect(),
    })
}
