//! `grassroots ledger …`: import, export and summarize a village's collective ledgers, and set
//! a county's flag rules.

use crate::commands::{open, report_app_error};
use crate::{Cli, CmdResult};
use anyhow::Context;
use app::ledger::export::{self, Format};
use app::ledger::{import, summary};
use app::Actor;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Import a ledger file (CSV or XLSX) into a village, all-or-nothing. Problems are printed as
    /// file:row:column: reason (exit code 2).
    Import {
        #[arg(long)]
        village: String,
        /// contracts | debts | debt-actions | claims | resources
        #[arg(long)]
        kind: String,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a ledger in the import layout.
    Export {
        #[arg(long)]
        village: String,
        #[arg(long)]
        kind: String,
        /// csv | xlsx
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Header row: `fields` (the import's field names) or `zh` (Chinese column names).
        #[arg(long, default_value = "fields")]
        headers: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The village summary (with --json: the same JSON as the API).
    Summary {
        #[arg(long)]
        village: String,
    },
    /// County flag rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Set a county's flag rules from a TOML file (see docs/ledger-import.md).
    Set {
        #[arg(long)]
        county: String,
        file: PathBuf,
    },
}

pub async fn run(cli: &Cli, cmd: &LedgerCommand) -> CmdResult {
    let app = open(cli).await?;
    let actor = Actor::cli();
    match cmd {
        LedgerCommand::Import {
            village,
            kind,
            file,
            dry_run,
        } => {
            let kind = match app::ledger::parse_kind(kind) {
                Ok(k) => k,
                Err(e) => return report_app_error(e),
            };
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            match import::import(&app, &actor, village, kind, &name, &bytes, *dry_run).await {
                Ok(r) => {
                    if cli.json {
                        println!("{}", serde_json::to_string_pretty(&r)?);
                    } else {
                        println!(
                            "{}{} {}: {} rows, {} created, {} updated, {} already recorded",
                            if r.dry_run {
                                "dry run (nothing written): "
                            } else {
                                ""
                            },
                            r.village,
                            kind.as_str(),
                            r.rows,
                            r.created,
                            r.updated,
                            r.skipped
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
        LedgerCommand::Export {
            village,
            kind,
            format,
            headers,
            out,
        } => {
            let (kind, format, headers) = match (
                app::ledger::parse_kind(kind),
                Format::parse(format),
                export::Headers::parse(headers),
            ) {
                (Ok(k), Ok(f), Ok(h)) => (k, f, h),
                (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return report_app_error(e),
            };
            let (_, bytes) =
                match export::export(&app, &actor, village, kind, format, headers).await {
                    Ok(x) => x,
                    Err(e) => return report_app_error(e),
                };
            std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {} ({} bytes)", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Summary { village } => {
            let s = match summary::village_summary(&app, &actor, village).await {
                Ok(s) => s,
                Err(e) => return report_app_error(e),
            };
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                let d = &s.debts;
                println!("village {}", s.village);
                println!(
                    "contracts: {} ({} flagged, {} rectified), annual rent {}",
                    s.contracts.count,
                    s.contracts.flagged,
                    s.contracts.rectified,
                    s.contracts.annual_rent_fen
                );
                println!(
                    "debts: {} principal {}, resolved {} ({:.1}%), remaining {}",
                    d.count, d.principal_fen, d.resolved_fen, d.progress_pct, d.remaining_fen
                );
                println!(
                    "  write-off {}, adjustment {}, offset {}, repayment {}",
                    d.by_method_fen.write_off,
                    d.by_method_fen.adjustment,
                    d.by_method_fen.offset,
                    d.by_method_fen.repayment
                );
                println!(
                    "claims: {} amount {}, collected {}",
                    s.claims.count, s.claims.amount_fen, s.claims.collected_fen
                );
                println!(
                    "resources: {} ({} idle, {} occupied without contract)",
                    s.resources.count,
                    s.resources.idle_count,
                    s.resources.occupied_without_contract_count
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Rules {
            command: RulesCommand::Set { county, file },
        } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            match app::ledger::set_rules(&app, &actor, county, &text).await {
                Ok(r) => {
                    if cli.json {
                        println!("{}", serde_json::to_string_pretty(&r)?);
                    } else {
                        println!("rules of county {county} set (max lease {} years, arrears after {} days); flags recomputed in every village of the county", r.max_lease_years, r.arrears_days);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report_app_error(e),
            }
        }
    }
}
