//! Test support. Every test gets a fresh database — a SQLite file in a temp dir, or a new
//! PostgreSQL database dropped afterwards — seeded with the committed division sample and one
//! account per role. [`both!`] runs a test body on both engines.
//!
//! PostgreSQL comes from `GRASSROOTS_TEST_PG` (an admin URL, default
//! `postgres://postgres@127.0.0.1:5432/postgres`). If it cannot be reached the PostgreSQL tests
//! fail, unless `GRASSROOTS_TEST_PG=skip` says so explicitly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
pub mod fixtures;
mod http;

pub use api::PUBLIC_CSRF_COOKIE;
pub use http::{Response, Session};

use app::{Actor, App, PersonalCipher};
use domain::access::Role;
use rand::Rng;
use sqlx::{Connection, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = "test-password-1";
/// Cookie names as the test router (Secure cookies) sets them: with the `__Host-` prefix.
pub const SESSION_COOKIE: &str = "__Host-gr_session";
pub const LOGIN_CSRF_COOKIE: &str = "__Host-gr_login_csrf";
pub const LANG_COOKIE: &str = "__Host-gr_lang";
pub const COUNTY: &str = "140581";
pub const TOWNSHIP: &str = "140581104";
/// 陈区村, in the township.
pub const VILLAGE_A: &str = "140581104201";
/// 王村, same township.
pub const VILLAGE_A2: &str = "140581104202";
/// 米西村, another township.
pub const VILLAGE_B: &str = "140581101201";

/// A fresh database, removed on drop.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

fn pg_admin_url() -> Option<String> {
    match std::env::var("GRASSROOTS_TEST_PG") {
        Ok(v) if v == "skip" => None,
        Ok(v) if !v.is_empty() => Some(v),
        _ => Some("postgres://postgres@127.0.0.1:5432/postgres".into()),
    }
}

impl TestDb {
    /// `None` only when PostgreSQL tests were explicitly skipped.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Some(TestDb {
                    url,
                    backend,
                    _dir: Some(dir),
                    pg: None,
                })
            }
            Backend::Postgres => {
                let Some(admin) = pg_admin_url() else {
                    eprintln!("GRASSROOTS_TEST_PG=skip: PostgreSQL test skipped");
                    return None;
                };
                let name = format!(
                    "gr_test_{}_{:08x}",
                    std::process::id(),
                    rand::thread_rng().gen::<u32>()
                );
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {admin} unreachable ({e}); run scripts/test, set GRASSROOTS_TEST_PG, or GRASSROOTS_TEST_PG=skip"));
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let mut u = url::Url::parse(&admin).expect("admin URL");
                u.set_path(&format!("/{name}"));
                Some(TestDb {
                    url: u.to_string(),
                    backend,
                    _dir: None,
                    pg: Some((admin, name)),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside async; a small runtime on its own thread does the cleanup.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ = c
                            .execute(
                                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                            )
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The application on a fresh, seeded database, with its router.
pub struct TestApp {
    pub app: App,
    pub router: axum::Router,
    pub db: TestDb,
}

/// The accounts every test database has (password [`PASSWORD`]).
pub const ACCOUNTS: [(&str, Role, Option<&str>); 8] = [
    ("admin", Role::Admin, None),
    ("county", Role::CountyOfficer, Some(COUNTY)),
    ("township", Role::TownshipOfficer, Some(TOWNSHIP)),
    ("cadre_a", Role::VillageCadre, Some(VILLAGE_A)),
    ("accountant_a", Role::VillageAccountant, Some(VILLAGE_A)),
    ("cadre_a2", Role::VillageCadre, Some(VILLAGE_A2)),
    ("cadre_b", Role::VillageCadre, Some(VILLAGE_B)),
    ("bank", Role::BankOfficer, Some(TOWNSHIP)),
];

impl TestApp {
    pub async fn new(backend: Backend) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let app = App::open(&db.url, PersonalCipher::new([42; 32]))
            .await
            .expect("open app");
        let cli = Actor::cli();
        app::registry::units::import_division_files(&app, &cli, &app::demo::division_files())
            .await
            .expect("divisions");
        for (u, role, unit) in ACCOUNTS {
            app::accounts::add_user(
                &app,
                &cli,
                app::accounts::NewUser {
                    username: u.into(),
                    display_name: u.into(),
                    password: PASSWORD.into(),
                    role,
                    unit_code: unit.map(str::to_string),
                },
            )
            .await
            .expect("account");
        }
        let router = web::router(app.clone(), true);
        Some(TestApp { app, router, db })
    }

    /// The actor of a seeded account, for calling use cases directly.
    pub async fn actor(&self, username: &str) -> Actor {
        app::accounts::login(&self.app, username, PASSWORD, "test")
            .await
            .expect("login")
            .actor
    }

    /// Adds an account (e.g. a grid member bound to a grid created in the test).
    pub async fn add_account(&self, username: &str, role: Role, unit: &str) {
        app::accounts::add_user(
            &self.app,
            &Actor::cli(),
            app::accounts::NewUser {
                username: username.into(),
                display_name: username.into(),
                password: PASSWORD.into(),
                role,
                unit_code: Some(unit.into()),
            },
        )
        .await
        .expect("account");
    }

    /// An API bearer token for a seeded account.
    pub async fn token(&self, username: &str) -> String {
        app::accounts::create_token(&self.app, &Actor::cli(), username, "test", None)
            .await
            .expect("token")
    }

    /// Counts rows of a table (for "nothing was written" assertions).
    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.app.db.pool)
            .await
            .expect("count")
            .get::<i64, _>(0)
    }
}

/// The issues of an import the application refused as a whole (any other outcome fails).
#[track_caller]
pub fn import_issues<T: std::fmt::Debug>(
    result: Result<T, app::AppError>,
) -> Vec<app::ImportIssue> {
    match result {
        Err(app::AppError::Import(issues)) => issues,
        other => panic!("import error expected, got {other:?}"),
    }
}

/// The element of a JSON list whose `key` equals `value` (a record, a breakdown line).
#[track_caller]
pub fn find<'a, V>(list: &'a serde_json::Value, key: &str, value: V) -> &'a serde_json::Value
where
    serde_json::Value: PartialEq<V>,
    V: std::fmt::Debug,
{
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    items
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value:?} in {list}"))
}

/// A valid (fictitious) resident ID from 17 digits.
pub fn resident_id(first17: &str) -> String {
    domain::ResidentId::from_first17(first17)
        .expect("valid id")
        .as_str()
        .to_string()
}

/// Runs an async test body `fn(TestApp)` on SQLite and on PostgreSQL, as `NAME::sqlite` and
/// `NAME::postgres`; `both!(body)` names the tests after the body (a module and a function may
/// share a name).
#[macro_export]
macro_rules! both {
    ($body:ident) => {
        $crate::both!($body, $body);
    };
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(t) = $crate::TestApp::new($crate::Backend::Sqlite).await {
                    super::$body(t).await
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::TestApp::new($crate::Backend::Postgres).await {
                    super::$body(t).await
                }
            }
        }
    };
}
