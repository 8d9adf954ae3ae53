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
    /// A setting read from the environment is not understood.
    #[error("configuration: {0}")]
    Config(String),
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = e {
            return StoreError::NotFound;
        }
        if let Some(db) = e.as_database_error() {
            let msg = db.message().to_string();
            // SQLite reports constraint kinds in the message; PostgreSQL in SQLSTATE 23xxx.
            let code = db.code().map(|c| c.to_string()).unwrap_or_default();
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
