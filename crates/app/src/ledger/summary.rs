//! The village summary (the exact JSON of the CLI and the API) and the scope ranking: one row
//! per village of a township or county with the same figures, aggregated in SQL.

use super::convert::contract_record;
use super::view::{load, VillageLedger};
use crate::registry::units;
use crate::{Actor, App, AppError, Result};
use domain::access::Role;
use domain::ledger::{
    Claim, DebtProgress, FlagCode, MethodAmounts, RectificationStatus, VillageLedgerSummary,
};
use domain::message::catalogue as msg;
use domain::Fen;
use serde::Serialize;

/// The summary of a loaded ledger, by the domain's rules.
pub fn of_ledger(l: &VillageLedger) -> Result<VillageLedgerSummary> {
    let mut s = VillageLedgerSummary::new(l.village.code.clone());
    for c in &l.contracts {
        let w = store::ledger::contracts::ContractWrite {
            contract_no: c.draft.contract_no.clone(),
            kind: c.draft.kind.clone(),
            annual_rent_fen: c.annual_rent_fen,
            start_on: c.draft.start_on.clone(),
            end_on: c.draft.end_on.clone(),
            ..Default::default()
        };
        let record = contract_record(&w)?;
        let flags: Vec<(FlagCode, RectificationStatus)> = c
            .flags
            .iter()
            .filter_map(|f| {
                Some((
                    FlagCode::parse(&f.code)?,
                    RectificationStatus::parse(&f.status)?,
                ))
            })
            .collect();
        s.add_contract(&record, &flags);
    }
    for d in &l.debts {
        s.add_debt(&d.progress);
    }
    let unreadable =
        |what: &str, no: &str| AppError::Internal(format!("stored {what} {no} unreadable"));
    for c in &l.claims {
        // Not re-validated as a draft: the app's own claims carry origins people may not type,
        // and an arrears claim paid off on the contract stands at what was collected, maybe 0.
        let claim = Claim {
            claim_no: c.draft.claim_no.clone(),
            debtor: c.draft.debtor.clone(),
            amount: Fen(c.amount_fen),
            arose_on: None,
            origin: None,
            note: String::new(),
        };
        s.add_claim(&claim, Fen(c.collected_fen));
    }
    for r in &l.resources {
        let res = r
            .draft
            .validate()
            .map_err(|_| unreadable("resource", &r.draft.resource_no))?;
        s.add_resource(&res);
    }
    Ok(s)
}

pub async fn village_summary(
    app: &App,
    actor: &Actor,
    village: &str,
) -> Result<VillageLedgerSummary> {
    of_ledger(&load(app, actor, village).await?)
}

/// One village of a scope: the village summary's figures plus the name and open flag count.
#[derive(Debug, Clone, Serialize)]
pub struct VillageRow {
    pub name: String,
    pub open_flags: i64,
    #[serde(flatten)]
    pub summary: VillageLedgerSummary,
}

pub const SORT_KEYS: &[&str] = &[
    "village",
    "name",
    "contracts",
    "flagged",
    "rectified",
    "open_flags",
    "related_cadre",
    "annual_rent_fen",
    "debts",
    "principal_fen",
    "resolved_fen",
    "remaining_fen",
    "progress_pct",
    "claims",
    "claim_amount_fen",
    "collected_fen",
    "resources",
    "area_mu",
    "idle_count",
    "occupied_without_contract_count",
];

