use domain::message::{catalogue as msg, FieldError, Text};
use serde::Serialize;
use store::StoreError;
use thiserror::Error;

/// One problem in an imported file, located as `file:row:column`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ImportIssue {
    pub file: String,
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file (or the field name when the column is missing).
    pub column: String,
    /// Both languages; serialised as `reason`, `message`, `message_zh`, `message_en`.
    #[serde(flatten)]
    pub message: Text,
    /// On the last issue of a capped list only: how many further problems were not listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How many issues a refusal lists; the rest are counted (a 146,000-line answer helps nobody).
pub const MAX_LISTED_ISSUES: usize = 100;

impl ImportIssue {
    /// Keeps the first `max` issues and adds one that counts the rest ("and N more").
    pub fn capped(mut issues: Vec<ImportIssue>, max: usize) -> Vec<ImportIssue> {
        let already: usize = issues.iter().map(|i| i.more).sum();
        if issues.len() <= max {
            return issues;
        }
        let rest = issues.len() - max + already;
        let file = issues[max].file.clone();
        issues.truncate(max);
        issues.push(ImportIssue {
            file,
            row: 0,
            column: "-".into(),
            message: msg::MORE_PROBLEMS.with(&[("rest", &rest)]),
            more: rest,
        });
        issues
    }

    /// `file:row:column: message` in one language, for a page.
    pub fn line(&self, zh: bool) -> String {
        let m = self.message.pick(zh);
        if self.more > 0 {
            format!("{}: {m}", self.file)
        } else {
            format!("{}:{}:{}: {m}", self.file, self.row, self.column)
        }
    }

    /// Problems in a refusal, counting those only summarised.
    pub fn total(issues: &[ImportIssue]) -> usize {
        issues
            .iter()
            .map(|i| if i.more > 0 { i.more } else { 1 })
            .sum()
    }
}

impl std::fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.more > 0 {
            // The summary of a capped list has no place of its own.
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.row, self.column, self.message
        )
    }
}

#[derive(Debug, Error)]
pub enum AppError {
    #[error("please log in")]
    Unauthenticated,
    /// Why, in both languages.
    #[error("not allowed: {0}")]
    Forbidden(Text),
    /// What was not found ("household / 农户"), in both languages.
    #[error("{} not found", .0.en)]
    NotFound(Text),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(Text),
    #[error("{0}")]
    Conflict(Text),
    /// Build with [`AppError::import`], which caps the list.
    #[error("the import was refused: {} problem(s), nothing was written", ImportIssue::total(.0))]
    Import(Vec<ImportIssue>),
    /// Too many attempts: try again in this many seconds (the `Retry-After` of a 429).
    #[error("too many attempts; try again in {}", wait_words(*.0))]
    Throttled(i64),
    #[error("personal data could not be decrypted (wrong key?)")]
    Crypto,
    /// The database was busy (locked, deadlock) or out of reach; nothing was written and a
    /// retry after `retry_after` seconds is expected to work.
    #[error("the database is busy; nothing was written — retry in {retry_after} s")]
    Unavailable {
        retry_after: u32,
        #[source]
        source: StoreError,
    },
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => AppError::Conflict(humanize_conflict(&m)),
            StoreError::Constraint(m) => AppError::Conflict(msg::DATA_RULE.with(&[("detail", &m)])),
            StoreError::NotFound => AppError::NotFound(msg::RECORD.text()),
            e @ (StoreError::Busy(_) | StoreError::Aborted(_)) => AppError::Unavailable {
                retry_after: 1,
                source: e,
            },
            e @ StoreError::Unavailable(_) => AppError::Unavailable {
                retry_after: 5,
                source: e,
            },
            other => AppError::Store(other),
        }
    }
}

/// Turns an engine's unique-violation text into words a cadre understands.
fn humanize_conflict(engine: &str) -> Text {
    if engine.contains("household_no") || engine.contains("households_village_code_household_no") {
        msg::HOUSEHOLD_NO_TAKEN.text()
    } else if engine.contains("username") {
        msg::USERNAME_TAKEN.text()
    } else if engine.contains("units") {
        msg::UNIT_CODE_TAKEN.text()
    } else {
        msg::SAME_NUMBER_EXISTS.text()
    }
}

/// Lets `?` work on transaction commit, which returns the driver's error.
impl From<store::SqlxError> for AppError {
    fn from(e: store::SqlxError) -> Self {
        AppError::from(StoreError::from(e))
    }
}

impl AppError {
    /// An import refusal listing at most [`MAX_LISTED_ISSUES`] problems plus a count of the rest.
    pub fn import(issues: Vec<ImportIssue>) -> AppError {
        AppError::Import(ImportIssue::capped(issues, MAX_LISTED_ISSUES))
    }
    /// "household 12 not found": the thing from the catalogue and its number.
    pub fn not_found(thing: domain::message::Entry, id: impl std::fmt::Display) -> AppError {
        AppError::NotFound(thing.numbered(id))
    }
    pub fn field(field: &'static str, message: impl Into<Text>) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
}

/// `90` → "2 minutes", `5` → "5 seconds".
fn wait_words(seconds: i64) -> String {
    if seconds > 90 {
        format!("{} minutes", (seconds + 59) / 60)
    } else {
        format!("{} seconds", seconds.max(1))
    }
}
