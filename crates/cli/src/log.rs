//! `grassroots log …`: the transparency log's signing key, checkpoint and audit.

use crate::{Cli, CmdResult};
use anyhow::{anyhow, Context};
use app::App;
use clap::Subcommand;
use domain::transparency::note::SignerKey;
use std::path::Path;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum LogCommand {
    /// Print the log's current signed checkpoint (signing a new one if entries were added).
    Checkpoint,
    /// Print the verifier key (`name+id+key`) that checks the log's checkpoints.
    Key,
    /// Recompute every entry, stored hash, checkpoint and publication from the database; exit
    /// 1 naming the first difference (a row edited or deleted behind the application's back).
    Audit,
    /// Witness another party's log: cosign its checkpoint if it only grew since the last run;
    /// exit 3 (keeping the evidence beside the state file) on a fork or a rollback.
    Witness {
        /// The log's base address, e.g. http://county-log.example:8080
        #[arg(long)]
        log: String,
        /// Where the last accepted checkpoint is kept between runs.
        #[arg(long)]
        state: std::path::PathBuf,
        /// The witness's key name (the signature line's name).
        #[arg(long, default_value = "grassroots-witness")]
        name: String,
    },
}

/// The log's signer from its key file, created (mode 0600) with a fresh key on first use.
pub fn signer(origin: &str, path: &Path) -> anyhow::Result<SignerKey> {
    if !path.exists() {
        let key =
            app::transparency::fresh_signer(origin).map_err(|e| anyhow!("--log-origin: {e}"))?;
        crate::commands::write_private(path, &format!("{}\n", key.text()))
            .with_context(|| format!("creating log key file {}", path.display()))?;
        eprintln!(
            "created the transparency-log signing key in {} — back it up; its verifier key: {}",
            path.display(),
            key.verifier().text()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading log key file {}", path.display()))?;
    let key = SignerKey::parse(text.trim())
        .map_err(|e| anyhow!("log key file {}: {e}", path.display()))?;
    if key.name != origin {
        return Err(anyhow!(
            "log key file {} is for origin {:?}, not {:?} (--log-origin)",
            path.display(),
            key.name,
            origin
        ));
    }
    Ok(key)
}

/// The app with the deployment's log key.
pub fn with_key(app: App, cli: &Cli) -> anyhow::Result<App> {
    let key = signer(&cli.log_origin, &cli.log_key_file)?;
    Ok(app.with_log_key(&cli.log_origin, key))
}

pub async fn run(cli: &Cli, command: &LogCommand) -> CmdResult {
    if let LogCommand::Witness { log, state, name } = command {
        // No database here: the witness is another party with only the log's address. The
        // global `--key FILE` names the witness's own signing key file here (created on first
        // use): `grassroots log witness --log URL --key FILE --state FILE`.
        let key =
            std::path::PathBuf::from(cli.key.clone().ok_or_else(|| {
                anyhow!("log witness needs --key FILE (the witness's signing key)")
            })?);
        let (log, state, name) = (log.clone(), state.clone(), name.clone());
        return tokio::task::spawn_blocking(move || crate::witness::run(&log, &key, &state, &name))
            .await
            .map_err(|e| anyhow!("witness: {e}"))?;
    }
    let app = with_key(crate::commands::open(cli).await?, cli)?;
    match command {
        LogCommand::Checkpoint => {
            print!("{}", app::transparency::checkpoint(&app).await?);
            Ok(ExitCode::SUCCESS)
        }
        LogCommand::Key => {
            println!("{}", app.log.verifier().text());
            Ok(ExitCode::SUCCESS)
        }
        LogCommand::Witness { .. } => Ok(ExitCode::SUCCESS),
        LogCommand::Audit => {
            let r = app::transparency::audit(&app).await?;
            match r.problem {
                None => {
                    println!(
                        "log audit: {} entries and {} checkpoints agree with the database",
                        r.entries, r.checkpoints
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(p) => {
                    eprintln!("log audit FAILED: {p}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
