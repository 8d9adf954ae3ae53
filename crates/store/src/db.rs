use crate::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Executor, Row};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
    /// Connections for writes that need not wait for the disk (see [`Db::relaxed_write`]).
    relaxed: AnyPool,
    /// Turns for write transactions (see [`Db::begin`]).
    writers: Arc<Semaphore>,
    /// How long a write waits for its turn before answering "busy".
    turn_timeout: Duration,
    /// How long a write waits for a row lock (PostgreSQL `lock_timeout`; SQLite's is the
    /// connection's busy timeout).
    lock_timeout: Duration,
    /// Write transactions this process has committed (see [`Db::commits`]).
    commits: Arc<AtomicU64>,
}

/// A write transaction with its turn: derefs to the connection like `sqlx::Transaction`,
/// rolls back when dropped uncommitted, and gives its turn back when done.
pub struct WriteTx {
    // Declared first so it is dropped (rolled back) before the turn is given back.
    tx: crate::Tx<'static>,
    _turn: OwnedSemaphorePermit,
    commits: Arc<AtomicU64>,
}

impl WriteTx {
    /// Commits, then counts the commit (after it, so whoever sees the new count also sees
    /// the committed data).
    pub async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        let commits = self.commits.clone();
        self.tx.commit().await?;
        commits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    pub async fn rollback(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
    /// Commits, or for a dry run rolls back (nothing written).
    pub async fn commit_unless(self, dry_run: bool) -> std::result::Result<(), sqlx::Error> {
        if dry_run {
            self.rollback().await
        } else {
            self.commit().await
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// A connection for one autocommit write that does not wait for the disk, holding a write turn
/// on SQLite (see [`Db::relaxed_write`]).
pub struct RelaxedWrite {
    conn: sqlx::pool::PoolConnection<sqlx::Any>,
    _turn: Option<OwnedSemaphorePermit>,
}

impl std::ops::Deref for RelaxedWrite {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for RelaxedWrite {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

/// A write turn held without a transaction, for a single statement that may be skipped when
/// the database is busy (see [`Db::try_write_turn`]).
#[derive(Debug)]
pub struct WriteTurn(#[allow(dead_code)] OwnedSemaphorePermit);

/// How long a request may wait for the database before it is answered "busy, retry" (503)
/// instead of hanging: for a pooled connection (or a new one to a server that is down), and on
/// SQLite for the write lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbOptions {
    pub acquire_timeout: Duration,
    pub busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
        }
    }
}

impl DbOptions {
    /// Defaults, overridden by `GRASSROOTS_DB_ACQUIRE_TIMEOUT_MS` and
    /// `GRASSROOTS_DB_BUSY_TIMEOUT_MS` when set to a number.
    pub fn from_env() -> DbOptions {
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        let d = DbOptions::default();
        DbOptions {
            acquire_timeout: ms("GRASSROOTS_DB_ACQUIRE_TIMEOUT_MS").unwrap_or(d.acquire_timeout),
            busy_timeout: ms("GRASSROOTS_DB_BUSY_TIMEOUT_MS").unwrap_or(d.busy_timeout),
        }
    }
}

/// What starts a write transaction. On SQLite `BEGIN IMMEDIATE` takes the write lock at once,
/// waiting up to the busy timeout for it; a deferred `BEGIN` would read first and then fail to
/// upgrade ("database is locked", no waiting) whenever another writer committed meanwhile.
fn begin_statement(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    }
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
    Migration {
        version: 6,
        name: "accounts",
        sql: include_str!("../migrations/0006_accounts.sql"),
    },
    Migration {
        version: 8,
        name: "idempotency",
        sql: include_str!("../migrations/0008_idempotency.sql"),
    },
    Migration {
        version: 9,
        name: "public_pages",
        sql: include_str!("../migrations/0009_public_pages.sql"),
    },
    Migration {
        version: 11,
        name: "scope_counts",
        sql: include_str!("../migrations/0011_scope_counts.sql"),
    },
    Migration {
        version: 12,
        name: "registry_scale",
        sql: include_str!("../migrations/0012_registry_scale.sql"),
    },
    Migration {
        version: 14,
        name: "village_counts",
        sql: include_str!("../migrations/0014_village_counts.sql"),
    },
    Migration {
        version: 19,
        name: "transparency_log",
        sql: include_str!("../migrations/0019_transparency_log.sql"),
    },
    Migration {
        version: 20,
        name: "county_level_counts",
        sql: include_str!("../migrations/0020_county_level_counts.sql"),
    },
    Migration {
        version: 21,
        name: "disclosures",
        sql: include_str!("../migrations/0021_disclosures.sql"),
    },
];

const SQLITE_CONNECTIONS: u32 = 8;
const PG_CONNECTIONS: u32 = 16;

/// Now as RFC 3339 UTC text, the form every instant is stored in.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Db {
    /// Connects to `sqlite://FILE` (created if missing, WAL mode) or `postgres://…`, with
    /// [`DbOptions::from_env`].
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_with(url, &DbOptions::from_env()).await
    }

    fn backend_of(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    /// A PostgreSQL pool that connects on first use: a server that is down shows up as
    /// requests answered "unavailable", not as a failed start (and lets tests prove that).
    pub fn connect_lazy(url: &str, opts: &DbOptions) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Db::backend_of(url)?;
        if backend != Backend::Postgres {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        let pool = AnyPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .acquire_timeout(opts.acquire_timeout)
            .connect_lazy(url)?;
        let relaxed = pg_relaxed_options(opts).connect_lazy(url)?;
        Ok(Db::new(pool, relaxed, backend, opts))
    }

    pub async fn connect_with(url: &str, opts: &DbOptions) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Db::backend_of(url)?;
        let busy_ms = opts.busy_timeout.as_millis();
        let (pool, relaxed) = match backend {
            Backend::Sqlite => {
                sqlite_synchronous()?;
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // A local file does not go stale: no ping before each use (on SQLite every
                // statement, a ping included, is a round trip to the connection's thread).
                let pool = AnyPoolOptions::new()
                    .max_connections(SQLITE_CONNECTIONS)
                    .acquire_timeout(opts.acquire_timeout)
                    .test_before_acquire(false)
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            conn.execute(pragmas(busy_ms).as_str()).await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                // One connection (there is one writer) whose commits append to the WAL without
                // an fsync; the next durable commit of any connection syncs them with it.
                let relaxed = AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(opts.acquire_timeout)
                    .test_before_acquire(false)
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            conn.execute(pragmas(busy_ms).as_str()).await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            Ok(())
                        })
                    })
                    .connect_lazy(&url)?;
                (pool, relaxed)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(PG_CONNECTIONS)
                    .acquire_timeout(opts.acquire_timeout)
                    .connect(url)
                    .await?;
                (pool, pg_relaxed_options(opts).connect_lazy(url)?)
            }
        };
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db::new(pool, relaxed, backend, opts))
    }

    /// Write turns: one at a time on SQLite (it has one writer anyway; waiting here rather than
    /// in SQLite's busy loop keeps the waiting writers from holding pooled connections the
    /// writer in turn may need for a read); on PostgreSQL half the pool, so writers that read
    /// through a second connection always find one.
    fn new(pool: AnyPool, relaxed: AnyPool, backend: Backend, opts: &DbOptions) -> Db {
        let (turns, turn_timeout) = match backend {
            Backend::Sqlite => (1, opts.busy_timeout),
            Backend::Postgres => ((PG_CONNECTIONS / 2) as usize, opts.acquire_timeout),
        };
        Db {
            pool,
            relaxed,
            backend,
            writers: Arc::new(Semaphore::new(turns)),
            turn_timeout,
            lock_timeout: opts.busy_timeout,
            commits: Arc::new(AtomicU64::new(0)),
        }
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
            let mut tx = self.begin().await?;
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

    /// A pooled connection for reads (no write turn, no transaction).
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A write transaction (`BEGIN IMMEDIATE` on SQLite, see [`begin_statement`]). A write
    /// that cannot get its turn in time fails with [`StoreError::Busy`] or
    /// [`StoreError::Unavailable`], which callers answer "retry later".
    pub async fn begin(&self) -> Result<WriteTx> {
        let turn = tokio::time::timeout(self.turn_timeout, self.writers.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Busy("no write turn within the busy timeout".into()))?
            .map_err(|_| StoreError::Busy("the database is closing".into()))?;
        let mut tx = self.pool.begin_with(begin_statement(self.backend)).await?;
        if self.backend == Backend::Postgres {
            // A writer stuck behind a long-held row lock gives up like a SQLite writer does
            // (SQLSTATE 55P03, answered "busy, retry") instead of hanging the request.
            let ms = self.lock_timeout.as_millis().max(1);
            tx.execute(format!("SET LOCAL lock_timeout = {ms}").as_str())
                .await?;
        }
        Ok(WriteTx {
            tx,
            _turn: turn,
            commits: self.commits.clone(),
        })
    }

    /// A write turn if one is free right now, else `None` at once: for writes worth doing
    /// only when they delay nobody (a session's or token's last use), which must not queue
    /// behind a slow writer nor make the writers behind them wait.
    pub fn try_write_turn(&self) -> Option<WriteTurn> {
        self.writers.clone().try_acquire_owned().ok().map(WriteTurn)
    }

    /// A connection for one autocommit write whose loss in a power cut costs nothing but a
    /// "retry later" (an idempotent request's kept answer): its commit does not wait for the
    /// disk (SQLite `synchronous=NORMAL`, PostgreSQL `synchronous_commit=off`) but still
    /// survives a killed process, and any later durable commit carries it to disk. On SQLite
    /// it waits for a write turn like [`Db::begin`].
    pub async fn relaxed_write(&self) -> Result<RelaxedWrite> {
        let turn = match self.backend {
            Backend::Sqlite => Some(
                tokio::time::timeout(self.turn_timeout, self.writers.clone().acquire_owned())
                    .await
                    .map_err(|_| StoreError::Busy("no write turn within the busy timeout".into()))?
                    .map_err(|_| StoreError::Busy("the database is closing".into()))?,
            ),
            Backend::Postgres => None,
        };
        let conn = self.relaxed.acquire().await?;
        Ok(RelaxedWrite { conn, _turn: turn })
    }

    /// How many write transactions this process has committed: every write goes through
    /// [`Db::begin`], so a cache of what was read can tell "nothing written here since" by
    /// comparing this number (writes by other processes need a look at the database).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    pub async fn close(&self) {
        self.relaxed.close().await;
        self.pool.close().await;
    }
}

