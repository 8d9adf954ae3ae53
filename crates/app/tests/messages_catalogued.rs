//! Every message a person reads comes from `domain::message`'s catalogue, in Chinese and
//! English: no refusal of app or web is built from a plain string (which reaches a Chinese
//! page in English). The source is read as text: a string literal or a `format!` as the
//! message of a refusal, a field error or an import issue is what this finds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its test module, whitespace collapsed (so a call split over
/// lines reads as one).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source");
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() && !out.ends_with('(') && !word.starts_with(')') {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The argument number `n` (0-based) of the call whose arguments start at `rest`.
fn argument(rest: &str, n: usize) -> &str {
    let (mut depth, mut start, mut index, mut in_str) = (0usize, 0usize, 0usize, false);
    let mut prev = ' ';
    for (i, c) in rest.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' | '[' | '{' if !in_str => depth += 1,
            ')' | ']' | '}' if !in_str && depth == 0 => {
                return if index == n {
                    rest[start..i].trim()
                } else {
                    ""
                };
            }
            ')' | ']' | '}' if !in_str => depth -= 1,
            ',' if !in_str && depth == 0 => {
                if index == n {
                    return rest[start..i].trim();
                }
                index += 1;
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    ""
}

/// Calls whose message argument (by position) must come from the catalogue.
const CALLS: &[(&str, usize)] = &[
    ("AppError::NotFound(", 0),
    ("AppError::BadRequest(", 0),
    ("AppError::Conflict(", 0),
    ("AppError::Forbidden(", 0),
    ("AppError::field(", 1),
    ("FieldError::new(", 1),
    (".issue(", 2),
    (".issue_at(", 2),
    ("issue(file,", 3),
];

fn plain(arg: &str) -> bool {
    let arg = arg.trim_start_matches('&');
    (arg.starts_with('"') && arg.chars().any(|c| c.is_ascii_alphabetic()))
        || arg.starts_with("format!(")
        || arg.ends_with(".to_string()")
        || arg.ends_with(".into()") && arg.starts_with('"')
}

#[test]
fn no_refusal_is_a_plain_english_string() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["app/src", "web/src"] {
        sources(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for path in &files {
        let code = code(path);
        for (call, n) in CALLS {
            for (at, _) in code.match_indices(call) {
                let rest = &code[at + call.len()..];
                // `issue(file, …)` names its arguments from the second on.
                let n = if *call == "issue(file," { n - 1 } else { *n };
                let arg = argument(rest, n);
                if plain(arg) {
                    found.push(format!("{}: {call} {arg}", path.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "messages not from the catalogue:\n{}",
        found.join("\n")
    );
}
