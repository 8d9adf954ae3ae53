//! Rows to Rust values and statements run, written once for every module: a column's type
//! knows how it binds and reads back ([`Stored`]), a row type declared with [`row!`] reads its
//! columns in field order ([`FromRow`], also done by tuples and single values), and [`Run`]
//! runs a query and decodes what it returns.

use crate::Result;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, ColumnIndex, Row};
use std::future::Future;

/// A query of the `Any` driver, as built by `sqlx::query(…).bind(…)`.
pub type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// A value to bind, borrowed from a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
    MaybeInt(Option<i64>),
}

/// A column's Rust type: how it binds and how it reads back (booleans are stored 0/1).
pub trait Stored: Sized {
    fn cell(&self) -> Cell<'_>;
    /// The value of column `at` (a name or a position).
    fn read<I: ColumnIndex<AnyRow>>(r: &AnyRow, at: I) -> Result<Self>;
}

/// [`Stored`] for a type the driver decodes as it is.
macro_rules! stored_as_is {
    ($($ty:ty => |$v:ident| $cell:expr),+ $(,)?) => {$(
        impl Stored for $ty {
            fn cell(&self) -> Cell<'_> {
                let $v = self;
                $cell
            }
            fn read<I: ColumnIndex<AnyRow>>(r: &AnyRow, at: I) -> Result<Self> {
                Ok(r.try_get(at)?)
            }
        }
    )+};
}

stored_as_is! {
    String => |v| Cell::Text(v),
    Option<String> => |v| Cell::MaybeText(v.as_deref()),
    i64 => |v| Cell::Int(*v),
    Option<i64> => |v| Cell::MaybeInt(*v),
}

impl Stored for bool {
    fn cell(&self) -> Cell<'_> {
        Cell::Int(i64::from(*self))
    }
    fn read<I: ColumnIndex<AnyRow>>(r: &AnyRow, at: I) -> Result<Self> {
        Ok(r.try_get::<i64, _>(at)? != 0)
    }
}

/// Binds cells in order.
pub fn bind_cells<'q>(mut q: AnyQuery<'q>, cells: Vec<Cell<'q>>) -> AnyQuery<'q> {
    for c in cells {
        q = match c {
            Cell::Text(v) => q.bind(v),
            Cell::MaybeText(v) => q.bind(v),
            Cell::Int(v) => q.bind(v),
            Cell::MaybeInt(v) => q.bind(v),
        };
    }
    q
}

/// What one result row reads as.
pub trait FromRow: Sized {
    fn from_row(r: &AnyRow) -> Result<Self>;
}

/// The next column of a row read in order (see [`row!`]).
pub fn next<T: Stored>(r: &AnyRow, at: &mut std::ops::RangeFrom<usize>) -> Result<T> {
    T::read(r, at.next().unwrap_or_default())
}

macro_rules! from_row_single {
    ($($ty:ty),+) => {$(
        impl FromRow for $ty {
            fn from_row(r: &AnyRow) -> Result<Self> {
                <$ty as Stored>::read(r, 0)
            }
        }
    )+};
}
from_row_single!(String, Option<String>, i64, Option<i64>, bool);

macro_rules! from_row_tuple {
    ($($t:ident),+) => {
        impl<$($t: Stored),+> FromRow for ($($t,)+) {
            fn from_row(r: &AnyRow) -> Result<Self> {
                let mut at = 0..;
                Ok(($(next::<$t>(r, &mut at)?,)+))
            }
        }
    };
}
from_row_tuple!(A, B);
from_row_tuple!(A, B, C);
from_row_tuple!(A, B, C, D);

/// Declares a row struct read from its query's columns in field order (the `SELECT` lists
/// them in that order), with its [`FromRow`].
macro_rules! row {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty ),+
        }

        impl $crate::rows::FromRow for $name {
            fn from_row(r: &sqlx::any::AnyRow) -> $crate::Result<Self> {
                let mut at = 0..;
                Ok($name {
                    $( $field: $crate::rows::next(r, &mut at)? ),+
                })
            }
        }
    };
}
pub(crate) use row;

/// Runs a query and reads what it returns.
pub trait Run {
    /// Every row.
    fn read_all<T: FromRow + Send>(
        self,
        conn: &mut AnyConnection,
    ) -> impl Future<Output = Result<Vec<T>>> + Send;
    /// The one row the query returns.
    fn read_one<T: FromRow + Send>(
        self,
        conn: &mut AnyConnection,
    ) -> impl Future<Output = Result<T>> + Send;
    /// The row, if there is one.
    fn read_optional<T: FromRow + Send>(
        self,
        conn: &mut AnyConnection,
    ) -> impl Future<Output = Result<Option<T>>> + Send;
    /// Runs a statement: the number of rows it changed.
    fn run(self, conn: &mut AnyConnection) -> impl Future<Output = Result<u64>> + Send;
}

impl Run for AnyQuery<'_> {
    async fn read_all<T: FromRow + Send>(self, conn: &mut AnyConnection) -> Result<Vec<T>> {
        let rows = self.fetch_all(conn).await?;
        rows.iter().map(T::from_row).collect()
    }

    async fn read_one<T: FromRow + Send>(self, conn: &mut AnyConnection) -> Result<T> {
        T::from_row(&self.fetch_one(conn).await?)
    }

    async fn read_optional<T: FromRow + Send>(self, conn: &mut AnyConnection) -> Result<Option<T>> {
        let row = self.fetch_optional(conn).await?;
        row.as_ref().map(T::from_row).transpose()
    }

    async fn run(self, conn: &mut AnyConnection) -> Result<u64> {
        Ok(self.execute(conn).await?.rows_affected())
    }
}