/// The PostgreSQL pool of [`Db::relaxed_write`]: two connections whose commits do not wait
/// for the WAL flush (a later synchronous commit flushes them with it).
fn pg_relaxed_options(opts: &DbOptions) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(opts.acquire_timeout)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("SET synchronous_commit = off").await?;
                Ok(())
            })
        })
}

/// Environment variable choosing SQLite's durability: `full` (fsync the WAL at every commit,
/// so a committed write survives a power cut) or `normal` (fsync only at checkpoints: safe
/// against a crashed or killed process, but the last commits can be lost in a power cut).
pub const SQLITE_SYNC_VAR: &str = "GRASSROOTS_SQLITE_SYNC";
const SYNC_DEFAULT: &str = "PRAGMA synchronous = FULL";

/// What every pooled SQLite connection runs first (public so that benchmarks can set up a raw
/// connection the same way).
pub fn sqlite_pragmas(opts: &DbOptions) -> String {
    pragmas(opts.busy_timeout.as_millis())
}

fn pragmas(busy_ms: u128) -> String {
    format!(
        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busy_ms}; \
         PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; {};",
        sqlite_synchronous().unwrap_or(SYNC_DEFAULT)
    )
}

/// The `PRAGMA synchronous` statement for [`SQLITE_SYNC_VAR`] (default `full`).
fn sqlite_synchronous() -> Result<&'static str> {
    match std::env::var(SQLITE_SYNC_VAR) {
        Err(_) => Ok(SYNC_DEFAULT),
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "" | "full" => Ok(SYNC_DEFAULT),
            "normal" => Ok("PRAGMA synchronous = NORMAL"),
            _ => Err(StoreError::Config(format!(
                "{SQLITE_SYNC_VAR}='{v}': use 'full' or 'normal'"
            ))),
        },
    }
}
