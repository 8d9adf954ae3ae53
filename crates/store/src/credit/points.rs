//! Credit-supermarket points: accounts, passbook, goods and redemptions. Balance and stock are
//! changed only by conditional UPDATEs, so concurrent redemptions can never drive them negative.

use crate::{now_text, Result};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsRow {
    pub id: i64,
    pub village_code: String,
    pub name: String,
    pub price_points: i64,
    pub stock: i64,
}

pub async fn insert_goods(
    conn: &mut AnyConnection,
    village: &str,
    name: &str,
    price: i64,
    stock: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO credit_goods (village_code, name, price_points, stock, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(village)
    .bind(name)
    .bind(price)
    .bind(stock)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Adds (or with a negative `delta`, removes while enough remains) stock.
pub async fn restock(conn: &mut AnyConnection, id: i64, delta: i64) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE credit_goods SET stock = stock + $1 WHERE id = $2 AND stock + $1 >= 0")
            .bind(delta)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

fn goods(r: &sqlx::any::AnyRow) -> Result<GoodsRow> {
    Ok(GoodsRow {
        id: r.try_get(0)?,
        village_code: r.try_get(1)?,
        name: r.try_get(2)?,
        price_points: r.try_get(3)?,
        stock: r.try_get(4)?,
    })
}

pub async fn get_goods(conn: &mut AnyConnection, id: i64) -> Result<Option<GoodsRow>> {
    let row = sqlx::query(
        "SELECT id, village_code, name, price_points, stock FROM credit_goods WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(goods).transpose()
}

pub async fn list_goods(conn: &mut AnyConnection, unit: &str) -> Result<Vec<GoodsRow>> {
    let rows = crate::sqlbuild::bind_subtree(
        sqlx::query(
            "SELECT id, village_code, name, price_points, stock FROM credit_goods \
         WHERE village_code BETWEEN $1 AND $2 ORDER BY village_code, id",
        ),
        unit,
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(goods).collect()
}

pub async fn balance(conn: &mut AnyConnection, household_id: i64) -> Result<i64> {
    let row = sqlx::query("SELECT balance FROM points_accounts WHERE household_id = $1")
        .bind(household_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

/// Takes `points` from the balance only if it covers them. Returns rows changed (0: short).
pub async fn take_points(conn: &mut AnyConnection, household_id: i64, points: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE points_accounts SET balance = balance - $1 WHERE household_id = $2 \
         AND balance >= $1",
    )
    .bind(points)
    .bind(household_id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Takes `qty` from stock only if enough remains. Returns rows changed (0: short).
pub async fn take_stock(conn: &mut AnyConnection, goods_id: i64, qty: i64) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE credit_goods SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
            .bind(qty)
            .bind(goods_id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Adds points (creating the account), returns the new balance. One upsert, so two first
/// awards to a household at once cannot collide.
pub async fn add_points(conn: &mut AnyConnection, household_id: i64, points: i64) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO points_accounts (household_id, balance) VALUES ($1, $2) \
         ON CONFLICT (household_id) DO UPDATE SET balance = points_accounts.balance + excluded.balance \
         RETURNING balance",
    )
    .bind(household_id)
    .bind(points)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_redemption(
    conn: &mut AnyConnection,
    household_id: i64,
    goods_id: i64,
    qty: i64,
    points: i64,
    by: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO credit_redemptions (household_id, goods_id, qty, points, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(household_id)
    .bind(goods_id)
    .bind(qty)
    .bind(points)
    .bind(by)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

pub async fn insert_entry(
    conn: &mut AnyConnection,
    household_id: i64,
    kind: &str,
    amount: i64,
    balance_after: i64,
    note: &str,
    by: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO points_entries (household_id, kind, amount, balance_after, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(household_id)
    .bind(kind)
    .bind(amount)
    .bind(balance_after)
    .bind(note)
    .bind(by)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn passbook(conn: &mut AnyConnection, household_id: i64) -> Result<Vec<EntryRow>> {
    let rows = sqlx::query(
        "SELECT id, kind, amount, balance_after, note, created_by, created_at FROM points_entries \
         WHERE household_id = $1 ORDER BY id",
    )
    .bind(household_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EntryRow {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                amount: r.try_get(2)?,
                balance_after: r.try_get(3)?,
                note: r.try_get(4)?,
                created_by: r.try_get(5)?,
                created_at: r.try_get(6)?,
            })
        })
        .collect()
}
