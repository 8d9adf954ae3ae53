//! One generic ledger register: a table described once ([`Table`]) and a row type that knows
//! its columns ([`Columns`]) give every register the same list,
//! get-by-id, get-by-number, insert and update, each one portable query built from the
//! description; [`register!`] declares a register in one place. Each register module keeps only what differs (computed columns, actions,
//! collections, flag counts).

use super::parents;
use crate::rows::{bind_cells, FromRow, Run};
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

pub use crate::rows::{Cell, Stored};

/// The written fields of a register's row, in column order (the village first, not listed).
pub trait Columns: Sized {
    const COLUMNS: &'static [&'static str];
    fn village(&self) -> &str;
    /// Values of [`Columns::COLUMNS`], in that order.
    fn cells(&self) -> Vec<Cell<'_>>;
    fn read(r: &AnyRow) -> Result<Self>;
}

/// Declares a register: its write struct (fields = written columns, after `village_code`), its
/// table and number column, and its row struct (`id`, `fields` and any columns or computed,
/// aliased expressions the rows carry besides), with their [`Columns`] and [`Register`].
macro_rules! register {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $table:literal by $number:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),+ $(,)?
        }
        $(#[$rmeta:meta])*
        pub struct $row:ident {
            $( $(#[$xmeta:meta])* pub $extra:ident : $xty:ty = $expr:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            pub village_code: String,
            $( $(#[$fmeta])* pub $field: $ty ),+
        }

        impl $crate::ledger::register::Columns for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn village(&self) -> &str {
                &self.village_code
            }
            fn cells(&self) -> Vec<$crate::ledger::register::Cell<'_>> {
                vec![$($crate::ledger::register::Stored::cell(&self.$field)),+]
            }
            fn read(r: &sqlx::any::AnyRow) -> $crate::Result<Self> {
                Ok($name {
                    village_code: sqlx::Row::try_get(r, "village_code")?,
                    $( $field: <$ty as $crate::ledger::register::Stored>::read(
                        r,
                        stringify!($field),
                    )? ),+
                })
            }
        }

        $(#[$rmeta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $row {
            pub id: i64,
            pub fields: $name,
            $( $(#[$xmeta])* pub $extra: $xty ),*
        }

        impl $crate::rows::FromRow for $row {
            fn from_row(r: &sqlx::any::AnyRow) -> $crate::Result<Self> {
                Ok($row {
                    id: sqlx::Row::try_get(r, "id")?,
                    fields: <$name as $crate::ledger::register::Columns>::read(r)?,
                    $( $extra: <$xty as $crate::ledger::register::Stored>::read(
                        r,
                        stringify!($extra),
                    )? ),*
                })
            }
        }

        impl $crate::ledger::register::Register for $row {
            type Write = $name;
            const TABLE: $crate::ledger::register::Table = $crate::ledger::register::Table {
                name: $table,
                village: "village_code",
                number: stringify!($number),
                computed: &[$($expr),*],
            };
            fn id(&self) -> i64 {
                self.id
            }
            fn fields(&self) -> &$name {
                &self.fields
            }
        }
    };
}
pub(crate) use register;

/// Where a register lives: its table, the column numbering records within a village (unique
/// there, the list order) and any read-only columns or computed expressions (aliased, over the
/// table alias `t`) its rows carry besides the written ones.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub village: &'static str,
    pub number: &'static str,
    pub computed: &'static [&'static str],
}

/// A stored record of a register: its id, its written fields and what [`Table::computed`]
/// adds.
pub trait Register: FromRow + Send {
    type Write: Columns;
    const TABLE: Table;
    fn id(&self) -> i64;
    fn fields(&self) -> &Self::Write;
}

fn select<R: Register>() -> String {
    let t = R::TABLE;
    let mut cols = vec!["t.id".to_string(), format!("t.{}", t.village)];
    cols.extend(R::Write::COLUMNS.iter().map(|c| format!("t.{c}")));
    cols.extend(t.computed.iter().map(|c| c.to_string()));
    format!("SELECT {} FROM {} t", cols.join(", "), t.name)
}

/// Every record of a village, by number.
pub async fn of_village<R: Register>(conn: &mut AnyConnection, village: &str) -> Result<Vec<R>> {
    let t = R::TABLE;
    let sql = format!(
        "{} WHERE t.{} = $1 ORDER BY t.{}",
        select::<R>(),
        t.village,
        t.number
    );
    sqlx::query(&sql).bind(village).read_all(conn).await
}

/// One record by id, in any village (callers check the village it belongs to).
pub async fn get<R: Register>(conn: &mut AnyConnection, id: i64) -> Result<Option<R>> {
    let sql = format!("{} WHERE t.id = $1", select::<R>());
    sqlx::query(&sql).bind(id).read_optional(conn).await
}

/// One record by id within a village: another village's record is not found.
pub async fn get_in<R: Register>(
    conn: &mut AnyConnection,
    village: &str,
    id: i64,
) -> Result<Option<R>> {
    let sql = format!(
        "{} WHERE t.id = $1 AND t.{} = $2",
        select::<R>(),
        R::TABLE.village
    );
    sqlx::query(&sql)
        .bind(id)
        .bind(village)
        .read_optional(conn)
        .await
}

/// One record by its number in a village.
pub async fn find_by_no<R: Register>(
    conn: &mut AnyConnection,
    village: &str,
    no: &str,
) -> Result<Option<R>> {
    find_by::<R>(conn, village, R::TABLE.number, no).await
}

/// One record by the value of a written column in a village.
pub async fn find_by<R: Register>(
    conn: &mut AnyConnection,
    village: &str,
    // A column name of the table, never user input: it is pasted into the statement.
    column: &'static str,
    value: &str,
) -> Result<Option<R>> {
    let sql = format!(
        "{} WHERE t.{} = $1 AND t.{column} = $2",
        select::<R>(),
        R::TABLE.village
    );
    sqlx::query(&sql)
        .bind(village)
        .bind(value)
        .read_optional(conn)
        .await
}

/// Inserts a record (with its township and county codes); a number already used in the
/// village is [`crate::StoreError::Conflict`].
pub async fn insert<R: Register>(conn: &mut AnyConnection, w: &R::Write) -> Result<i64> {
    let t = R::TABLE;
    let cols = R::Write::COLUMNS;
    let n = cols.len();
    let params: Vec<String> = (1..=n + 3).map(|i| format!("${i}")).collect();
    let at = n + 4;
    let sql = format!(
        "INSERT INTO {} ({}, township_code, county_code, {}, created_at, updated_at) \
         VALUES ({}, ${at}, ${at}) RETURNING id",
        t.name,
        t.village,
        cols.join(", "),
        params.join(", ")
    );
    let (township, county) = parents(w.village());
    let now = now_text();
    let q = sqlx::query(&sql)
        .bind(w.village())
        .bind(township)
        .bind(county);
    bind_cells(q, w.cells())
        .bind(now.as_str())
        .read_one(conn)
        .await
}

/// Updates every written column but the village; the number of rows changed (0: no such id).
pub async fn update<R: Register>(conn: &mut AnyConnection, id: i64, w: &R::Write) -> Result<u64> {
    let cols = R::Write::COLUMNS;
    let n = cols.len();
    let sets: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {} SET {}, updated_at = ${} WHERE id = ${}",
        R::TABLE.name,
        sets.join(", "),
        n + 1,
        n + 2
    );
    let now = now_text();
    let q = bind_cells(sqlx::query(&sql), w.cells());
    q.bind(now.as_str()).bind(id).run(conn).await
}
