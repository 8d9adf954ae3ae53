//! Contracts with their flags in plain words, the contract form, and the rectification task
//! page of each flag.

use super::{draft_fields, draft_from, status_label, subnav, yuan};
use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, errors_not_shown, field, page, page_with};
use crate::pages::forms::{redirect, refusal, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::ledger::import::CONTRACT_COLUMNS;
use app::ledger::records::{self, RectificationDraft};
use app::ledger::view::load;
use app::AppError;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use domain::ledger::{ContractDraft, ContractKind, FlagCode};
use domain::registry::FieldError;
use maud::{html, Markup};

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    let body = html! {
        (subnav(l, &code))
        @if can_edit { p { a class="button" href={ "/villages/" (code) "/ledger/contracts/new" } { (l.t("新增合同", "New contract")) } } }
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("编号", "No.")) } th { (l.t("类型", "Kind")) } th { (l.t("承包方", "Counterparty")) } th { (l.t("期限", "Term")) } th { (l.t("年租金", "Annual rent")) } th { (l.t("状态", "Status")) } th { (l.t("问题", "Flags")) } } }
            tbody { @for c in &ledger.contracts { tr {
                td data-label=(l.t("编号", "No.")) { a href={ "/villages/" (code) "/ledger/contracts/" (c.id) } { (c.draft.contract_no) } }
                td data-label=(l.t("类型", "Kind")) { (ContractKind::parse(&c.draft.kind).map(|k| if l.is_zh() { k.label_zh() } else { k.label_en() }).unwrap_or(&c.draft.kind)) }
                td data-label=(l.t("承包方", "Counterparty")) { (c.draft.counterparty) }
                td data-label=(l.t("期限", "Term")) { (c.draft.start_on) " – " (c.draft.end_on) }
                td data-label=(l.t("年租金", "Annual rent")) { (yuan(c.annual_rent_fen)) }
                td data-label=(l.t("状态", "Status")) { (status_label(l, &c.status)) }
                td data-label=(l.t("问题", "Flags")) style="white-space:normal" { @for f in &c.flags {
                    a href={ "/villages/" (code) "/ledger/flags/" (f.id) } class="tag" title=(if l.is_zh() { &f.detail_zh } else { &f.detail_en }) {
                        @if f.code == FlagCode::RelatedCadre.as_str() { b { (if l.is_zh() { &f.label_zh } else { &f.label_en }) } } @else { (if l.is_zh() { &f.label_zh } else { &f.label_en }) }
                        @if f.status != "open" { " ✓" }
                    } " "
                } }
            } } }
        } }
    };
    let title = format!("{} · {}", ledger.village.name, l.t("合同台账", "Contracts"));
    Ok(page(&ctx, &title, q.flash.as_deref(), body).into_response())
}

fn form_body(
    ctx: &Ctx,
    code: &str,
    action: &str,
    draft: &ContractDraft,
    status: &str,
    errors: &[FieldError],
) -> Markup {
    let l = ctx.lang;
    let values = serde_json::to_value(draft).unwrap_or_default();
    let shown: Vec<&str> = CONTRACT_COLUMNS
        .iter()
        .map(|c| c.field)
        .chain(["status"])
        .collect();
    html! {
        (subnav(l, code))
        form method="post" action=(action) class="card" { (csrf(ctx))
            (draft_fields(l, "", CONTRACT_COLUMNS, &values, errors))
            p class="muted" { (l.t("类型可填：", "Kinds: ")) (ContractKind::known_labels()) (l.t("。涉及村干部填 是/否。身份证号只显示脱敏形式，保持不变即保留原号码。", ". related_cadre: yes/no. The resident ID shows masked; leave it to keep the stored one.")) }
            label for="status" { (l.t("合同状态", "Status")) }
            select id="status" name="status" {
                option value="active" selected[status == "active"] { (status_label(l, "active")) }
                option value="terminated" selected[status == "terminated"] { (status_label(l, "terminated")) }
            }
            (errors_not_shown(l, errors, &shown))
            @if ctx.actor.role.can(Permission::EditLedger) { p { button type="submit" { (l.t("保存", "Save")) } } }
        }
    }
}

pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> PageResult {
    let l = ctx.lang;
    let v = app::ledger::village_for_write(&st.app, &ctx.actor, &code)
        .await
        .lang(l)?;
    let action = format!("/villages/{code}/ledger/contracts/new");
    let body = form_body(
        &ctx,
        &code,
        &action,
        &ContractDraft::default(),
        "active",
        &[],
    );
    Ok(page(
        &ctx,
        &format!("{} · {}", v.name, l.t("新增合同", "New contract")),
        None,
        body,
    )
    .into_response())
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
    let c = ledger
        .contracts
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            PageError::new(
                AppError::not_found(domain::message::catalogue::CONTRACT, id),
                l,
            )
        })?;
    let action = format!("/villages/{code}/ledger/contracts/{id}");
    let mut body = form_body(&ctx, &code, &action, &c.draft, &c.status, &[]);
    if !c.flags.is_empty() {
        let flags: Vec<_> = c.flags.iter().collect();
        body = html! { (body) h2 { (l.t("问题", "Flags")) } (super::home::flag_table(&ctx, &code, &flags)) };
    }
    Ok(page(
        &ctx,
        &format!("{} {}", l.t("合同", "Contract"), c.draft.contract_no),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

async fn save(st: AppState, ctx: Ctx, code: String, id: Option<i64>, form: RawForm) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let draft: ContractDraft = draft_from(&f);
    let status = f.get("status");
    match records::save_contract(&st.app, &ctx.actor, &code, id, &draft, Some(&status)).await {
        Ok(id) => Ok(redirect(
            &format!("/villages/{code}/ledger/contracts/{id}"),
            Flash::Saved,
        )),
        Err(e) => {
            let (code_status, errors) = refusal(e, l)?;
            let action = match id {
                Some(id) => format!("/villages/{code}/ledger/contracts/{id}"),
                None => format!("/villages/{code}/ledger/contracts/new"),
            };
            let body = form_body(&ctx, &code, &action, &draft, &status, &errors);
            Ok(page_with(code_status, &ctx, l.t("合同", "Contract"), body))
        }
    }
}

pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: RawForm,
) -> PageResult {
    save(st, ctx, code, None, form).await
}

pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    form: RawForm,
) -> PageResult {
    save(st, ctx, code, Some(id), form).await
}

fn task_body(
    ctx: &Ctx,
    code: &str,
    f: &app::ledger::view::FlagView,
    d: &RectificationDraft,
    errors: &[FieldError],
) -> Markup {
    let l = ctx.lang;
    let can_edit = ctx.actor.role.can(Permission::EditLedger) && f.status == "open";
    html! {
        (subnav(l, code))
        div class="card" {
            p { b { (l.t("合同：", "Contract: ")) } a href={ "/villages/" (code) "/ledger/contracts/" (f.contract_id) } { (f.contract_no) } }
            p { b { (l.t("问题：", "Problem: ")) } (if l.is_zh() { &f.label_zh } else { &f.label_en }) }
            p { (if l.is_zh() { &f.explain_zh } else { &f.explain_en }) }
            p class="muted" { (if l.is_zh() { &f.detail_zh } else { &f.detail_en }) }
            p { b { (l.t("整改状态：", "Status: ")) } (status_label(l, &f.status)) " · " b { (l.t("期限：", "Deadline: ")) } (f.deadline.as_deref().unwrap_or("—")) }
            @if !f.reason.is_empty() { p { b { (l.t("理由：", "Reason: ")) } (f.reason) } }
            @if !f.evidence.is_empty() { p { b { (l.t("佐证材料：", "Evidence: ")) } (f.evidence) } }
            p class="muted" { (l.t("更新于 ", "Updated ")) (f.updated_at) }
        }
        @if can_edit {
            form method="post" action={ "/villages/" (code) "/ledger/flags/" (f.id) } class="card" { (csrf(ctx))
                label for="status" { (l.t("整改状态", "Status")) }
                select id="status" name="status" {
                    option value="open" selected[d.status == "open" || d.status.is_empty()] { (status_label(l, "open")) }
                    option value="rectified" selected[d.status == "rectified"] { (status_label(l, "rectified")) }
                    option value="waived" selected[d.status == "waived"] { (status_label(l, "waived")) }
                }
                @for e in errors.iter().filter(|e| e.field == "status") { div class="field-error" { (e.message) } }
                (field(l.t("整改期限（YYYY-MM-DD）", "Deadline (YYYY-MM-DD)"), "deadline", &d.deadline, errors, false))
                (field(l.t("理由（免于整改时必填）", "Reason (required to waive)"), "reason", &d.reason, errors, false))
                (field(l.t("佐证材料说明", "Evidence note"), "evidence", &d.evidence, errors, false))
                (errors_not_shown(l, errors, &["status", "deadline", "reason", "evidence"]))
                p { button type="submit" { (l.t("保存", "Save")) } }
            }
        }
    }
}

pub async fn task(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
    let f = ledger
        .flags()
        .into_iter()
        .find(|f| f.id == id)
        .cloned()
        .ok_or_else(|| {
            PageError::new(AppError::not_found(domain::message::catalogue::FLAG, id), l)
        })?;
    let d = RectificationDraft {
        status: f.status.clone(),
        deadline: f.deadline.clone().unwrap_or_default(),
        reason: f.reason.clone(),
        evidence: f.evidence.clone(),
    };
    let body = task_body(&ctx, &code, &f, &d, &[]);
    Ok(page(
        &ctx,
        l.t("整改任务", "Rectification task"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn task_update(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((code, id)): PagePath<(String, i64)>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let d = RectificationDraft {
        status: f.get("status"),
        deadline: f.get("deadline"),
        reason: f.get("reason"),
        evidence: f.get("evidence"),
    };
    match records::update_flag(&st.app, &ctx.actor, &code, id, &d).await {
        Ok(()) => Ok(redirect(
            &format!("/villages/{code}/ledger/flags/{id}"),
            Flash::Saved,
        )),
        Err(e) => {
            let (status, errors) = refusal(e, l)?;
            let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
            let flag = ledger
                .flags()
                .into_iter()
                .find(|f| f.id == id)
                .cloned()
                .ok_or_else(|| {
                    PageError::new(AppError::not_found(domain::message::catalogue::FLAG, id), l)
                })?;
            let body = task_body(&ctx, &code, &flag, &d, &errors);
            Ok(page_with(
                status,
                &ctx,
                l.t("整改任务", "Rectification task"),
                body,
            ))
        }
    }
}
