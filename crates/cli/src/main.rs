//! `grassroots`: the server, the demo, migrations, imports, accounts and benchmarks.

mod bench;
mod bench_county;
mod bench_county_measure;
mod bench_crash;
mod bench_credit;
mod bench_http;
mod bench_ledger;
mod bench_log;
mod bench_post;
mod bench_public;
mod bench_scratch;
mod bench_sync;
mod commands;
mod credit;
mod disclosure;
mod ledger;
mod log;
mod witness;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "grassroots",
    version,
    about = "Village-level governance: registry, ledgers, credit village"
)]
pub struct Cli {
    /// sqlite://FILE (default) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://grassroots.db",
        global = true
    )]
    pub database_url: String,
    /// Master key for personal numbers, 64 hex characters (overrides --key-file).
    #[arg(long, env = "GRASSROOTS_KEY", hide_env_values = true, global = true)]
    pub key: Option<String>,
    /// File holding the master key; created with a fresh key if missing.
    #[arg(
        long,
        env = "GRASSROOTS_KEY_FILE",
        default_value = "grassroots.key",
        global = true
    )]
    pub key_file: PathBuf,
    /// Print figures as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The transparency log's origin (first line of its checkpoints, and its key's name).
    #[arg(
        long,
        env = "GRASSROOTS_LOG_ORIGIN",
        default_value = app::DEFAULT_LOG_ORIGIN,
        global = true
    )]
    pub log_origin: String,
    /// File holding the log's signing key; created with a fresh key if missing.
    #[arg(
        long,
        env = "GRASSROOTS_LOG_KEY_FILE",
        default_value = "grassroots-log.key",
        global = true
    )]
    pub log_key_file: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (migrates first).
    Serve {
        #[arg(long, env = "GRASSROOTS_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Send cookies without the Secure attribute (only for plain-HTTP deployments).
        #[arg(long, env = "GRASSROOTS_INSECURE_COOKIES")]
        insecure_cookies: bool,
        /// A session unused this many minutes ends.
        #[arg(long, env = "GRASSROOTS_SESSION_IDLE_MINUTES", default_value_t = 30,
              value_parser = clap::value_parser!(i64).range(1..=1440))]
        session_idle_minutes: i64,
        /// A session ends this many hours after login, however active.
        #[arg(long, env = "GRASSROOTS_SESSION_HOURS", default_value_t = 12,
              value_parser = clap::value_parser!(i64).range(1..=720))]
        session_hours: i64,
        /// Lifetime of an API token created without --days (and of older tokens made without
        /// an expiry, counted from their creation).
        #[arg(long, env = "GRASSROOTS_TOKEN_DAYS", default_value_t = 90,
              value_parser = clap::value_parser!(i64).range(1..=366))]
        token_days: i64,
        /// A witness's verifier key (`name+id+key`) whose cosignatures the log accepts and
        /// serves with its checkpoint; repeat for several.
        #[arg(
            long = "witness-key",
            env = "GRASSROOTS_WITNESS_KEYS",
            value_delimiter = ','
        )]
        witness_keys: Vec<String>,
        /// The county's disclosure catalogue (TOML; default: the shipped one).
        #[arg(long, env = "GRASSROOTS_DISCLOSURE_CATALOGUE")]
        disclosure_catalogue: Option<PathBuf>,
    },
    /// Create a fresh seeded SQLite database and serve it, printing the demo logins.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = "grassroots-demo.db")]
        file: PathBuf,
    },
    /// Apply pending migrations.
    Migrate,
    /// Administrative divisions.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Household registry.
    Households {
        #[command(subcommand)]
        command: HouseholdsCommand,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Collective ledgers: import, export, summary, county rules.
    Ledger {
        #[command(subcommand)]
        command: ledger::LedgerCommand,
    },
    /// Benchmarks (figures for the closing notes).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Credit village: rounds, records, assessment, publicity, final, summary.
    Credit {
        #[command(subcommand)]
        command: credit::CreditCommand,
    },
    /// The transparency log: checkpoint, verifier key, audit.
    Log {
        #[command(subcommand)]
        command: log::LogCommand,
    },
    /// Three-affairs disclosure: catalogue, publish, export bundle.
    Disclosure {
        #[command(subcommand)]
        command: disclosure::DisclosureCommand,
    },
    /// Check an exported disclosure bundle offline (no database needed).
    Verify {
        file: PathBuf,
        /// The log's verifier key (`name+id+key`) as published by the county (also accepted
        /// as `--key VKEY`).
        #[arg(long = "log-key")]
        log_key: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum UnitsCommand {
    /// Import the china-division CSV layout (provinces/cities/areas/streets/villages.csv).
    Import { dir: PathBuf },
}

#[derive(Subcommand)]
pub enum HouseholdsCommand {
    /// Import households of a village from CSV or XLSX (all-or-nothing).
    Import {
        #[arg(long)]
        village: String,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account bound to a unit.
    Add {
        username: String,
        #[arg(long)]
        role: String,
        /// Unit code the account is bound to (omit only for a national admin).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Password (prompted on stdin if omitted).
        #[arg(long, env = "GRASSROOTS_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set an account's password.
    Passwd {
        username: String,
        #[arg(long, env = "GRASSROOTS_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account (printed once).
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until it expires (1–366; default 90).
        #[arg(long, env = "GRASSROOTS_TOKEN_DAYS")]
        days: Option<i64>,
    },
    /// List an account's API tokens (never their values).
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke an API token by its id (see `token list`).
    Revoke { id: i64 },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match commands::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}

pub type CmdResult = Result<std::process::ExitCode>;
