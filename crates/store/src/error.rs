use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (e.g. a household number used twice in a village).
    #[error("already exists: {0}")]
    Conflict(String),
    /// A foreign key or check constraint refused the write.
    #[error("refused by a database rule: {0}")]
    Constraint(String),
    #[error("not found")]
    NotFound,
    #[error("migration {version} ({name}) failed")]
    Migration {
        version: i64,
        name: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("unsupported database URL '{0}' (use sqlite://FILE or postgres://...)")]
    UnsupportedUrl(String),
    /// The write could not get its turn: SQLite stayed locked past the busy timeout, or
    /// PostgreSQL aborted it as a deadlock or serialization failure. Nothing was written;
    /// retrying shortly is expected to succeed.
    #[error("the database is busy: {0}")]
    Busy(String),
    /// PostgreSQL aborted the transaction as a deadlock victim or a serialization failure;
    /// nothing was written, and running it again is expected to succeed.
    #[error("the transaction was aborted by a concurrent one: {0}")]
    Aborted(String),
    /// The database could not be reached in time (no pooled connection within the acquire
    /// timeout, connection refused or dropped, server shutting down).
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// A setting read from the environment is not understood.
    #[error("configuration: {0}")]
    Config(String),
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

/// SQLite result codes (primary and extended) that mean "locked by another connection".
const SQLITE_BUSY_CODES: [&str; 6] = ["5", "6", "261", "262", "517", "773"];

/// PostgreSQL SQLSTATEs of a transaction aborted for a concurrent one: serialization failure,
/// deadlock.
const PG_ABORT_CODES: [&str; 2] = ["40001", "40P01"];

/// PostgreSQL's lock_not_available: a row lock was not granted within `lock_timeout`.
const PG_LOCK_TIMEOUT: &str = "55P03";

/// SQLSTATE classes of a server that is gone or going: connection exceptions (08), operator
/// intervention such as shutdown (57P), insufficient resources (53).
fn pg_unavailable(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P") || code.starts_with("53")
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => return StoreError::NotFound,
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => return StoreError::Unavailable(e),
            _ => {}
        }
        if let Some(db) = e.as_database_error() {
            let msg = db.message().to_string();
            // SQLite reports constraint kinds in the message; PostgreSQL in SQLSTATE 23xxx.
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
            if PG_ABORT_CODES.contains(&code.as_str()) {
                return StoreError::Aborted(format!("{code} {msg}"));
            }
            if code == PG_LOCK_TIMEOUT
                || SQLITE_BUSY_CODES.contains(&code.as_str())
                || msg.contains("database is locked")
                || msg.contains("database table is locked")
            {
                return StoreError::Busy(format!("{code} {msg}"));
            }
            let is_pg = db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some();
            if is_pg && pg_unavailable(&code) {
                return StoreError::Unavailable(e);
            }
            if code == "23505" || msg.contains("UNIQUE constraint failed") {
                return StoreError::Conflict(msg);
            }
            if code.starts_with("23") || msg.contains("constraint failed") {
                return StoreError::Constraint(msg);
            }
        }
        StoreError::Database(e)
    }
}
