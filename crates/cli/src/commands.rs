//! The subcommands. Each prints what it did in words, or as JSON with `--json`.

use crate::{Cli, CmdResult, Command, HouseholdsCommand, TokenCommand, UnitsCommand, UserCommand};
use anyhow::{anyhow, bail, Context};
use app::{Actor, App, AppError, PersonalCipher};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

/// The key: `--key`/`GRASSROOTS_KEY`, else the key file (created with a fresh key if missing).
pub fn load_cipher(cli: &Cli) -> anyhow::Result<PersonalCipher> {
    if let Some(k) = &cli.key {
        return PersonalCipher::from_hex(k).map_err(|e| anyhow!("--key: {e}"));
    }
    let path = &cli.key_file;
    if !path.exists() {
        let hex = PersonalCipher::generate_hex();
        write_private(path, &hex)
            .with_context(|| format!("creating key file {}", path.display()))?;
        eprintln!(
            "created a new key in {} — back it up: without it, resident IDs cannot be read",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading key file {}", path.display()))?;
    PersonalCipher::from_hex(&text).map_err(|e| anyhow!("key file {}: {e}", path.display()))
}

#[cfg(unix)]
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

pub async fn open(cli: &Cli) -> anyhow::Result<App> {
    let cipher = load_cipher(cli)?;
    App::open(&cli.database_url, cipher)
        .await
        .map_err(|e| anyhow!("opening {}: {e}", redact(&cli.database_url)))
}

/// Hides a password in a database URL for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

pub(crate) fn print_report<T: serde::Serialize>(
    cli: &Cli,
    words: String,
    report: &T,
) -> anyhow::Result<()> {
    if cli.json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("{words}");
    }
    Ok(())
}

/// Import problems are printed one per line as file:row:column: reason, exit code 2.
pub(crate) fn report_app_error(e: AppError) -> CmdResult {
    match e {
        AppError::Import(issues) => {
            for i in &issues {
                eprintln!("{i}");
            }
            eprintln!(
                "import refused: {} problem(s), nothing was written",
                app::ImportIssue::total(&issues)
            );
            Ok(ExitCode::from(2))
        }
        AppError::Invalid(fields) => {
            for f in &fields {
                eprintln!("{}: {}", f.field, f.message);
            }
            Ok(ExitCode::from(2))
        }
        other => Err(anyhow!(other)),
    }
}

fn read_password(given: Option<String>) -> anyhow::Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    eprint!("password: ");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(cli: Cli) -> CmdResult {
    match &cli.command {
        Command::Serve {
            addr,
            insecure_cookies,
            session_idle_minutes,
            session_hours,
            token_days,
            witness_keys,
            disclosure_catalogue,
        } => {
            // The server signs the transparency log's checkpoints: its key file is read (or made) here.
            let mut app = crate::log::with_key(open(&cli).await?, &cli)?;
            app.config.session_idle_minutes = *session_idle_minutes;
            app.config.session_hours = *session_hours;
            app.config.token_days = *token_days;
            for k in witness_keys {
                domain::transparency::note::VerifierKey::parse(k.trim())
                    .map_err(|e| anyhow!("--witness-key {k}: {e}"))?;
            }
            app.config.witnesses = witness_keys.iter().map(|k| k.trim().to_string()).collect();
            if let Some(path) = disclosure_catalogue {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let c = domain::disclosure::Catalogue::parse(&text)
                    .map_err(|e| anyhow!("{}: {}", path.display(), e.text()))?;
                app.config.disclosure = std::sync::Arc::new(c);
            }
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr}"))?;
            println!("grassroots listening on http://{}", listener.local_addr()?);
            web::serve(listener, app, !insecure_cookies).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { addr, file } => demo(addr, file).await,
        Command::Migrate => {
            let db = store::Db::connect(&cli.database_url).await?;
            let applied = db.migrate().await?;
            print_report(
                &cli,
                format!("migrations applied: {applied:?}"),
                &serde_json::json!({"applied": applied}),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Units {
            command: UnitsCommand::Import { dir },
        } => {
            let app = open(&cli).await?;
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} units ({per_sec}, {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let started = std::time::Instant::now();
            let result =
                app::registry::units::import_divisions(&app, &Actor::cli(), dir, |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await;
            bar.finish_and_clear();
            match result {
                Ok(r) => {
                    let secs = started.elapsed().as_secs_f64();
                    let words = format!(
                        "{} units read from {:?}: {} added, {} updated, {} unchanged ({secs:.2} s)",
                        r.rows, r.files, r.added, r.updated, r.unchanged
                    );
                    print_report(
                        &cli,
                        words,
                        &serde_json::json!({"report": r, "seconds": secs}),
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
        Command::Households {
            command:
                HouseholdsCommand::Import {
                    village,
                    file,
                    dry_run,
                },
        } => {
            let app = open(&cli).await?;
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            match app::registry::household_import::import_owned(
                &app,
                &Actor::cli(),
                village,
                &name,
                bytes,
                *dry_run,
            )
            .await
            {
                Ok(r) => {
                    let verb = if r.dry_run {
                        "checked (dry run, nothing written)"
                    } else {
                        "imported"
                    };
                    let words = format!(
                        "{verb}: {} households, {} members ({} new, {} updated) into village {}",
                        r.households, r.members, r.created, r.updated, r.village
                    );
                    print_report(&cli, words, &r)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
        Command::User { command } => {
            let app = open(&cli).await?;
            match command {
                UserCommand::Add {
                    username,
                    role,
                    unit,
                    name,
                    password,
                } => {
                    let Some(role) = domain::access::Role::parse(role) else {
                        let all: Vec<&str> = domain::access::Role::ALL
                            .iter()
                            .map(|r| r.as_str())
                            .collect();
                        bail!("unknown role '{role}' (one of: {})", all.join(", "));
                    };
                    let password = read_password(password.clone())?;
                    let new = app::accounts::NewUser {
                        username: username.clone(),
                        display_name: name.clone().unwrap_or_else(|| username.clone()),
                        password,
                        role,
                        unit_code: unit.clone(),
                    };
                    match app::accounts::add_user(&app, &Actor::cli(), new).await {
                        Ok(id) => {
                            print_report(
                                &cli,
                                format!("user {username} created (id {id})"),
                                &serde_json::json!({"id": id, "username": username}),
                            )?;
                            Ok(ExitCode::SUCCESS)
                        }
                        Err(e) => report_app_error(e),
                    }
                }
                UserCommand::Passwd { username, password } => {
                    let password = read_password(password.clone())?;
                    match app::accounts::set_password(&app, &Actor::cli(), username, &password)
                        .await
                    {
                        Ok(()) => {
                            println!("password of {username} changed");
                            Ok(ExitCode::SUCCESS)
                        }
                        Err(e) => report_app_error(e),
                    }
                }
            }
        }
        Command::Token { command } => token(&cli, command).await,
        Command::Bench { command } => crate::bench::run(&cli, command).await,
        Command::Ledger { command } => crate::ledger::run(&cli, command).await,
        Command::Credit { command } => crate::credit::run(&cli, command).await,
        Command::Log { command } => crate::log::run(&cli, command).await,
        Command::Disclosure { command } => crate::disclosure::run(&cli, command).await,
        Command::Verify { file, log_key } => {
            // `verify FILE --key VKEY` (the documented form): verify opens no database, so the
            // global --key names the log's verifier key here when it has one's shape
            // (name+id+key); a master key (64 hex digits, perhaps from the environment) does not.
            let vkey = log_key
                .clone()
                .or_else(|| cli.key.clone().filter(|k| k.contains('+')));
            crate::disclosure::verify(file, vkey.as_deref())
        }
    }
}

async fn token(cli: &Cli, command: &TokenCommand) -> CmdResult {
    let app = open(cli).await?;
    token_with(cli, &app, command).await
}

async fn token_with(cli: &Cli, app: &App, command: &TokenCommand) -> CmdResult {
    let actor = Actor::cli();
    match command {
        TokenCommand::Create { user, name, days } => {
            match app::accounts::create_token(app, &actor, user, name, *days).await {
                Ok(token) => {
                    print_report(
                        cli,
                        token.clone(),
                        &serde_json::json!({"token": token, "user": user}),
                    )?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
        TokenCommand::List { user } => {
            let list = app::accounts::list_tokens(app, &actor, user).await?;
            let mut words = format!("{} API token(s) of {user}", list.len());
            for t in &list {
                words.push_str(&format!(
                    "\n  {:>5}  {:<16} created {}  expires {}  last used {}",
                    t.id,
                    t.name,
                    t.created_at,
                    t.expires_at.as_deref().unwrap_or("-"),
                    t.last_used_at.as_deref().unwrap_or("never"),
                ));
            }
            print_report(
                cli,
                words,
                &serde_json::json!({"user": user, "tokens": list}),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { id } => {
            app::accounts::revoke_token(app, &actor, *id).await?;
            print_report(
                cli,
                format!("API token {id} revoked"),
                &serde_json::json!({"revoked": id}),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn demo(addr: &str, file: &Path) -> CmdResult {
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{}{suffix}", file.display());
        if Path::new(&p).exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing old demo database {p}"))?;
        }
    }
    let url = format!("sqlite://{}", file.display());
    // The demo has its own key, beside its database.
    let key_path = file.with_extension("key");
    let _ = std::fs::remove_file(&key_path);
    let hex = PersonalCipher::generate_hex();
    write_private(&key_path, &hex)?;
    let app = App::open(&url, PersonalCipher::from_hex(&hex)?).await?;
    // And its own log signing key.
    let log_key = file.with_extension("log.key");
    let _ = std::fs::remove_file(&log_key);
    let app = app.with_log_key(
        app::DEFAULT_LOG_ORIGIN,
        crate::log::signer(app::DEFAULT_LOG_ORIGIN, &log_key)?,
    );
    eprintln!("seeding the demo database {} …", file.display());
    let logins = app::demo::seed(&app).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} (use --addr 127.0.0.1:0 for any free port)"))?;
    let local = listener.local_addr()?;
    println!(
        "grassroots demo on http://{local}  (database {}, key {})",
        file.display(),
        key_path.display()
    );
    println!("demo logins (password for all: {}):", app::demo::PASSWORD);
    for l in &logins {
        println!("  {:<11} {:<20} {}", l.username, l.role.label_en(), l.unit);
    }
    if let Ok((name, id)) = app::demo::registrable(&app).await {
        println!("villager registration to try: /public/villages/{} — 姓名 {name}，身份证号 {id} (synthetic)", app::demo::VILLAGE_A);
    }
    println!("press Ctrl-C to stop");
    // Plain HTTP on localhost: cookies without Secure so a phone on the LAN can log in too.
    web::serve(listener, app, false).await?;
    Ok(ExitCode::SUCCESS)
}
