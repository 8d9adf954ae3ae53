//! `grassroots credit …`: rounds, score-record imports, assessment, publicity, final, summary.

use crate::commands::{open, print_report, report_app_error};
use crate::{Cli, CmdResult};
use anyhow::Context;
use app::Actor;
use app::AppError;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CreditCommand {
    /// Assessment rounds.
    Round {
        #[command(subcommand)]
        command: RoundCommand,
    },
    /// Score records.
    Records {
        #[command(subcommand)]
        command: RecordsCommand,
    },
    /// System preliminary assessment of every household of the round.
    Assess {
        #[arg(long)]
        round: i64,
    },
    /// Start publicity in the villages (default 7 days from today).
    Publish {
        #[arg(long)]
        round: i64,
        #[arg(long)]
        days: Option<u32>,
        /// Stand-in for today (YYYY-MM-DD).
        #[arg(long)]
        now: Option<String>,
    },
    /// Final assessment (refused while publicity runs or objections are open).
    Finalize {
        #[arg(long)]
        round: i64,
        /// Finalize although heavy records still wait for a second recorder: they are left out
        /// (not counted) and their number is audited. Without it the step is refused.
        #[arg(long)]
        drop_pending: bool,
        /// Stand-in for today (YYYY-MM-DD).
        #[arg(long)]
        now: Option<String>,
    },
    /// `{"unit","households","rated","by_grade","credit_lines"}` of a unit.
    Summary {
        #[arg(long)]
        unit: String,
    },
    /// AAA households of a unit as CSV (reference for nominations).
    Aaa {
        #[arg(long)]
        unit: String,
    },
}

#[derive(Subcommand)]
pub enum RoundCommand {
    Open {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        /// Rule set (TOML); the shipped default when omitted.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum RecordsCommand {
    Import {
        #[arg(long)]
        round: i64,
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}

fn day(now: &Option<String>) -> anyhow::Result<chrono::NaiveDate> {
    match now {
        Some(t) => domain::dates::parse_date(t).map_err(|e| anyhow::anyhow!("--now {t}: {e}")),
        None => Ok(app::credit::today()),
    }
}

fn pr<T: serde::Serialize>(cli: &Cli, words: String, report: &T) -> app::Result<()> {
    print_report(cli, words, report).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn run(cli: &Cli, cmd: &CreditCommand) -> CmdResult {
    let app = open(cli).await?;
    let actor = Actor::cli();
    let result = match cmd {
        CreditCommand::Round {
            command:
                RoundCommand::Open {
                    unit,
                    period,
                    rules,
                },
        } => {
            let text = match rules {
                Some(p) => Some(
                    std::fs::read_to_string(p)
                        .with_context(|| format!("reading {}", p.display()))?,
                ),
                None => None,
            };
            app::credit::rounds::open(&app, &actor, unit, period, text.as_deref())
                .await
                .map(|id| {
                    if cli.json {
                        println!("{}", serde_json::json!({ "round": id }));
                    } else {
                        println!("{id}");
                    }
                })
        }
        CreditCommand::Records {
            command:
                RecordsCommand::Import {
                    round,
                    file,
                    dry_run,
                },
        } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            match app::credit::import::import(&app, &actor, *round, &name, &bytes, *dry_run).await {
                Ok(r) => {
                    pr(
                        cli,
                        format!(
                        "{} record(s) imported into round {} ({} waiting for a second recorder, {} confirmed on paper){}",
                        r.records,
                        r.round,
                        r.pending,
                        r.confirmed,
                        if r.dry_run { " — dry run, nothing written" } else { "" }
                    ),
                        &r,
                    )
                }
                Err(e) => return report_app_error(e),
            }
        }
        CreditCommand::Assess { round } => {
            let start = std::time::Instant::now();
            match app::credit::assess::assess(&app, &actor, *round, app::credit::today()).await {
                Ok(r) => pr(
                    cli,
                    format!(
                        "round {}: {} households assessed from {} records in {:.2}s \
                         (AAA {}, AA {}, A {}, B {})",
                        r.round,
                        r.households,
                        r.records,
                        start.elapsed().as_secs_f64(),
                        r.by_grade.aaa,
                        r.by_grade.aa,
                        r.by_grade.a,
                        r.by_grade.b
                    ),
                    &r,
                ),
                Err(e) => return report_app_error(e),
            }
        }
        CreditCommand::Publish { round, days, now } => {
            match app::credit::rounds::publish(&app, &actor, *round, *days, day(now)?).await {
                Ok(v) => pr(
                    cli,
                    format!(
                        "round {} in publicity from {} to {} ({} days)",
                        v.id,
                        v.publicity_start.clone().unwrap_or_default(),
                        v.publicity_last_day.clone().unwrap_or_default(),
                        v.publicity_days
                    ),
                    &v,
                ),
                Err(e) => return report_app_error(e),
            }
        }
        CreditCommand::Finalize {
            round,
            drop_pending,
            now,
        } => {
            match app::credit::rounds::finalize(&app, &actor, *round, day(now)?, *drop_pending)
                .await
            {
                Ok(v) => pr(
                    cli,
                    format!(
                        "round {} is final ({}); grades are locked",
                        v.id,
                        v.finalized_on.clone().unwrap_or_default()
                    ),
                    &v,
                ),
                Err(e) => return report_app_error(e),
            }
        }
        CreditCommand::Summary { unit } => {
            match app::credit::bank::summary(&app, &actor, unit).await {
                Ok(s) => {
                    if cli.json {
                        println!("{}", serde_json::to_string(&s)?);
                    } else {
                        println!(
                            "{}: {} households, {} rated (AAA {}, AA {}, A {}, B {}), A or above {:.1}%; \
                             credit lines: {} households, {} fen",
                            s.unit,
                            s.households,
                            s.rated,
                            s.by_grade.aaa,
                            s.by_grade.aa,
                            s.by_grade.a,
                            s.by_grade.b,
                            s.a_or_above_pct(),
                            s.credit_lines.households,
                            s.credit_lines.amount_fen
                        );
                    }
                    Ok(())
                }
                Err(e) => return report_app_error(e),
            }
        }
        CreditCommand::Aaa { unit } => app::credit::bank::aaa_csv(&app, &actor, unit)
            .await
            .map(|csv| print!("{csv}")),
    };
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => report_app_error(e),
    }
}
