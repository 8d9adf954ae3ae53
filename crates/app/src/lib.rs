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
mod demo_disclosure;
pub mod disclosure;
mod error;
pub mod idempotency;
pub mod ledger;
pub mod registry;
pub mod retry;
pub mod sheets;
pub mod tabular;
pub mod transparency;
pub mod waiting;

pub use actor::Actor;
pub use crypto::PersonalCipher;
pub use error::{AppError, ImportIssue};
pub use store::{Backend, Db};

pub type Result<T> = std::result::Result<T, AppError>;

/// The checkpoint origin (and key name) of a deployment that names none.
pub const DEFAULT_LOG_ORIGIN: &str = "grassroots/local";

/// The default origin is a valid key name (no `+`, no space): a start-up fact, tested.
fn unreachable_origin() -> ! {
    panic!("DEFAULT_LOG_ORIGIN must be a valid key name")
}

/// Everything a use case needs: the database and the key for personal numbers.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub cipher: PersonalCipher,
    pub config: Config,
    /// The transparency log's origin and checkpoint signer.
    pub log: std::sync::Arc<transparency::LogKey>,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Absolute session lifetime from login, however active the session is.
    pub session_hours: i64,
    /// A session unused this long ends (its last use is recorded at most once a minute).
    pub session_idle_minutes: i64,
    /// Lifetime of a new API token when none is asked for (and of tokens made before expiry
    /// was required, counted from their creation).
    pub token_days: i64,
    /// Failed logins one (username, address) pair may make before each further attempt must
    /// wait 2, 4, 8 … seconds (at most 15 minutes). Other addresses are not slowed down.
    pub login_free_failures: i64,
    /// Failed logins from one address, any usernames, in the window before it is refused.
    pub max_failures_per_address: i64,
    pub login_window_minutes: i64,
    /// Bounds of an import file (docs/import-formats.md).
    pub import: tabular::Limits,
    /// The county's disclosure catalogue (the shipped one unless a deployment names its own).
    pub disclosure: std::sync::Arc<domain::disclosure::Catalogue>,
    /// Verifier keys (`name+id+key`) of the witnesses whose cosignatures the log accepts.
    pub witnesses: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_hours: 12,
            session_idle_minutes: 30,
            token_days: 90,
            login_free_failures: 3,
            max_failures_per_address: 30,
            login_window_minutes: 60,
            import: tabular::Limits::default(),
            disclosure: std::sync::Arc::new(domain::disclosure::Catalogue::shipped()),
            witnesses: Vec::new(),
        }
    }
}

impl App {
    pub fn new(db: Db, cipher: PersonalCipher) -> App {
        // Until a deployment names its own log key (`with_log_key`), one derived from the
        // master key signs: stable across restarts, never the same as another deployment's.
        let origin = DEFAULT_LOG_ORIGIN.to_string();
        let log =
            match domain::transparency::note::SignerKey::from_seed(&origin, &cipher.log_seed()) {
                Ok(signer) => transparency::LogKey { origin, signer },
                Err(_) => unreachable_origin(),
            };
        App {
            db,
            cipher,
            config: Config::default(),
            log: std::sync::Arc::new(log),
        }
    }

    /// Signs the log's checkpoints with this key, under this origin.
    pub fn with_log_key(
        mut self,
        origin: &str,
        signer: domain::transparency::note::SignerKey,
    ) -> App {
        self.log = std::sync::Arc::new(transparency::LogKey {
            origin: origin.to_string(),
            signer,
        });
        self
    }

    /// Connects, migrates and returns the application.
    pub async fn open(url: &str, cipher: PersonalCipher) -> Result<App> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        let app = App::new(db, cipher);
        // Rows a migration could not encrypt (it holds no key) are sealed here, once.
        credit::objection_contacts::seal_plain_contacts(&app).await?;
        Ok(app)
    }
}
