use crate::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool and which engine is behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// Migrations in order. Each file is portable SQL; `{{id}}` stands for the engine's
/// auto-numbered 64-bit primary key and `{{sqlite:...}}`/`{{pg:...}}` for the few statements
/// only one engine needs (e.g. append-only triggers).
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "ledger",
        sql: include_str!("../migrations/0002_ledger.sql"),
    },
    Migration {
        version: 3,
        name: "credit",
        sql: include_str!("../migrations/0003_credit.sql"),
    },
    Migration {
        version: 5,
        name: "privacy",
        sql: include_str!("../migrations/0005_privacy.sql"),
    },
];

/// Now as RFC 3339 UTC text, the form every instant is stored in.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Db {
    /// Connects to `sqlite://FILE` (created if missing, WAL mode) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let pool = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; \
                                 PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?
            }
        };
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db { pool, backend })
    }

    /// Applies pending migrations; safe to run at every start.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
             name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .await?;
        let rows: Vec<AnyRow> = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&mut *conn)
            .await?;
        let done: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<std::result::Result<_, _>>()?;
        let mut applied = Vec::new();
        for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
            let sql = self.render(m.sql);
            let fail = |source| StoreError::Migration {
                version: m.version,
                name: m.name.into(),
                source,
            };
            let mut tx = self.pool.begin().await?;
            sqlx::raw_sql(&sql).execute(&mut *tx).await.map_err(fail)?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            applied.push(m.version);
        }
        Ok(applied)
    }

    fn render(&self, sql: &str) -> String {
        let id = match self.backend {
            Backend::Sqlite => "INTEGER PRIMARY KEY",
            Backend::Postgres => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        };
        let mut out = String::new();
        for line in sql.replace("{{id}}", id).lines() {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix("--sqlite ") {
                if self.backend == Backend::Sqlite {
                    out.push_str(rest);
                }
            } else if let Some(rest) = t.strip_prefix("--pg ") {
                if self.backend == Backend::Postgres {
                    out.push_str(rest);
                }
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    }

    pub async fn begin(&self) -> Result<crate::Tx<'static>> {
        Ok(self.pool.begin().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
