//! Credit-supermarket points: accounts, passbook, goods and redemptions. Balance and stock are
//! changed only by conditional UPDATEs, so concurrent redemptions can never drive them negative.

use crate::rows::{row, Run};
use crate::sqlbuild::bind_subtree;
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct GoodsRow {
        pub id: i64,
        pub village_code: String,
        pub name: String,
        pub price_points: i64,
        pub stock: i64,
    }
}

pub async fn insert_goods(
    conn: &mut AnyConnection,
    village: &str,
    name: &str,
    price: i64,
    stock: i64,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_goods (village_code, name, price_points, stock, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(village)
    .bind(name)
    .bind(price)
    .bind(stock)
    .bind(now_text())
    .read_one(conn)
    .await
}

/// Adds (or with a negative `delta`, removes while enough remains) stock.
pub async fn restock(conn: &mut AnyConnection, id: i64, delta: i64) -> Result<u64> {
    sqlx::query("UPDATE credit_goods SET stock = stock + $1 WHERE id = $2 AND stock + $1 >= 0")
        .bind(delta)
        .bind(id)
        .run(conn)
        .await
}

const GOODS: &str = "SELECT id, village_code, name, price_points, stock FROM credit_goods";

pub async fn get_goods(conn: &mut AnyConnection, id: i64) -> Result<Option<GoodsRow>> {
    sqlx::query(&format!("{GOODS} WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn list_goods(conn: &mut AnyConnection, unit: &str) -> Result<Vec<GoodsRow>> {
    let sql = format!("{GOODS} WHERE village_code BETWEEN $1 AND $2 ORDER BY village_code, id");
    bind_subtree(sqlx::query(&sql), unit).read_all(conn).await
}

pub async fn balance(conn: &mut AnyConnection, household_id: i64) -> Result<i64> {
    let balance = sqlx::query("SELECT balance FROM points_accounts WHERE household_id = $1")
        .bind(household_id)
        .read_optional(conn)
        .await?;
    Ok(balance.unwrap_or(0))
}

/// Takes `points` from the balance only if it covers them. Returns rows changed (0: short).
pub async fn take_points(conn: &mut AnyConnection, household_id: i64, points: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE points_accounts SET balance = balance - $1 WHERE household_id = $2 \
         AND balance >= $1",
    )
    .bind(points)
    .bind(household_id)
    .run(conn)
    .await
}

/// Takes `qty` from stock only if enough remains. Returns rows changed (0: short).
pub async fn take_stock(conn: &mut AnyConnection, goods_id: i64, qty: i64) -> Result<u64> {
    sqlx::query("UPDATE credit_goods SET stock = stock - $1 WHERE id = $2 AND stock >= $1")
        .bind(qty)
        .bind(goods_id)
        .run(conn)
        .await
}

/// Adds points (creating the account), returns the new balance. One upsert, so two first
/// awards to a household at once cannot collide.
pub async fn add_points(conn: &mut AnyConnection, household_id: i64, points: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO points_accounts (household_id, balance) VALUES ($1, $2) \
         ON CONFLICT (household_id) DO UPDATE SET balance = points_accounts.balance + excluded.balance \
         RETURNING balance",
    )
    .bind(household_id)
    .bind(points)
    .read_one(conn)
    .await
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
    sqlx::query(
        "INSERT INTO credit_redemptions (household_id, goods_id, qty, points, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(household_id)
    .bind(goods_id)
    .bind(qty)
    .bind(points)
    .bind(by)
    .bind(now_text())
    .read_one(conn)
    .await
}

row! {
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
    sqlx::query(
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
    .read_one(conn)
    .await
}

pub async fn passbook(conn: &mut AnyConnection, household_id: i64) -> Result<Vec<EntryRow>> {
    sqlx::query(
        "SELECT id, kind, amount, balance_after, note, created_by, created_at FROM points_entries \
         WHERE household_id = $1 ORDER BY id",
    )
    .bind(household_id)
    .read_all(conn)
    .await
}
