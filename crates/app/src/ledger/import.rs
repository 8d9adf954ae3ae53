//! Importing a ledger file (CSV or XLSX, Chinese or English headers), all-or-nothing: every bad
//! row is reported as file:row:column and nothing is written if there is any. A number already
//! in the village updates that record (so export → edit → re-import round-trips); a number twice
//! in one file is an error. Debt actions have no number: a row identical to a stored action
//! (debt, method, amount, date, evidence) is taken as already recorded and skipped.

use super::convert::*;
use super::recompute::recompute_village;
use super::{today, village_for_write, Kind};
use crate::tabular::{col, map_columns, read_table, Column, Mapped, Row};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::ledger::{
    apply_resolution, ClaimDraft, ContractDraft, DebtActionDraft, DebtDraft, ResourceDraft,
};
use domain::Fen;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use store::ledger::{claims, contracts, debts, resources};
use store::AnyConnection;

pub const CONTRACT_COLUMNS: &[Column] = &[
    col("contract_no", &["合同编号", "合同号"], true),
    col("kind", &["合同类型", "类型"], true),
    col("counterparty", &["承包方", "承租方", "对方"], true),
    col("counterparty_id", &["承包方身份证号", "身份证号"], false),
    col("subject", &["标的", "合同标的"], false),
    col("resource_no", &["资源编号"], false),
    col("area_mu", &["面积（亩）", "面积(亩)", "亩数"], false),
    col(
        "area_m2",
        &["面积（平方米）", "面积(平方米)", "平方米"],
        false,
    ),
    col("start_on", &["起始日期", "开始日期", "起租日期"], true),
    col("end_on", &["终止日期", "结束日期", "到期日期"], true),
    col(
        "annual_rent_yuan",
        &["年租金（元）", "年租金(元)", "年租金", "合同金额"],
        true,
    ),
    col("prepaid_years", &["预收年限", "预收租金年限"], false),
    col(
        "paid_yuan",
        &["已收金额（元）", "已收金额(元)", "已收金额", "已收租金"],
        false,
    ),
    col("signed_on", &["签订日期"], false),
    col("procedure_ref", &["民主程序记录", "民主程序"], false),
    col("related_cadre", &["涉及村干部", "是否涉及村干部"], false),
];

pub const DEBT_COLUMNS: &[Column] = &[
    col("debt_no", &["债务编号"], true),
    col("creditor", &["债权人"], true),
    col(
        "principal_yuan",
        &["本金（元）", "本金(元)", "债务金额", "本金"],
        true,
    ),
    col("incurred_on", &["发生日期", "形成日期"], false),
    col("category", &["类别", "债务类别"], false),
    col("note", &["备注"], false),
];

pub const ACTION_COLUMNS: &[Column] = &[
    col("debt_no", &["债务编号"], true),
    col("method", &["化解方式", "方式"], true),
    col(
        "amount_yuan",
        &["化解金额（元）", "化解金额(元)", "化解金额", "金额"],
        true,
    ),
    col("acted_on", &["化解日期", "日期"], true),
    col("evidence", &["证明材料", "凭证"], false),
    col("note", &["备注"], false),
];

pub const CLAIM_COLUMNS: &[Column] = &[
    col("claim_no", &["债权编号"], true),
    col("debtor", &["债务人", "欠款人"], true),
    col(
        "amount_yuan",
        &["金额（元）", "金额(元)", "债权金额", "金额"],
        true,
    ),
    col("arose_on", &["发生日期", "形成日期"], false),
    col("origin", &["来源"], false),
    col("note", &["备注"], false),
];

pub const RESOURCE_COLUMNS: &[Column] = &[
    col("resource_no", &["资源编号"], true),
    col("kind", &["资源类型", "类型"], true),
    col("name", &["名称", "资源名称"], false),
    col("area_mu", &["面积（亩）", "面积(亩)", "面积"], false),
    col("location", &["位置", "坐落"], false),
    col("status", &["状态", "使用状态"], true),
    col("contract_no", &["合同编号"], false),
    col("note", &["备注"], false),
];

pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Contracts => CONTRACT_COLUMNS,
        Kind::Debts => DEBT_COLUMNS,
        Kind::DebtActions => ACTION_COLUMNS,
        Kind::Claims => CLAIM_COLUMNS,
        Kind::Resources => RESOURCE_COLUMNS,
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerImportReport {
    pub file: String,
    pub village: String,
    pub kind: Kind,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// debt actions already recorded
    pub skipped: usize,
    pub dry_run: bool,
}

