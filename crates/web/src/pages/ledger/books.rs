//! Debts (with progress and the resolution form), claims (with collections) and resources.

use super::{bar, draft_fields, draft_from, subnav, yuan};
use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, date_field_in, errors_not_shown, field_in, page};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::ledger::import::{ACTION_COLUMNS, CLAIM_COLUMNS, DEBT_COLUMNS, RESOURCE_COLUMNS};
use app::ledger::records::{self, RecordAction};
use app::ledger::register::Register;
use app::ledger::view::{load, VillageLedger};
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::Permission;
use domain::ledger::{DebtMethod, Kind, ResourceKind, ResourceStatus};
use domain::registry::FieldError;
use maud::{html, Markup};
use serde_json::Value;

/// Which form failed, to show its errors next to its fields.
#[derive(Default)]
pub(super) struct Failed {
    pub(super) record: Option<i64>,
    pub(super) values: Value,
    pub(super) errors: Vec<FieldError>,
    /// The answer's status when the form was refused (422, 409 or 404).
    pub(super) status: Option<StatusCode>,
}

fn debts_body(ctx: &Ctx, l_: &VillageLedger, failed: &Failed) -> Markup {
    let l = ctx.lang;
    let code = &l_.village.code;
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    let action_cols: Vec<_> = ACTION_COLUMNS
        .iter()
        .copied()
        .filter(|c| c.field != "debt_no")
        .collect();
    html! {
        @for d in &l_.debts {
            div class="card" {
                p { b { (d.draft.debt_no) } " · " (d.draft.creditor) " · " (d.draft.category) }
                p { (l.t("本金 ", "Principal ")) (yuan(d.principal_fen)) (l.t("，已化解 ", ", resolved ")) (yuan(d.resolved_fen)) (l.t("，剩余 ", ", remaining ")) (yuan(d.remaining_fen)) " " (bar(d.progress_pct)) " " (format!("{:.1}%", d.progress_pct)) }
                @if !d.actions.is_empty() {
                    div class="scroll" { table class="cards" {
                        thead { tr { th { (l.t("方式", "Method")) } th { (l.t("金额", "Amount")) } th { (l.t("日期", "Date")) } th { (l.t("凭证", "Evidence")) } } }
                        tbody { @for a in &d.actions { tr {
                            td data-label=(l.t("方式", "Method")) { (DebtMethod::parse(&a.draft.method).map(|m| if l.is_zh() { m.label_zh() } else { m.label_en() }).unwrap_or(&a.draft.method)) }
                            td data-label=(l.t("金额", "Amount")) { (yuan(a.amount_fen)) } td data-label=(l.t("日期", "Date")) { (a.draft.acted_on) } td data-label=(l.t("凭证", "Evidence")) { (a.draft.evidence) }
                        } } }
                    } }
                }
                @if can_edit && d.remaining_fen > 0 {
                    @let (vals, errs) = if failed.record == Some(d.id) { (failed.values.clone(), failed.errors.clone()) } else { (Value::Null, Vec::new()) };
                    details open[failed.record == Some(d.id)] class="noprint" { summary { (l.t("记录化解", "Record a resolution")) }
                        form method="post" action={ "/villages/" (code) "/ledger/debts/" (d.id) "/actions" } { (csrf(ctx))
                            (draft_fields(l, &format!("debt{}", d.id), &action_cols, &vals, &errs))
                            p class="muted" { (l.t("方式：核销、账务调整、抵销、偿还", "Method: write_off, adjustment, offset, repayment")) }
                            p { button type="submit" { (l.t("记录", "Record")) } }
                        }
                    }
                }
            }
        }
    }
}

