//! A tiny builder for dynamic WHERE clauses with numbered `$n` placeholders (portable to both
//! engines). Only text values: every filter here compares codes or searches text.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

#[derive(Default, Debug)]
pub struct Where {
    clauses: Vec<String>,
    pub args: Vec<String>,
}

impl Where {
    /// Adds a condition; each `?` in `cond` becomes the next `$n`, all bound to `value`.
    pub fn add(&mut self, cond: &str, value: impl Into<String>) -> &mut Self {
        self.args.push(value.into());
        let n = self.args.len();
        self.clauses.push(cond.replace('?', &format!("${n}")));
        self
    }

    /// Restricts `column` to the subtree of the unit code `prefix` as an index range, with ONE
    /// bound value (callers count on one value per scope condition): the upper bound is the
    /// prefix padded with nines in SQL, as in `domain::registry::subtree_bounds`.
    pub fn add_subtree(&mut self, column: &str, prefix: &str) -> &mut Self {
        self.add(
            &format!(
                "{column} BETWEEN ? AND (? || '{}')",
                domain::registry::SUBTREE_PAD
            ),
            prefix,
        )
    }

    /// Adds a condition without a value.
    pub fn add_plain(&mut self, cond: &str) -> &mut Self {
        self.clauses.push(cond.to_string());
        self
    }

    pub fn next_index(&self) -> usize {
        self.args.len() + 1
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn bind<'q>(
        &'q self,
        mut q: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for a in &self.args {
            q = q.bind(a.as_str());
        }
        q
    }
}

/// Binds the two bounds of `prefix`'s subtree (`domain::registry::subtree_bounds`) for a
/// `column BETWEEN $n AND $n+1` written out in a fixed query.
pub fn bind_subtree<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    prefix: &str,
) -> Query<'q, Any, AnyArguments<'q>> {
    let (lo, hi) = domain::registry::subtree_bounds(prefix);
    q.bind(lo).bind(hi)
}

/// Escapes `%` and `_` for a LIKE pattern that uses `ESCAPE '\'`.
pub fn like_contains(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The `VALUES` list of a multi-row INSERT: `(?,?),(?,?)` on SQLite, `($1,$2),($3,$4)` on
/// PostgreSQL. Why not `$n` everywhere: SQLite resolves each named parameter by a linear
/// search, so a 2,000-parameter statement spends most of its time naming parameters (measured:
/// 44 % of a national divisions import); anonymous `?` are bound by position.
pub fn values_list(conn: &sqlx::AnyConnection, rows: usize, cols: usize) -> String {
    let positional = conn.backend_name().eq_ignore_ascii_case("sqlite");
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            if positional {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(r * cols + c + 1).to_string());
            }
        }
        out.push(')');
    }
    out
}