/// A row as a draft: drafts name their fields after the columns.
fn draft_of<D: DeserializeOwned + Default>(m: &Mapped, r: &Row, spec: &[Column]) -> D {
    let obj: serde_json::Map<String, serde_json::Value> = spec
        .iter()
        .map(|c| (c.field.to_string(), json!(m.get(r, c.field))))
        .collect();
    serde_json::from_value(serde_json::Value::Object(obj)).unwrap_or_default()
}

struct Ctx<'a> {
    m: &'a Mapped<'a>,
    issues: Vec<ImportIssue>,
    seen: HashMap<String, usize>,
}

impl Ctx<'_> {
    fn field_errors(&mut self, r: &Row, errs: Vec<domain::registry::FieldError>) {
        for e in errs {
            self.issues.push(self.m.issue(r, e.field, e.message));
        }
    }
    /// False (and an issue) when the number was already on an earlier row.
    fn first(&mut self, r: &Row, field: &str, no: &str) -> bool {
        if let Some(prev) = self.seen.insert(no.to_string(), r.number) {
            self.issues.push(self.m.issue(
                r,
                field,
                format!("duplicate number '{no}': already on row {prev} (编号重复)"),
            ));
            false
        } else {
            true
        }
    }
}

pub async fn import(
    app: &App,
    actor: &Actor,
    village: &str,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<LedgerImportReport> {
    village_for_write(app, actor, village).await?;
    let table = read_table(file, bytes).map_err(AppError::Import)?;
    let spec = columns(kind);
    let m = map_columns(&table, spec).map_err(AppError::Import)?;
    let mut cx = Ctx {
        m: &m,
        issues: Vec::new(),
        seen: HashMap::new(),
    };
    let mut report = LedgerImportReport {
        file: file.to_string(),
        village: village.to_string(),
        kind,
        rows: table.rows.len(),
        created: 0,
        updated: 0,
        skipped: 0,
        dry_run,
    };
    let mut tx = app.db.begin().await?;
    let numbers = match kind {
        Kind::Contracts => {
            contracts_import(app, &mut tx, village, &table.rows, &mut cx, &mut report).await?
        }
        Kind::Debts => debts_import(&mut tx, village, &table.rows, &mut cx, &mut report).await?,
        Kind::DebtActions => {
            actions_import(&mut tx, village, &table.rows, &mut cx, &mut report).await?
        }
        Kind::Claims => claims_import(&mut tx, village, &table.rows, &mut cx, &mut report).await?,
        Kind::Resources => {
            resources_import(&mut tx, village, &table.rows, &mut cx, &mut report).await?
        }
    };
    if !cx.issues.is_empty() {
        let mut issues = cx.issues;
        issues.sort_by_key(|i| i.row);
        return Err(AppError::Import(issues));
    }
    audit::record(
        &mut tx,
        actor,
        "ledger.import",
        "import",
        file,
        village,
        json!({"report": report, "numbers": numbers}),
    )
    .await?;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

/// Validates every row; writes only if no row had a problem. Returns the numbers written.
async fn contracts_import(
    app: &App,
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut Ctx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, contracts::ContractRow> = contracts::of_village(conn, village)
        .await?
        .into_iter()
        .map(|c| (c.fields.contract_no.clone(), c))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: ContractDraft = draft_of(cx.m, r, CONTRACT_COLUMNS);
        let old = existing.get(d.contract_no.trim());
        match validate_contract(&d, old.map(|o| &o.fields)) {
            Err(errs) => cx.field_errors(r, errs),
            Ok((c, keep)) => {
                if cx.first(r, "contract_no", &c.contract_no) && cx.issues.is_empty() {
                    let status = old.map(|o| o.fields.status.as_str()).unwrap_or("active");
                    let w = contract_write(
                        app,
                        village,
                        &c,
                        old.map(|o| &o.fields).filter(|_| keep),
                        status,
                    )?;
                    writes.push((old.map(|o| o.id), w));
                }
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                contracts::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                contracts::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.contract_no.clone());
    }
    recompute_village(conn, village, today()).await?;
    Ok(numbers)
}

async fn debts_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut Ctx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, i64> = debts::of_village(conn, village)
        .await?
        .into_iter()
        .map(|d| (d.fields.debt_no.clone(), d.id))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: DebtDraft = draft_of(cx.m, r, DEBT_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(d) => {
                if !cx.first(r, "debt_no", &d.debt_no) {
                    continue;
                }
                let id = existing.get(&d.debt_no).copied();
                if let Some(id) = id {
                    let resolved = debts::resolved_of(conn, id).await?;
                    if d.principal.0 < resolved {
                        cx.issues.push(cx.m.issue(
                            r,
                            "principal_yuan",
                            format!(
                                "the principal cannot be below what is already resolved ({})",
                                Fen(resolved)
                            ),
                        ));
                        continue;
                    }
                }
                writes.push((id, debt_write(village, &d)));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                debts::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                debts::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.debt_no.clone());
    }
    Ok(numbers)
}

async fn actions_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut Ctx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    // debt number → (id, principal, resolved so far)
    let mut debts_by_no: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for d in debts::of_village(conn, village).await? {
        debts_by_no.insert(d.fields.debt_no.clone(), (d.id, d.fields.principal_fen, 0));
    }
    let mut stored: HashMap<(String, String, i64, String, String), usize> = HashMap::new();
    for a in debts::actions_of_village(conn, village).await? {
        if let Some(e) = debts_by_no.get_mut(&a.debt_no) {
            e.2 += a.fields.amount_fen;
        }
        let key = (
            a.debt_no.clone(),
            a.fields.method.clone(),
            a.fields.amount_fen,
            a.fields.acted_on.clone(),
            a.fields.evidence.clone().unwrap_or_default(),
        );
        *stored.entry(key).or_insert(0) += 1;
    }
    let mut writes = Vec::new();
    for r in rows {
        let d: DebtActionDraft = draft_of(cx.m, r, ACTION_COLUMNS);
        let a = match d.validate() {
            Err(errs) => {
                cx.field_errors(r, errs);
                continue;
            }
            Ok(a) => a,
        };
        let Some(entry) = debts_by_no.get_mut(&a.debt_no) else {
            cx.issues.push(cx.m.issue(
                r,
                "debt_no",
                format!(
                    "no debt '{}' in village {village}; import the debts first",
                    a.debt_no
                ),
            ));
            continue;
        };
        let w = action_write(village, entry.0, &a);
        let key = (
            a.debt_no.clone(),
            w.method.clone(),
            w.amount_fen,
            w.acted_on.clone(),
            w.evidence.clone().unwrap_or_default(),
        );
        if let Some(n) = stored.get_mut(&key).filter(|n| **n > 0) {
            *n -= 1;
            report.skipped += 1;
            continue;
        }
        match apply_resolution(Fen(entry.1), Fen(entry.2), a.amount) {
            Err(e) => {
                cx.issues
                    .push(cx.m.issue(r, "amount_yuan", format!("debt {}: {e}", a.debt_no)))
            }
            Ok(next) => {
                entry.2 = next.0;
                writes.push((a.debt_no.clone(), w));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (no, w) in &writes {
        debts::insert_action(conn, w).await?;
        report.created += 1;
        numbers.push(no.clone());
    }
    Ok(numbers)
}

async fn claims_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut Ctx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, (i64, i64)> = claims::of_village(conn, village)
        .await?
        .into_iter()
        .map(|c| (c.fields.claim_no.clone(), (c.id, c.collected_fen)))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: ClaimDraft = draft_of(cx.m, r, CLAIM_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(c) => {
                if !cx.first(r, "claim_no", &c.claim_no) {
                    continue;
                }
                let old = existing.get(&c.claim_no).copied();
                if let Some((_, collected)) = old.filter(|(_, k)| c.amount.0 < *k) {
                    cx.issues.push(cx.m.issue(
                        r,
                        "amount_yuan",
                        format!(
                            "the amount cannot be below what is already collected ({})",
                            Fen(collected)
                        ),
                    ));
                    continue;
                }
                writes.push((old.map(|o| o.0), claim_write(village, &c)));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                claims::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                claims::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.claim_no.clone());
    }
    Ok(numbers)
}

async fn resources_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut Ctx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, i64> = resources::of_village(conn, village)
        .await?
        .into_iter()
        .map(|r| (r.fields.resource_no.clone(), r.id))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: ResourceDraft = draft_of(cx.m, r, RESOURCE_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(res) => {
                if cx.first(r, "resource_no", &res.resource_no) {
                    writes.push((
                        existing.get(&res.resource_no).copied(),
                        resource_write(village, &res),
                    ));
                }
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                resources::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                resources::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.resource_no.clone());
    }
    Ok(numbers)
}
