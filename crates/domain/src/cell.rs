//! Spreadsheet cells that must not run: a CSV cell beginning with `=`, `+`, `-`, `@`, tab or
//! carriage return is taken as a formula by Excel and WPS (OWASP "CSV injection"). Exports
//! prefix such a cell with `'`; imports take that `'` off again, so export → edit → re-import
//! round-trips. Plain numbers (`-12.50`, `+3`) are left alone: a negative amount must stay a
//! number, and a number cannot run.

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `-12.50`, `+3`, `7`: an optional sign, digits, an optional decimal part.
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// True when `s` is exported with a `'` in front: it would run as a formula, or it already
/// looks like a neutralised cell (so that its own `'` survives the round trip).
fn needs_quote(s: &str) -> bool {
    match s.chars().next() {
        Some(c) if TRIGGERS.contains(&c) => !plain_number(s),
        Some('\'') => needs_quote(&s[1..]),
        _ => false,
    }
}

/// The cell as written into a CSV export.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_quote(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The cell as an import reads it: the export's `'` taken off again.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_quoted_and_numbers_are_not() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("-12.50"), "-12.50");
        assert_eq!(neutralise("+3"), "+3");
        assert_eq!(neutralise("张三"), "张三");
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("'abc"), "'abc");
        assert_eq!(restore("'=x"), "=x");
        assert_eq!(restore("'abc"), "'abc");
        assert_eq!(restore("'-12.50"), "'-12.50");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn export_then_import_is_the_identity(s in "['=+@\\t\\r-]{0,3}[a-z0-9.'=+-]{0,6}|.{0,12}") {
            let out = neutralise(&s);
            prop_assert_eq!(restore(&out), s.as_str());
            if let Some(c) = out.chars().next() {
                prop_assert!(!TRIGGERS.contains(&c) || plain_number(&out), "{out:?} would run");
            }
        }
    }
}