fn key(r: &VillageRow, sort: &str) -> f64 {
    let s = &r.summary;
    (match sort {
        "contracts" => s.contracts.count as i64,
        "flagged" => s.contracts.flagged as i64,
        "rectified" => s.contracts.rectified as i64,
        "open_flags" => r.open_flags,
        "related_cadre" => s
            .contracts
            .flags_by_code
            .get(&FlagCode::RelatedCadre)
            .copied()
            .unwrap_or(0) as i64,
        "annual_rent_fen" => s.contracts.annual_rent_fen.0,
        "debts" => s.debts.count as i64,
        "principal_fen" => s.debts.principal_fen.0,
        "resolved_fen" => s.debts.resolved_fen.0,
        "remaining_fen" => s.debts.remaining_fen.0,
        "progress_pct" => return s.debts.progress_pct,
        "claims" => s.claims.count as i64,
        "claim_amount_fen" => s.claims.amount_fen.0,
        "collected_fen" => s.claims.collected_fen.0,
        "resources" => s.resources.count as i64,
        "area_mu" => s.resources.area_mu_x100,
        "idle_count" => s.resources.idle_count as i64,
        "occupied_without_contract_count" => s.resources.occupied_without_contract_count as i64,
        _ => 0,
    }) as f64
}

fn row_of(f: store::ledger::scope::VillageFigures) -> VillageRow {
    let mut s = VillageLedgerSummary::new(f.village_code);
    let c = &mut s.contracts;
    c.count = f.contracts as u64;
    c.flagged = f.flagged as u64;
    c.rectified = f.rectified as u64;
    c.annual_rent_fen = Fen(f.annual_rent_fen);
    for (code, n) in &f.flags_by_code {
        if let Some(code) = FlagCode::parse(code) {
            c.flags_by_code.insert(code, *n as u64);
        }
    }
    let m = |k: &str| Fen(f.by_method_fen.get(k).copied().unwrap_or(0));
    if f.debts > 0 {
        s.add_debt(&DebtProgress {
            principal: Fen(f.principal_fen),
            by_method: MethodAmounts {
                write_off: m("write_off"),
                adjustment: m("adjustment"),
                offset: m("offset"),
                repayment: m("repayment"),
            },
        });
        s.debts.count = f.debts as u64;
    }
    s.claims.count = f.claims as u64;
    s.claims.amount_fen = Fen(f.claim_amount_fen);
    s.claims.collected_fen = Fen(f.collected_fen);
    s.resources.count = f.resources as u64;
    s.resources.area_mu_x100 = f.area_mu_x100;
    s.resources.idle_count = f.idle as u64;
    s.resources.occupied_without_contract_count = f.occupied_without_contract as u64;
    VillageRow {
        name: f.village_name,
        open_flags: f.open_flags,
        summary: s,
    }
}

/// Every village under `unit` (a township, county, or higher) with its figures, sorted by
/// `sort` (one of [`SORT_KEYS`]; default `progress_pct`), descending unless `ascending`.
pub async fn scope_rows(
    app: &App,
    actor: &Actor,
    unit: &str,
    sort: Option<&str>,
    ascending: bool,
) -> Result<Vec<VillageRow>> {
    units::get(app, actor, unit).await?;
    if actor.role == Role::BankOfficer {
        return Err(AppError::Forbidden(msg::BANKS_NO_LEDGERS.text()));
    }
    let sort = sort.filter(|s| !s.is_empty()).unwrap_or("progress_pct");
    if !SORT_KEYS.contains(&sort) {
        return Err(AppError::BadRequest(
            msg::UNKNOWN_SORT.with(&[("value", &sort), ("known", &SORT_KEYS.join(", "))]),
        ));
    }
    let mut conn = app.db.read().await?;
    let mut rows: Vec<VillageRow> = store::ledger::scope::villages(&mut conn, unit)
        .await?
        .into_iter()
        .map(row_of)
        .collect();
    match sort {
        "village" => rows.sort_by(|a, b| a.summary.village.cmp(&b.summary.village)),
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        _ => rows.sort_by(|a, b| {
            key(a, sort)
                .total_cmp(&key(b, sort))
                .then_with(|| a.summary.village.cmp(&b.summary.village))
        }),
    }
    if !ascending {
        rows.reverse();
    }
    // A village without debts has no progress to rank: it goes last either way, not at 0 %.
    if sort == "progress_pct" {
        rows.sort_by_key(|r| r.summary.debts.principal_fen.0 == 0);
    }
    Ok(rows)
}
