//! Score records import from CSV/XLSX: `household_no*, item_code*, occurred_on*, note`
//! (optional `village` when a township round has the same household number in two villages).
//! All-or-nothing; every problem reported as file:row:column.

use super::records::ties;
use super::{load_round, refused, rules_of, state};
use crate::tabular::{col, map_columns, read_table_off_thread, Column};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::access::Permission;
use domain::credit::{check_recorder, HouseholdRef};
use domain::message::catalogue as msg;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use store::credit::records::{self as records_store, NewRecord};

pub const COLUMNS: &[Column] = &[
    col("household_no", &["户号", "户编号"], true),
    col("item_code", &["项目代码", "评分项目", "项目编号"], true),
    col("occurred_on", &["发生日期", "日期"], true),
    col("note", &["备注", "佐证", "佐证材料", "evidence"], false),
    col("village", &["村", "村代码", "village_code"], false),
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RecordImportReport {
    pub file: String,
    pub round: i64,
    pub records: usize,
    pub pending: usize,
    pub dry_run: bool,
}

pub async fn import(
    app: &App,
    actor: &Actor,
    round_id: i64,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<RecordImportReport> {
    actor.require(Permission::EditCredit)?;
    let table = read_table_off_thread(file, bytes, &app.config.import)
        .await
        .map_err(AppError::import)?;
    let mapped = map_columns(&table, COLUMNS).map_err(AppError::import)?;
    let mut tx = app.db.begin().await?;
    let round = load_round(&mut tx, actor, round_id).await?;
    state(&round).can_record().map_err(refused)?;
    let rules = rules_of(&round)?;
    let mut by_no: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (id, village, no) in
        store::credit::assess::household_numbers(&mut tx, &round.unit_code).await?
    {
        by_no.entry(no).or_default().push((id, village));
    }
    let (own, related) = ties(&mut tx, &actor.username).await?;
    let mut issues: Vec<ImportIssue> = Vec::new();
    let mut rows = Vec::new();
    for r in &table.rows {
        let no = mapped.get(r, "household_no");
        let village = mapped.get(r, "village");
        let candidates: Vec<&(i64, String)> = by_no
            .get(no)
            .map(|v| {
                v.iter()
                    .filter(|(_, vc)| village.is_empty() || vc == village)
                    .filter(|(_, vc)| actor.can_see(vc))
                    .collect()
            })
            .unwrap_or_default();
        let household = match candidates.as_slice() {
            [] if no.is_empty() => {
                issues.push(mapped.issue(
                    r,
                    "household_no",
                    msg::REQUIRED.field("household_no", &[]),
                ));
                None
            }
            [] => {
                issues.push(mapped.issue(
                    r,
                    "household_no",
                    msg::CREDIT_NO_HOUSEHOLD_IN_AREA.with(&[("no", &no)]),
                ));
                None
            }
            [one] => Some(one.0),
            _ => {
                issues.push(mapped.issue(r, "household_no", msg::CREDIT_HOUSEHOLD_NO_AMBIGUOUS));
                None
            }
        };
        let code = mapped.get(r, "item_code");
        let item = rules.item(code);
        if item.is_none() {
            issues.push(mapped.issue(
                r,
                "item_code",
                format!("unknown item code '{code}' / 未知的评分项目"),
            ));
        }
        let on = domain::dates::parse_date(mapped.get(r, "occurred_on"));
        if on.is_err() {
            issues.push(mapped.issue(
                r,
                "occurred_on",
                "a date like 2024-04-02 / 日期格式如 2024-04-02",
            ));
        }
        if let Some(h) = household {
            if let Err(e) = check_recorder(own, &related, HouseholdRef(h)) {
                issues.push(mapped.issue(r, "household_no", format!("{} / {}", e.message_zh(), e)));
            }
        }
        if let Err(e) = domain::text::check_free_text("note", mapped.get(r, "note")) {
            issues.push(mapped.issue(r, "note", e.message));
        }
        if let (Some(h), Some(item), Ok(on)) = (household, item, on) {
            let note = mapped.get(r, "note");
            let evidence = if note.is_empty() {
                format!("{}:{}", table.file, r.number)
            } else {
                note.to_string()
            };
            rows.push((h, item, on, evidence));
        }
    }
    if !issues.is_empty() {
        return Err(AppError::import(issues));
    }
    let mut pending = 0;
    for (h, item, on, evidence) in &rows {
        if rules.needs_confirmation(item) {
            pending += 1;
        }
        records_store::insert(
            &mut tx,
            &NewRecord {
                round_id,
                household_id: *h,
                item_code: item.code.clone(),
                occurred_on: on.format("%Y-%m-%d").to_string(),
                recorder: actor.username.clone(),
                evidence: evidence.clone(),
                confirmed_by: None,
            },
        )
        .await?;
    }
    audit::record(
        &mut tx,
        actor,
        "credit.record.import",
        "credit_round",
        round_id,
        &round.unit_code,
        json!({"after": {"file": file, "records": rows.len(), "pending": pending}}),
    )
    .await?;
    let report = RecordImportReport {
        file: file.to_string(),
        round: round_id,
        records: rows.len(),
        pending,
        dry_run,
    };
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}
