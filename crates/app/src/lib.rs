//! Use cases of grassroots. Every function that reads or writes takes the acting account
//! ([`Actor`]) and checks its role and unit subtree before touching the store; every write
//! appends to the audit log in the same transaction.
//!
//! Organised by program: [`registry`] (tree, households, grids), [`accounts`], [`audit`].

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod credit;
pub mod crypto;
pub mod demo;
mod demo_credit;
mod error;
pub mod ledger;
pub mod registry;
pub mod tabular;

pub use actor::Actor;
pub use crypto::PersonalCipher;
pub use error::{AppError, ImportIssue};
pub use store::{Backend, Db};

pub type Result<T> = std::result::Result<T, AppError>;

/// Everything a use case needs: the database and the key for personal numbers.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub cipher: PersonalCipher,
    pub config: Config,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Session lifetime.
    pub session_hours: i64,
    /// Failed logins allowed per username (and 4× per address) in the window before refusing.
    pub max_login_failures: i64,
    pub login_window_minutes: i64,
    /// Bounds of an import file (docs/import-formats.md).
    pub import: tabular::Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_hours: 12,
            max_login_failures: 5,
            login_window_minutes: 15,
            import: tabular::Limits::default(),
        }
    }
}

impl App {
    pub fn new(db: Db, cipher: PersonalCipher) -> App {
        App {
            db,
            cipher,
            config: Config::default(),
        }
    }

    /// Connects, migrates and returns the application.
    pub async fn open(url: &str, cipher: PersonalCipher) -> Result<App> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(App::new(db, cipher))
    }
}
