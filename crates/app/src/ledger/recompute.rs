//! Recomputing the flags of a village's contracts with the county's rules, keeping the
//! rectification task of every code that still applies, and keeping arrears claims current.

use super::convert::contract_record;
use super::{rules_for, today, village_for_write};
use crate::{audit, Actor, App, Result};
use chrono::NaiveDate;
use domain::ledger::rent::oldest_unpaid_due;
use domain::ledger::{
    arrears_claim_origin, arrears_owed, flags_for, ContractPeriod, FlagCode, FlagContext,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::collections::HashSet;
use store::ledger::claims::{self, ClaimRow, ClaimWrite};
use store::ledger::register::{self, of_village};
use store::ledger::{contracts, flags};
use store::AnyConnection;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RecomputeReport {
    pub contracts: usize,
    pub flags_raised: usize,
    pub flags_cleared: usize,
    pub arrears_claims: usize,
}

/// Runs inside the caller's transaction. Open flags whose condition is gone are removed;
/// rectified or waived ones stay as the record of what was done.
pub async fn recompute_village(
    conn: &mut AnyConnection,
    village: &str,
    today: NaiveDate,
) -> Result<RecomputeReport> {
    let rules = rules_for(conn, village).await?;
    let rows = of_village::<contracts::ContractRow>(conn, village).await?;
    let mut existing: HashMap<i64, Vec<flags::FlagRow>> = HashMap::new();
    for f in flags::of_village(conn, village).await? {
        existing.entry(f.contract_id).or_default().push(f);
    }
    let mut records = Vec::with_capacity(rows.len());
    for r in &rows {
        records.push(contract_record(&r.fields)?);
    }
    let mut by_resource: HashMap<&str, Vec<ContractPeriod>> = HashMap::new();
    for (r, c) in rows.iter().zip(&records) {
        if let (Some(res), true) = (c.resource_no.as_deref(), r.fields.status == "active") {
            by_resource
                .entry(res)
                .or_default()
                .push(ContractPeriod::from(c));
        }
    }
    let mut report = RecomputeReport {
        contracts: rows.len(),
        ..Default::default()
    };
    let mut book = ArrearsBook::load(conn, village).await?;
    for (r, c) in rows.iter().zip(&records) {
        let ctx = FlagContext {
            today,
            active: r.fields.status == "active",
            others_on_resource: c
                .resource_no
                .as_deref()
                .and_then(|res| by_resource.get(res).cloned())
                .unwrap_or_default(),
        };
        let mut computed = flags_for(c, &ctx, &rules);
        if r.fields.counterparty_id_hash.is_some() {
            computed.retain(|f| f.code != FlagCode::MissingPartyId);
        }
        let old = existing.remove(&r.id).unwrap_or_default();
        for f in &computed {
            match old.iter().find(|o| o.code == f.code.as_str()) {
                Some(o) if o.detail_zh == f.detail_zh && o.detail_en == f.detail_en => {}
                Some(o) => {
                    flags::set_detail(conn, o.id, &f.detail_zh, &f.detail_en).await?;
                }
                None => {
                    flags::insert(
                        conn,
                        r.id,
                        village,
                        f.code.as_str(),
                        &f.detail_zh,
                        &f.detail_en,
                    )
                    .await?;
                    report.flags_raised += 1;
                }
            }
        }
        let (mut total, mut open) = (0i64, 0i64);
        for f in &computed {
            total += 1;
            let still_open = old
                .iter()
                .find(|o| o.code == f.code.as_str())
                .is_none_or(|o| o.status == "open");
            open += i64::from(still_open);
        }
        for o in &old {
            if computed.iter().any(|f| f.code.as_str() == o.code) {
                continue;
            }
            if o.status == "open" {
                flags::delete(conn, o.id).await?;
                report.flags_cleared += 1;
            } else {
                total += 1;
            }
        }
        if (total, open) != (r.flag_count, r.open_flag_count) {
            contracts::set_flag_counts(conn, r.id, total, open).await?;
        }
        let raised = computed.iter().any(|f| f.code == FlagCode::Arrears);
        if keep_arrears_claim(conn, village, today, r, c, raised, &mut book).await? {
            report.arrears_claims += 1;
        }
    }
    Ok(report)
}

/// The village's claims as far as arrears need them: the arrears claims by origin, and every
/// claim number in use (to number a new arrears claim).
struct ArrearsBook {
    by_origin: HashMap<String, ClaimRow>,
    numbers: HashSet<String>,
}

impl ArrearsBook {
    async fn load(conn: &mut AnyConnection, village: &str) -> Result<ArrearsBook> {
        let mut book = ArrearsBook {
            by_origin: HashMap::new(),
            numbers: HashSet::new(),
        };
        for k in of_village::<ClaimRow>(conn, village).await? {
            book.numbers.insert(k.fields.claim_no.clone());
            if let Some(o) = k
                .fields
                .origin
                .clone()
                .filter(|o| o.starts_with("arrears:"))
            {
                book.by_origin.entry(o).or_insert(k);
            }
        }
        Ok(book)
    }

    /// `QK-<contract_no>`, or `QK-<contract_no>-2`, … when a claim already has that number.
    fn free_number(&self, contract_no: &str) -> String {
        let mut no = format!("QK-{contract_no}");
        let mut n = 2;
        while self.numbers.contains(&no) {
            no = format!("QK-{contract_no}-{n}");
            n += 1;
        }
        no
    }
}

/// Keeps the contract's arrears claim current: raised while the arrears flag is, then its amount
/// follows what is owed on every recompute — down to what was collected once the rent is paid
/// on the contract, never below it. A terminated contract accrues no more rent: its claim only
/// goes down. True when the contract is in arrears.
async fn keep_arrears_claim(
    conn: &mut AnyConnection,
    village: &str,
    today: NaiveDate,
    row: &contracts::ContractRow,
    c: &domain::ledger::Contract,
    raised: bool,
    book: &mut ArrearsBook,
) -> Result<bool> {
    let origin = arrears_claim_origin(&c.contract_no);
    let owed = arrears_owed(c, today).0;
    if let Some(k) = book.by_origin.get(&origin) {
        let mut amount = owed.saturating_add(k.collected_fen);
        if row.fields.status != "active" {
            amount = amount.min(k.fields.amount_fen);
        }
        if amount != k.fields.amount_fen {
            let w = ClaimWrite {
                amount_fen: amount,
                ..k.fields.clone()
            };
            register::update::<ClaimRow>(conn, k.id, &w).await?;
        }
    } else if raised {
        let w = ClaimWrite {
            village_code: village.to_string(),
            claim_no: book.free_number(&c.contract_no),
            debtor: c.counterparty.clone(),
            amount_fen: owed,
            arose_on: oldest_unpaid_due(c, today).map(|d| d.format("%Y-%m-%d").to_string()),
            origin: Some(origin),
            note: "欠缴租金（由合同自动生成）/ rent arrears (from the contract)".into(),
        };
        register::insert::<ClaimRow>(conn, &w).await?;
        book.numbers.insert(w.claim_no);
    }
    Ok(raised)
}

/// When a contract's number changes its arrears claim follows it (origin `arrears:<new no>`),
/// so the next recompute updates that claim instead of leaving it behind and raising a second
/// one for the same rent. Runs in the caller's transaction, before the recompute.
pub async fn follow_renamed_contract(
    conn: &mut AnyConnection,
    village: &str,
    old_no: &str,
    new_no: &str,
) -> Result<()> {
    if old_no == new_no {
        return Ok(());
    }
    let new_origin = arrears_claim_origin(new_no);
    if claims::find_by_origin(conn, village, &new_origin)
        .await?
        .is_some()
    {
        return Ok(());
    }
    if let Some(k) = claims::find_by_origin(conn, village, &arrears_claim_origin(old_no)).await? {
        let w = ClaimWrite {
            origin: Some(new_origin),
            ..k.fields
        };
        register::update::<ClaimRow>(conn, k.id, &w).await?;
    }
    Ok(())
}

/// The "recompute" action: flags of a village by today's date and the county's current rules.
pub async fn recompute(app: &App, actor: &Actor, village: &str) -> Result<RecomputeReport> {
    village_for_write(app, actor, village).await?;
    // The village lock, like every ledger write: claims are raised from a snapshot of the
    // collections, which a concurrent collection must not change underneath (PostgreSQL).
    let mut tx = super::begin_write(app, village).await?;
    let report = recompute_village(&mut tx, village, today()).await?;
    audit::record(
        &mut tx,
        actor,
        "ledger.flags.recompute",
        "village",
        village,
        village,
        json!(report),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
