//! `grassroots disclosure …` (the catalogue, publishing, the export bundle) and
//! `grassroots verify` (a bundle checked offline).

use crate::commands::report_app_error;
use crate::{Cli, CmdResult};
use anyhow::{anyhow, Context};
use app::disclosure::{drafts, export, DraftInput};
use app::Actor;
use clap::Subcommand;
use domain::disclosure::bundle::{self, Bundle};
use domain::disclosure::Catalogue;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DisclosureCommand {
    /// List the disclosure catalogue (the shipped one, or --catalogue FILE checked).
    Categories {
        #[arg(long)]
        catalogue: Option<PathBuf>,
    },
    /// Publish a disclosure (final; appended to the transparency log). A finance disclosure
    /// needs --approved-by naming a supervisor account of the village (not the publisher).
    Publish {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        module: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        title: String,
        /// A UTF-8 text file with the body (paragraphs separated by blank lines).
        #[arg(long)]
        body: PathBuf,
        /// A CSV or XLSX table (money columns' headers end in （分）).
        #[arg(long)]
        table: Option<PathBuf>,
        /// 2026-11, 2026-Q3 or the event's date; default: the period holding today.
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        approved_by: Option<String>,
        /// The account publishing (default: the command line as administrator).
        #[arg(long)]
        by: Option<String>,
        /// The disclosure this one corrects.
        #[arg(long)]
        supersedes: Option<i64>,
    },
    /// Write a village's disclosures with their log proofs to a JSON bundle.
    Export {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Files read by these commands are a person's documents: a few MB at most.
const MAX_FILE: u64 = 16 * 1024 * 1024;

fn read_limited(path: &Path) -> anyhow::Result<Vec<u8>> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.len() > MAX_FILE {
        return Err(anyhow!(
            "{}: larger than {} MB",
            path.display(),
            MAX_FILE >> 20
        ));
    }
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

pub async fn run(cli: &Cli, command: &DisclosureCommand) -> CmdResult {
    match command {
        DisclosureCommand::Categories { catalogue } => {
            let c = match catalogue {
                Some(p) => {
                    let text = String::from_utf8(read_limited(p)?)
                        .map_err(|_| anyhow!("{}: not UTF-8", p.display()))?;
                    Catalogue::parse(&text).map_err(|e| anyhow!("{}: {}", p.display(), e.text()))?
                }
                None => Catalogue::shipped(),
            };
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&c.categories)?);
            } else {
                for k in &c.categories {
                    println!(
                        "{:<28} {:<8} {:<10} {}",
                        k.key,
                        k.module.key(),
                        k.cadence.key(),
                        k.name
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCommand::Publish {
            unit,
            module,
            category,
            title,
            body,
            table,
            period,
            approved_by,
            by,
            supersedes,
        } => {
            let app = crate::log::with_key(crate::commands::open(cli).await?, cli)?;
            let body = String::from_utf8(read_limited(body)?)
                .map_err(|_| anyhow!("{}: not UTF-8", body.display()))?;
            let table = match table {
                Some(p) => {
                    let name = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("table.csv");
                    match app::disclosure::read_table(name, &read_limited(p)?, &app.config.import) {
                        Ok(rows) => Some(rows),
                        Err(e) => return report_app_error(e),
                    }
                }
                None => None,
            };
            let period = match period {
                Some(p) => p.clone(),
                None => {
                    let c = app
                        .config
                        .disclosure
                        .get(category)
                        .map_err(|e| anyhow!(e.text()))?;
                    domain::disclosure::Period::holding(c.cadence, app::credit::today()).to_string()
                }
            };
            let actor = match by {
                Some(u) => app::disclosure::account_actor(&app, u)
                    .await
                    .map_err(|e| anyhow!("--by {u}: {e}"))?,
                None => Actor::cli(),
            };
            let approver = match approved_by {
                Some(u) => Some(
                    app::disclosure::account_actor(&app, u)
                        .await
                        .map_err(|e| anyhow!("--approved-by {u}: {e}"))?,
                ),
                None => None,
            };
            let input = DraftInput {
                unit_code: unit.clone(),
                category: category.clone(),
                module: module.clone(),
                period,
                title: title.clone(),
                body,
                table,
                supersedes: *supersedes,
                attachments: None,
            };
            match drafts::publish_now(&app, &actor, input, approver).await {
                Ok(p) => {
                    if cli.json {
                        println!(
                            "{}",
                            serde_json::json!({"id": p.id, "index": p.index, "unit": unit, "category": category})
                        );
                    } else {
                        println!("published disclosure {} as log entry {}", p.id, p.index);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
        DisclosureCommand::Export { unit, out } => {
            let app = crate::log::with_key(crate::commands::open(cli).await?, cli)?;
            let b = export::bundle(&app, unit).await?;
            let text = serde_json::to_string_pretty(&b)?;
            std::fs::write(out, text).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "wrote {} disclosures of {unit} to {}",
                b.entries.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `grassroots verify FILE [--key VKEY]`: exit 0 when every entry verifies, 1 naming each that
/// fails.
pub fn verify(file: &Path, key: Option<&str>) -> CmdResult {
    let bytes = read_limited(file)?;
    let b: Bundle = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow!("{}: not a disclosure bundle: {e}", file.display()))?;
    if key.is_none() {
        eprintln!("note: no --key given; checking against the key inside the bundle (give the log's published key to rule out a forged bundle)");
    }
    let r = bundle::verify(&b, key);
    if r.failures.is_empty() {
        println!("verified {} entries at tree size {}", r.verified, r.size);
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &r.failures {
            eprintln!("FAILED {f}");
        }
        eprintln!("{} of {} entries verified", r.verified, b.entries.len());
        Ok(ExitCode::from(1))
    }
}
