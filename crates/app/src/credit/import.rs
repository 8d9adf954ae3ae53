//! Score records import from CSV/XLSX: `household_no*, item_code*, occurred_on*, note`
//! (optional `village` when a township round has the same household number in two villages;
//! optional `confirmed_by` naming the account that confirmed a record on paper).
//! All-or-nothing; every problem reported as file:row:column.

use super::records::ties;
use super::{load_round, refused, rules_of, state};
use crate::tabular::{col, map_columns, read_table_off_thread, Column};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::access::{Permission, Role, Scope};
use domain::credit::{check_confirmer, check_recorder, HouseholdRef};
use domain::message::catalogue as msg;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use store::credit::records::{self as records_store, NewRecord};
use store::AnyConnection;

/// A `confirmed_by` account as the fairness rules see it: whom it may confirm for, and the
/// households it is tied to. `None`: no such account, inactive, or not allowed to confirm.
struct Confirmer {
    scope: Scope,
    own: Option<HouseholdRef>,
    related: Vec<HouseholdRef>,
}

async fn confirmer(conn: &mut AnyConnection, username: &str) -> Result<Option<Confirmer>> {
    let Some(u) = store::accounts::users::by_username(conn, username).await? else {
        return Ok(None);
    };
    let allowed = u.active && Role::parse(&u.role).is_some_and(|r| r.can(Permission::EditCredit));
    if !allowed {
        return Ok(None);
    }
    let (own, related) = ties(conn, &u.username).await?;
    Ok(Some(Confirmer {
        scope: Scope::new(u.unit_code.unwrap_or_default()),
        own,
        related,
    }))
}

/// Why `username` may not stand as the confirmer of a record of `household` imported by
/// `importer`, if it may not: the rules of a confirmation made on the page (someone else, not
/// tied to the household, allowed to confirm where the household is).
async fn confirmer_refusal(
    conn: &mut AnyConnection,
    known: &mut HashMap<String, Option<Confirmer>>,
    importer: &str,
    username: &str,
    household: i64,
) -> Result<Option<domain::message::Text>> {
    if !known.contains_key(username) {
        let c = confirmer(conn, username).await?;
        known.insert(username.to_string(), c);
    }
    let Some(Some(c)) = known.get(username) else {
        return Ok(Some(
            msg::CREDIT_NO_CONFIRMER.with(&[("username", &username)]),
        ));
    };
    let h = store::registry::households::get(conn, household).await?;
    let covered = h.is_some_and(|h| {
        c.scope
            .covers(h.grid_code.as_deref().unwrap_or(&h.village_code))
    });
    if !covered {
        return Ok(Some(
            msg::CREDIT_CONFIRMER_OUTSIDE.with(&[("username", &username)]),
        ));
    }
    Ok(check_confirmer(
        importer,
        username,
        c.own,
        &c.related,
        HouseholdRef(household),
    )
    .err()
    .map(|e| e.text()))
}

pub const COLUMNS: &[Column] = &[
    col("household_no", &["户号", "户编号"], true),
    col("item_code", &["项目代码", "评分项目", "项目编号"], true),
    col("occurred_on", &["发生日期", "日期"], true),
    col("note", &["备注", "佐证", "佐证材料", "evidence"], false),
    col("village", &["村", "村代码", "village_code"], false),
    col("confirmed_by", &["确认人", "确认人账号", "确认账号"], false),
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RecordImportReport {
    pub file: String,
    pub round: i64,
    pub records: usize,
    pub pending: usize,
    /// Heavy records confirmed on paper (`confirmed_by`): they count like confirmed ones.
    pub confirmed: usize,
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
    let mut confirmers = HashMap::new();
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
                msg::CREDIT_UNKNOWN_ITEM.with(&[("code", &code)]),
            ));
        }
        let on = domain::dates::parse_date(mapped.get(r, "occurred_on"));
        if on.is_err() {
            issues.push(mapped.issue(
                r,
                "occurred_on",
                msg::DATE_INVALID.with(&[("value", &mapped.get(r, "occurred_on"))]),
            ));
        }
        if let Some(h) = household {
            if let Err(e) = check_recorder(own, &related, HouseholdRef(h)) {
                issues.push(mapped.issue(r, "household_no", e.text()));
            }
        }
        if let Err(e) = domain::text::check_free_text("note", mapped.get(r, "note")) {
            issues.push(mapped.issue(r, "note", e.message));
        }
        let confirmed_by = mapped.get(r, "confirmed_by").trim();
        if let (Some(h), false) = (household, confirmed_by.is_empty()) {
            let refusal =
                confirmer_refusal(&mut tx, &mut confirmers, &actor.username, confirmed_by, h)
                    .await?;
            if let Some(why) = refusal {
                issues.push(mapped.issue(r, "confirmed_by", why));
            }
        }
        if let (Some(h), Some(item), Ok(on)) = (household, item, on) {
            let note = mapped.get(r, "note");
            let evidence = if note.is_empty() {
                format!("{}:{}", table.file, r.number)
            } else {
                note.to_string()
            };
            let confirmed_by = (!confirmed_by.is_empty()).then(|| confirmed_by.to_string());
            rows.push((h, item, on, evidence, confirmed_by));
        }
    }
    if !issues.is_empty() {
        return Err(AppError::import(issues));
    }
    let (mut pending, mut confirmed) = (0, 0);
    // Who the file says confirmed on paper, with how many records each: the audit log names
    // them, so the named account (and its superiors) can see what was put in its name.
    let mut confirmers: std::collections::BTreeMap<&str, usize> = Default::default();
    for (h, item, on, evidence, confirmed_by) in &rows {
        if rules.needs_confirmation(item) {
            match confirmed_by {
                None => pending += 1,
                Some(name) => {
                    confirmed += 1;
                    *confirmers.entry(name.as_str()).or_default() += 1;
                }
            }
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
                confirmed_by: confirmed_by.clone(),
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
        json!({"after": {"file": file, "records": rows.len(), "pending": pending,
            "confirmed_on_paper": confirmed, "confirmers": confirmers}}),
    )
    .await?;
    let report = RecordImportReport {
        file: file.to_string(),
        round: round_id,
        records: rows.len(),
        pending,
        confirmed,
        dry_run,
    };
    tx.commit_unless(dry_run).await?;
    Ok(report)
}
