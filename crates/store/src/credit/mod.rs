//! Persistence of the credit-village program: rounds, filing, score records, assessments,
//! objections and corrections, bank credit lines, supermarket points.

pub mod assess;
pub mod lines;
pub mod objections;
pub mod points;
pub mod records;
pub mod rounds;

use crate::rows::AnyQuery;

/// The `h.` (households) condition restricting rows to a unit's subtree (village, township,
/// grid …), with at most one bound value.
#[derive(Debug, Clone)]
pub struct UnitScope {
    /// SQL text with its `$n` placeholder (`1 = 1` for the whole country).
    pub cond: String,
    value: Option<String>,
    /// The first placeholder number after the scope's.
    pub next: usize,
}

impl UnitScope {
    /// Binds the scope's value, if it has one (call where its `$n` comes in the statement).
    pub fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        match &self.value {
            Some(v) => q.bind(v.as_str()),
            None => q,
        }
    }
}

/// The scope of the households of `unit`, its placeholder numbered `first`.
pub fn unit_households(unit: &str, first: usize) -> UnitScope {
    let mut w = crate::sqlbuild::Where::default();
    for _ in 1..first {
        w.args.push(String::new());
    }
    crate::registry::households::scope_filter(&mut w, unit);
    let sql = w.sql();
    match sql.strip_prefix(" WHERE ") {
        Some(cond) if cond != "1 = 1" => UnitScope {
            cond: cond.to_string(),
            value: w.args.pop(),
            next: first + 1,
        },
        _ => UnitScope {
            cond: "1 = 1".into(),
            value: None,
            next: first,
        },
    }
}
