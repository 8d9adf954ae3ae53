use domain::registry::FieldError;
use serde::Serialize;
use store::StoreError;
use thiserror::Error;

/// One problem in an imported file, located as `file:row:column`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    pub file: String,
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file (or the field name when the column is missing).
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the import was refused: {} problem(s), nothing was written", .0.len())]
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
            StoreError::Constraint(m) => AppError::Conflict(format!("refused by a data rule: {m}")),
            StoreError::NotFound => AppError::NotFound("record".into()),
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
fn humanize_conflict(msg: &str) -> String {
    if msg.contains("household_no") || msg.contains("households_village_code_household_no") {
        "this household number is already used in the village".into()
    } else if msg.contains("username") {
        "this username is taken".into()
    } else if msg.contains("units") {
        "a unit with this code already exists".into()
    } else {
        "a record with the same number already exists".into()
    }
}

/// Lets `?` work on transaction commit, which returns the driver's error.
impl From<store::SqlxError> for AppError {
    fn from(e: store::SqlxError) -> Self {
        AppError::from(StoreError::from(e))
    }
}

impl AppError {
    pub fn field(field: &'static str, message: impl Into<String>) -> AppError {
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
