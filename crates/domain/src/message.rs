//! What every program says to a person, in Chinese and English, under a stable code.
//!
//! A refusal travels as a [`Text`] from the rule that made it to the edge: the web layer picks
//! the reader's language for pages, the API sends the code and both languages, the command
//! line prints both. The texts themselves live in one place per language, [`catalogue`]; a
//! message is made from an [`Entry`] there and the values it names.

pub mod catalogue;

use serde::ser::SerializeStruct;
use serde::Serialize;
use std::fmt;

/// One message in both languages, with the stable code clients may branch on. Boxed text keeps
/// it small: it travels inside every error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub code: &'static str,
    pub zh: Box<str>,
    pub en: Box<str>,
}

/// The code of a text given as a plain string (not from the catalogue).
pub const PLAIN: &str = "text";

impl Text {
    pub fn new(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            code,
            zh: zh.into().into_boxed_str(),
            en: en.into().into_boxed_str(),
        }
    }

    /// A text written as one string "English / 中文" (or "中文 / English"), split into its
    /// languages; a string in one language serves both.
    pub fn plain(message: impl Into<String>) -> Text {
        let message = message.into();
        let zh = crate::text::in_language(&message, true).to_string();
        let en = crate::text::in_language(&message, false).to_string();
        Text::new(PLAIN, zh, en)
    }

    /// The text for a reader of Chinese (`zh`) or English.
    pub fn pick(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }

    /// The same message in one language only (what a page shows).
    pub fn only(&self, zh: bool) -> Text {
        let t = self.pick(zh).to_string();
        Text::new(self.code, t.clone(), t)
    }

    /// Whether the Chinese half is really Chinese (and not an English text standing in).
    pub fn has_chinese(&self) -> bool {
        has_han(&self.zh)
    }
}

/// Whether a string holds a Chinese character.
pub fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// An empty plain text (a default for records built field by field).
impl Default for Text {
    fn default() -> Text {
        Text::new(PLAIN, "", "")
    }
}

/// English first, then Chinese: what logs, the command line and the API's `message` show.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.zh == self.en {
            f.write_str(&self.en)
        } else {
            write!(f, "{} / {}", self.en, self.zh)
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

impl From<&Entry> for Text {
    fn from(e: &Entry) -> Text {
        e.text()
    }
}

impl From<Entry> for Text {
    fn from(e: Entry) -> Text {
        e.text()
    }
}

/// `{"reason", "message", "message_zh", "message_en"}`: the code, both languages together, and
/// each alone.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Text", 4)?;
        st.serialize_field("reason", self.code)?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("message_zh", &self.zh)?;
        st.serialize_field("message_en", &self.en)?;
        st.end()
    }
}

/// One message of the catalogue: `{name}` in a template is replaced by the value of that
/// name; `{field}` by the field's label in the same language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Entry {
    pub const fn new(code: &'static str, zh: &'static str, en: &'static str) -> Entry {
        Entry { code, zh, en }
    }

    /// The message as written (no values to fill in).
    pub fn text(&self) -> Text {
        Text::new(self.code, self.zh, self.en)
    }

    /// The message with its `{name}`s filled in.
    pub fn with(&self, args: &[(&str, &dyn fmt::Display)]) -> Text {
        self.fill(None, args)
    }

    /// The message about one field: `{field}` names it in each language.
    pub fn field(&self, field: &str, args: &[(&str, &dyn fmt::Display)]) -> Text {
        self.fill(Some(field), args)
    }

    /// The message around another: `{name}` holds `inner` in the same language. The code is
    /// the inner one's when it has its own (the reason is the inner refusal).
    pub fn wrap(&self, name: &str, inner: &Text) -> Text {
        self.wrap_with(name, inner, &[])
    }

    /// [`Entry::wrap`] with further `{name}`s filled in as [`Entry::with`] does.
    pub fn wrap_with(&self, name: &str, inner: &Text, args: &[(&str, &dyn fmt::Display)]) -> Text {
        let code = if inner.code == PLAIN {
            self.code
        } else {
            inner.code
        };
        let key = format!("{{{name}}}");
        Text::new(
            code,
            fill(self.zh, None, args).replace(&key, &inner.zh),
            fill(self.en, None, args).replace(&key, &inner.en),
        )
    }

    /// A thing and its number ("household 12", "农户 12"): what was not found.
    pub fn numbered(&self, id: impl fmt::Display) -> Text {
        Text::new(
            self.code,
            format!("{} {id}", self.zh),
            format!("{} {id}", self.en),
        )
    }

    fn fill(&self, field: Option<&str>, args: &[(&str, &dyn fmt::Display)]) -> Text {
        let label = field.map(catalogue::field_label);
        let zh = fill(self.zh, label.map(|l| l.0), args);
        let en = fill(self.en, label.map(|l| l.1), args);
        Text::new(self.code, zh, en)
    }
}

fn fill(template: &str, field: Option<&str>, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = template.to_string();
    if let Some(f) = field {
        out = out.replace("{field}", f);
    }
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// One problem with one field of a record: the form shows it next to the input, an import
/// reports it as file:row:column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    #[serde(flatten)]
    pub message: Text,
    /// For a household's members: which one (1 = the first member of the request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<usize>,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<Text>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
            member: None,
        }
    }

    /// The error about the `n`th member (1-based) of a household.
    pub fn of_member(mut self, n: usize) -> FieldError {
        self.member = Some(n);
        self
    }

    /// The same error in one language only.
    pub fn only(&self, zh: bool) -> FieldError {
        FieldError {
            message: self.message.only(zh),
            ..self.clone()
        }
    }

    /// The message in one language, with the member and field named where the message alone
    /// would not say which input it is about ("成员 2：身份证号：…").
    pub fn located(&self, zh: bool) -> String {
        let Some(n) = self.member else {
            return self.message.pick(zh).to_string();
        };
        let row = catalogue::MEMBER_ROW.with(&[("n", &n)]);
        let (label_zh, label_en) = catalogue::field_label(self.field);
        if zh {
            format!("{}{label_zh}：{}", row.zh, self.message.zh)
        } else {
            format!("{}{label_en}: {}", row.en, self.message.en)
        }
    }
}

#[cfg(test)]
mod tests;
