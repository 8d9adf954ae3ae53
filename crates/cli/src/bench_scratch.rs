//! Scratch databases for benchmarks: a temp SQLite file, or a database created on the
//! PostgreSQL server of an admin URL and dropped afterwards.

use sqlx::{Connection, Executor};
use std::path::Path;

/// Creates the database `db` afresh (dropped first if left over) on the PostgreSQL server of
/// the admin URL `admin`; its URL.
pub(crate) async fn create_pg(admin: &str, db: &str) -> anyhow::Result<String> {
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {db}").as_str())
        .await?;
    conn.execute(format!("CREATE DATABASE {db}").as_str())
        .await?;
    let mut url = url::Url::parse(admin)?;
    url.set_path(&format!("/{db}"));
    Ok(url.to_string())
}

/// Where the bench runs: a scratch SQLite file, or a scratch database on the PostgreSQL
/// server of an admin URL (created here, dropped afterwards unless kept).
pub(crate) struct Scratch {
    pub url: String,
    file: Option<std::path::PathBuf>,
    pg: Option<(String, String)>,
}

impl Scratch {
    pub async fn new(
        url: Option<&str>,
        name: &str,
        scratch: Option<&Path>,
    ) -> anyhow::Result<Self> {
        match url {
            Some(admin) if admin.starts_with("postgres") => {
                let db = format!("grassroots_{name}_{}", std::process::id());
                Ok(Scratch {
                    url: create_pg(admin, &db).await?,
                    file: None,
                    pg: Some((admin.to_string(), db)),
                })
            }
            Some(other) => Ok(Scratch {
                url: other.to_string(),
                file: None,
                pg: None,
            }),
            None => {
                let f = crate::bench::scratch_file(scratch, name);
                Ok(Scratch {
                    url: format!("sqlite://{}", f.display()),
                    file: Some(f),
                    pg: None,
                })
            }
        }
    }

    pub fn engine(&self) -> &'static str {
        if self.url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    }

    pub async fn finish(self, keep: bool) -> anyhow::Result<()> {
        if keep {
            match (&self.file, &self.pg) {
                (Some(f), _) => eprintln!("kept {}", f.display()),
                (_, Some((_, db))) => eprintln!("kept PostgreSQL database {db}"),
                _ => {}
            }
            return Ok(());
        }
        if let Some(f) = &self.file {
            crate::bench::cleanup(f);
        }
        if let Some((admin, db)) = &self.pg {
            let mut conn = sqlx::PgConnection::connect(admin).await?;
            conn.execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str())
                .await?;
        }
        Ok(())
    }
}
