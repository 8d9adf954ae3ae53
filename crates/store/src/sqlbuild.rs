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

/// Escapes `%` and `_` for a LIKE pattern that uses `ESCAPE '\'`.
pub fn like_contains(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