fn claims_body(ctx: &Ctx, l_: &VillageLedger, failed: &Failed) -> Markup {
    let l = ctx.lang;
    let code = &l_.village.code;
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    html! {
        @for c in &l_.claims {
            div class="card" {
                p { b { (c.draft.claim_no) } " · " (c.draft.debtor) " · " (c.draft.origin) }
                p { (l.t("金额 ", "Amount ")) (yuan(c.amount_fen)) (l.t("，已收回 ", ", collected ")) (yuan(c.collected_fen)) " · "
                    (match c.claim_status { domain::ledger::ClaimStatus::Open => l.t("待清收", "Open"), domain::ledger::ClaimStatus::PartlyCollected => l.t("部分收回", "Partly collected"), domain::ledger::ClaimStatus::Collected => l.t("已收回", "Collected") }) }
                @for k in &c.collections { p class="muted" { (k.collected_on) " " (k.amount_yuan) " " (k.note) } }
                @if can_edit && c.collected_fen < c.amount_fen {
                    @let errs = if failed.record == Some(c.id) { failed.errors.clone() } else { Vec::new() };
                    @let v = |k: &str| if failed.record == Some(c.id) { failed.values.get(k).and_then(Value::as_str).unwrap_or("").to_string() } else { String::new() };
                    details open[failed.record == Some(c.id)] class="noprint" { summary { (l.t("记录收回", "Record a collection")) }
                        form method="post" action={ "/villages/" (code) "/ledger/claims/" (c.id) "/collections" } { (csrf(ctx))
                            @let form = format!("claim{}", c.id);
                            div class="row" {
                                (field_in(&form, l.t("金额（元）", "Amount (yuan)"), "amount_yuan", &v("amount_yuan"), &errs, true))
                                (date_field_in(&form, l.t("收回日期", "Date"), "collected_on", &v("collected_on"), &errs, true))
                                (field_in(&form, l.t("备注", "Note"), "note", &v("note"), &errs, false))
                            }
                            p { button type="submit" { (l.t("记录", "Record")) } }
                        }
                    }
                }
            }
        }
    }
}

fn resources_body(ctx: &Ctx, l_: &VillageLedger, failed: &Failed) -> Markup {
    let l = ctx.lang;
    html! {
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("编号", "No.")) } th { (l.t("类型", "Kind")) } th { (l.t("名称", "Name")) } th { (l.t("面积（亩）", "Area (mu)")) } th { (l.t("位置", "Location")) } th { (l.t("状态", "Status")) } th { (l.t("合同", "Contract")) } th { (l.t("备注", "Note")) } } }
            tbody { @for r in &l_.resources { tr {
                td data-label=(l.t("编号", "No.")) { (r.draft.resource_no) }
                td data-label=(l.t("类型", "Kind")) { (ResourceKind::parse(&r.draft.kind).map(|k| if l.is_zh() { k.label_zh() } else { k.label_en() }).unwrap_or(&r.draft.kind)) }
                td data-label=(l.t("名称", "Name")) { (r.draft.name) } td data-label=(l.t("面积（亩）", "Area (mu)")) { (r.draft.area_mu) } td data-label=(l.t("位置", "Location")) { (r.draft.location) }
                td data-label=(l.t("状态", "Status")) { @let s = ResourceStatus::parse(&r.draft.status);
                    @if s == Some(ResourceStatus::OccupiedWithoutContract) { b class="warn" { (l.t("无合同占用（应收费）", "Occupied without contract (to be charged)")) } (super::charges::section(ctx, l_, r, failed)) }
                    @else { (s.map(|k| if l.is_zh() { k.label_zh() } else { k.label_en() }).unwrap_or(&r.draft.status)) } }
                td data-label=(l.t("合同", "Contract")) { (r.draft.contract_no) } td data-label=(l.t("备注", "Note")) style="white-space:normal" { (r.draft.note) }
            } } }
        } }
    }
}

