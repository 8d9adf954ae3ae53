//! How a household search matches, by the size of the area searched.
//!
//! Within a village (or a grid) any part of a number, name or address matches: a few thousand
//! rows at most. Across a township, a county or more (25,000 to millions of households) a
//! "contains" match reads every row, so names match from their start instead — an index range —
//! and need at least [`MIN_WIDE_CHARS`] characters (a lone surname such as 王 would match a
//! tenth of a county). A full resident ID matches exactly at any size.

use super::Level;

/// The fewest characters a name search across a township or more may have.
pub const MIN_WIDE_CHARS: usize = 2;

/// The bytes a name starting with a prefix is compared below: U+10FFFF is the greatest scalar
/// value, so under byte order every name that starts with `prefix` (and has no U+10FFFF after
/// it, which [`crate::text`] refuses in names) lies in `[prefix, prefix + MAX)`.
const MAX_CHAR: char = '\u{10FFFF}';

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSearch {
    /// Any part of the household number, head's name, address or a member's name.
    Contains(String),
    /// Head's or a member's name from its start: `lo <= name < hi` in byte order.
    Prefix { lo: String, hi: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTooShort {
    pub min_chars: usize,
}

/// The match for `text` typed by someone searching the area of `scope` (a unit code).
pub fn name_search(scope: &str, text: &str) -> Result<NameSearch, SearchTooShort> {
    let text = text.trim();
    let narrow = matches!(
        Level::from_code_len(scope.len()),
        Some(Level::Village | Level::Grid | Level::MicroGrid)
    );
    if narrow {
        return Ok(NameSearch::Contains(text.to_string()));
    }
    if text.chars().count() < MIN_WIDE_CHARS {
        return Err(SearchTooShort {
            min_chars: MIN_WIDE_CHARS,
        });
    }
    Ok(NameSearch::Prefix {
        lo: text.to_string(),
        hi: format!("{text}{MAX_CHAR}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn villages_contain_wider_areas_match_from_the_start() {
        assert_eq!(
            name_search("140581104201", " 伟 "),
            Ok(NameSearch::Contains("伟".into()))
        );
        assert_eq!(
            name_search("140581104201001", "伟"),
            Ok(NameSearch::Contains("伟".into()))
        );
        assert_eq!(
            name_search("140581104", "王"),
            Err(SearchTooShort { min_chars: 2 })
        );
        assert_eq!(name_search("", "王"), Err(SearchTooShort { min_chars: 2 }));
        let Ok(NameSearch::Prefix { lo, hi }) = name_search("140581", "王伟") else {
            panic!("a county search is a prefix range")
        };
        assert_eq!(lo, "王伟");
        assert!(hi.as_str() > "王伟华" && hi.as_str() > "王伟");
        assert!(hi.as_str() < "王位" || !"王位".starts_with("王伟"));
    }

    proptest! {
        // The range holds exactly the names that start with the prefix (byte order, as SQLite's
        // BINARY collation and PostgreSQL's pattern operators compare).
        #[test]
        fn prefix_range_is_exactly_the_names_starting_with_it(
            prefix in "[王李张伟芳a-c0-9]{2,4}",
            name in "[王李张伟芳a-c0-9]{0,6}",
        ) {
            let Ok(NameSearch::Prefix { lo, hi }) = name_search("140581", &prefix) else {
                panic!("prefix search expected")
            };
            let inside = lo.as_bytes() <= name.as_bytes() && name.as_bytes() < hi.as_bytes();
            prop_assert_eq!(inside, name.starts_with(&prefix));
        }
    }
}
