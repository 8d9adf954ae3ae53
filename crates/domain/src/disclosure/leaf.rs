//! The bytes the transparency log commits to for a published disclosure: canonical JSON of
//! exactly what its page shows, keys in this fixed order, no whitespace (docs/disclosure.md).
//! A page's script rebuilds the same object from the page and hashes it.

use super::table::Table;
use serde::Serialize;

pub const KIND: &str = "disclosure";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leaf<'a> {
    pub v: u32,
    pub kind: &'static str,
    pub id: i64,
    pub unit: &'a str,
    pub module: &'a str,
    pub category: &'a str,
    pub period: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub table: Option<&'a Table>,
    /// SHA-256 (hex) of each attachment, in the order shown.
    pub attachments: &'a [String],
    /// UTC, RFC 3339 to the second (`2026-11-05T08:00:00Z`).
    pub published_at: &'a str,
    /// The disclosure this one corrects.
    pub supersedes: Option<i64>,
}

impl Leaf<'_> {
    pub fn bytes(&self) -> String {
        // Serializing plain strings, integers and vectors of them cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A body as stored and shown: line ends as `\n`, no trailing spaces on lines, no blank lines
/// at either end (so the page's text is exactly the leaf's).
pub fn normalize_body(text: &str) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.trim_end_matches('\r').trim_end())
        .collect();
    lines.join("\n").trim_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leaf_is_compact_json_in_a_fixed_order() {
        let t = Table {
            columns: vec!["项目".into(), "金额（分）".into()],
            rows: vec![vec!["租金".into(), "100".into()]],
        };
        let att = vec!["ab".repeat(32)];
        let l = Leaf {
            v: 1,
            kind: KIND,
            id: 7,
            unit: "140581104201",
            module: "finance",
            category: "finance.monthly",
            period: "2026-11",
            title: "11月收支",
            body: "第一段\n\"引号\"",
            table: Some(&t),
            attachments: &att,
            published_at: "2026-12-01T08:00:00Z",
            supersedes: None,
        };
        let want = format!(
            "{{\"v\":1,\"kind\":\"disclosure\",\"id\":7,\"unit\":\"140581104201\",\"module\":\"finance\",\"category\":\"finance.monthly\",\"period\":\"2026-11\",\"title\":\"11月收支\",\"body\":\"第一段\\n\\\"引号\\\"\",\"table\":{{\"columns\":[\"项目\",\"金额（分）\"],\"rows\":[[\"租金\",\"100\"]]}},\"attachments\":[\"{}\"],\"published_at\":\"2026-12-01T08:00:00Z\",\"supersedes\":null}}",
            "ab".repeat(32)
        );
        assert_eq!(l.bytes(), want);
    }

    #[test]
    fn bodies_are_normalized() {
        assert_eq!(normalize_body("\r\n a  \r\n\r\nb \n\n"), " a\n\nb");
    }
}