pub(super) async fn render(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    kind: Kind,
    flash: Option<&str>,
    failed: Failed,
    new_failed: Failed,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, code).await.lang(l)?;
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    let (title, cols, list) = match kind {
        Kind::Debts => (
            l.t("债务台账", "Debts"),
            DEBT_COLUMNS,
            debts_body(ctx, &ledger, &failed),
        ),
        Kind::Claims => (
            l.t("债权台账", "Claims"),
            CLAIM_COLUMNS,
            claims_body(ctx, &ledger, &failed),
        ),
        Kind::Resources => (
            l.t("资源台账", "Resources"),
            RESOURCE_COLUMNS,
            resources_body(ctx, &ledger, &failed),
        ),
        // Contracts have their own pages; actions are shown with their debts.
        Kind::Contracts | Kind::DebtActions => {
            return Err(PageError::new(
                AppError::NotFound(domain::message::catalogue::PAGE.text()),
                l,
            ))
        }
    };
    let path = kind.as_str();
    let shown: Vec<&str> = cols.iter().map(|c| c.field).collect();
    let body = html! {
        (subnav(l, code))
        // A record's form refused as a whole (its record gone, a conflict): said at the top,
        // since the record may no longer be listed.
        (crate::layout::form_alert(l, &failed.errors))
        (list)
        @if can_edit {
            h2 class="noprint" { (l.t("新增", "Add")) }
            form method="post" action={ "/villages/" (code) "/ledger/" (path) } class="card noprint" { (csrf(ctx))
                (draft_fields(l, "new", cols, &new_failed.values, &new_failed.errors))
                @if kind == Kind::Resources { p class="muted" { (l.t("类型：", "Kinds: ")) (ResourceKind::known_labels()) "; " (l.t("状态：", "Status: ")) (ResourceStatus::known_labels()) } }
                (errors_not_shown(l, &new_failed.errors, &shown))
                p { button type="submit" { (l.t("保存", "Save")) } }
            }
        }
    };
    let status = if failed.errors.is_empty() && new_failed.errors.is_empty() {
        StatusCode::OK
    } else {
        failed
            .status
            .or(new_failed.status)
            .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
    };
    Ok((
        status,
        page(
            ctx,
            &format!("{} · {title}", ledger.village.name),
            flash,
            body,
        ),
    )
        .into_response())
}

/// The page of the register whose draft is `D`.
pub async fn list<D: Register>(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let (none, none_new) = (Failed::default(), Failed::default());
    render(
        &st,
        &ctx,
        &code,
        D::KIND,
        q.flash.as_deref(),
        none,
        none_new,
    )
    .await
}

fn values(f: &crate::pages::forms::CsrfForm) -> Value {
    serde_json::to_value(&f.0).unwrap_or_default()
}

/// The answer to a form on the page of `kind` (`record`: the record whose action form it
/// was, None for the form adding one): back to the page with a confirmation, or the page again
/// with the errors next to that form's fields.
pub(super) async fn answer(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    (kind, record): (Kind, Option<i64>),
    f: &crate::pages::forms::CsrfForm,
    (result, flash): (Result<i64, AppError>, Flash),
) -> PageResult {
    match result {
        Ok(_) => Ok(redirect(
            &format!("/villages/{code}/ledger/{}", kind.as_str()),
            flash,
        )),
        Err(e) => {
            let (status, errors) = crate::pages::forms::refusal(e, ctx.lang)?;
            let failed = Failed {
                record,
                values: values(f),
                errors,
                status: Some(status),
            };
            let (on_record, on_new) = match record {
                Some(_) => (failed, Failed::default()),
                None => (Failed::default(), failed),
            };
            render(st, ctx, code, kind, None, on_record, on_new).await
        }
    }
}

/// Adds a record to the register whose draft is `D`.
pub async fn create<D: Register>(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let saved = records::save(&st.app, &ctx.actor, &code, None, &draft_from::<D>(&f)).await;
    answer(
        &st,
        &ctx,
        &code,
        (D::KIND, None),
        &f,
        (saved, Flash::Created),
    )
    .await
}

/// Records an action on a record (a debt's resolution, a claim's collection).
pub async fn action<A: RecordAction>(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let added = records::add_action(&st.app, &ctx.actor, &code, id, &draft_from::<A>(&f)).await;
    answer(
        &st,
        &ctx,
        &code,
        (A::ON, Some(id)),
        &f,
        (added, Flash::Saved),
    )
    .await
}
