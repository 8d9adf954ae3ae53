//! Persistence of the credit-village program: rounds, filing, score records, assessments,
//! objections and corrections, bank credit lines, supermarket points.

pub mod assess;
pub mod lines;
pub mod objections;
pub mod points;
pub mod records;
pub mod rounds;

/// `h.` scope condition for the households of a unit (village or township), as SQL text with
/// `$n` placeholders starting at `first`, and its bound value.
pub fn unit_households(unit: &str, first: usize) -> (String, String) {
    let mut w = crate::sqlbuild::Where::default();
    for _ in 1..first {
        w.args.push(String::new());
    }
    crate::registry::households::scope_filter(&mut w, unit);
    let sql = w.sql();
    let cond = sql.strip_prefix(" WHERE ").unwrap_or("1 = 1").to_string();
    let value = w.args.pop().unwrap_or_default();
    if cond == "1 = 1" || sql.is_empty() {
        ("1 = 1".into(), String::new())
    } else {
        (cond, value)
    }
}
