//! Persistence for grassroots: one portable schema and one query set, run on SQLite (embedded
//! default) and PostgreSQL (counties and up) through sqlx's `Any` driver.
//!
//! Why one query set over `Any`: the schema uses only integer and text columns, `$n`
//! placeholders and `RETURNING`, which both engines (and PostgreSQL-compatible distributed
//! engines) accept, so a single conformance suite proves both. Dates are `YYYY-MM-DD` text,
//! instants RFC 3339 UTC text, booleans 0/1, money integer fen.
//!
//! Functions take `&mut AnyConnection` so the application layer decides the transaction.

pub mod accounts;
pub mod audit;
pub mod credit;
mod db;
pub mod disclosure;
pub mod disclosure_messages;
mod error;
pub mod idempotency;
pub mod ledger;
pub mod lock;
pub mod public_pages;
pub mod registry;
pub mod rows;
pub mod sqlbuild;
pub mod transparency;
pub mod villagers;

pub use db::{
    now_text, sqlite_pragmas, Backend, Db, DbOptions, RelaxedWrite, WriteTurn, WriteTx,
    SQLITE_SYNC_VAR,
};
pub use error::StoreError;
pub use sqlx::{AnyConnection, Error as SqlxError, Transaction};

pub type Result<T> = std::result::Result<T, StoreError>;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;
