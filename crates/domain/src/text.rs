//! The one check every typed text field passes, in every program: no control characters (they
//! hide in household numbers and names, break CSV and logs, and make two different values look
//! the same), no bidirectional overrides (they make a value display as another), and no Unicode
//! noncharacters (U+FFFE, U+FFFF, …, U+10FFFF: never text; the name search uses U+10FFFF as its
//! upper bound, `registry::search`).
//! Free text (notes, addresses, reasons) may hold line breaks and tabs.

use crate::message::{catalogue, FieldError};

/// Whether a character may never appear in typed text, even free text.
fn forbidden_anywhere(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FDD0}'..='\u{FDEF}')
        || (c as u32) & 0xFFFE == 0xFFFE
}

/// The first character a one-line field (number, name, code) may not hold.
pub fn bad_in_line(value: &str) -> Option<char> {
    value
        .chars()
        .find(|c| forbidden_anywhere(*c) || matches!(c, '\n' | '\r' | '\t'))
}

/// The first character free text (notes, address, reason) may not hold: line breaks (LF or
/// CRLF as a browser sends them) and tabs are allowed.
pub fn bad_in_free_text(value: &str) -> Option<char> {
    value.chars().find(|c| forbidden_anywhere(*c))
}

fn refusal(field: &'static str, c: char) -> FieldError {
    let code = format!("{:04X}", u32::from(c));
    FieldError::new(
        field,
        catalogue::CONTROL_CHARACTER.field(field, &[("code", &code)]),
    )
}

/// Refuses a one-line field holding a control character (a tab or line break included).
pub fn check_line(field: &'static str, value: &str) -> Result<(), FieldError> {
    bad_in_line(value).map_or(Ok(()), |c| Err(refusal(field, c)))
}

/// Refuses free text holding a control character other than a line break or tab.
pub fn check_free_text(field: &'static str, value: &str) -> Result<(), FieldError> {
    bad_in_free_text(value).map_or(Ok(()), |c| Err(refusal(field, c)))
}

/// Checks several one-line fields, pushing one error per bad field.
pub fn check_lines(errors: &mut Vec<FieldError>, fields: &[(&'static str, &str)]) {
    errors.extend(fields.iter().filter_map(|(f, v)| check_line(f, v).err()));
}

/// Checks several free-text fields, pushing one error per bad field.
pub fn check_free_texts(errors: &mut Vec<FieldError>, fields: &[(&'static str, &str)]) {
    errors.extend(
        fields
            .iter()
            .filter_map(|(f, v)| check_free_text(f, v).err()),
    );
}

/// One language's half of a message written "English / 中文" (or "中文 / English"), as the
/// application's messages are: the half with Chinese characters for a Chinese reader, the other
/// for an English one. A message without " / " or without Chinese in exactly one half is
/// returned whole.
pub fn in_language(message: &str, zh: bool) -> &str {
    let Some((a, b)) = message.split_once(" / ") else {
        return message;
    };
    let han = |t: &str| t.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    match (han(a), han(b)) {
        (false, true) => {
            if zh {
                b.trim()
            } else {
                a.trim()
            }
        }
        (true, false) => {
            if zh {
                a.trim()
            } else {
                b.trim()
            }
        }
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_language_of_a_two_language_message() {
        assert_eq!(in_language("required / 必填", true), "必填");
        assert_eq!(in_language("required / 必填", false), "required");
        assert_eq!(
            in_language("还有 2 条异议 / 2 objections open", true),
            "还有 2 条异议"
        );
        assert_eq!(
            in_language("还有 2 条异议 / 2 objections open", false),
            "2 objections open"
        );
        assert_eq!(in_language("plain english", true), "plain english");
        assert_eq!(in_language("a / b", true), "a / b");
        assert_eq!(in_language("日期 / 日子", false), "日期 / 日子");
    }

    #[test]
    fn examples() {
        assert!(check_line("household_no", "001-02 张三").is_ok());
        assert!(check_line("household_no", "001\u{0}").is_err());
        assert!(check_line("name", "张\u{7}三").is_err());
        assert!(check_line("name", "张\t三").is_err());
        assert!(check_line("name", "abc\u{202E}fed").is_err());
        assert!(check_free_text("notes", "第一行\r\n第二行\tx").is_ok());
        assert!(check_free_text("notes", "x\u{1b}[31m").is_err());
        assert!(check_free_text("notes", "x\u{85}").is_err());
        assert!(check_line("name", "王\u{10FFFF}").is_err());
        assert!(check_free_text("notes", "x\u{FFFE}").is_err());
        assert!(check_line("name", "\u{FFFD}王").is_ok());
        let e = check_line("name", "a\u{1}").err().map(|e| e.message);
        assert!(e.is_some_and(|m| m.en.contains("U+0001") && m.zh.contains("姓名含有控制字符")));
    }

    proptest! {
        #[test]
        fn plain_text_passes_and_one_control_char_is_caught(
            s in "[a-z0-9 张三李四，。-]{0,30}", pos in 0usize..31, c in 0u32..32,
        ) {
            prop_assert!(check_line("f", &s).is_ok());
            prop_assert!(check_free_text("f", &s).is_ok());
            let Some(ch) = char::from_u32(c) else { return Ok(()) };
            let mut chars: Vec<char> = s.chars().collect();
            chars.insert(pos.min(chars.len()), ch);
            let bad: String = chars.into_iter().collect();
            prop_assert!(check_line("f", &bad).is_err());
            prop_assert_eq!(check_free_text("f", &bad).is_err(), !matches!(ch, '\n' | '\r' | '\t'));
        }
    }
}
