//! Household members: add, edit, delete, and the audited reveal of a full number.

use super::households::{file_body, member_fields};
use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, page, page_with};
use crate::pages::forms::PagePath;
use crate::pages::forms::{redirect, refusal, CsrfForm, Flash, RawForm};
use crate::AppState;
use app::registry::{households as hh, units};
use app::AppError;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::registry::MemberDraft;
use maud::html;

fn draft(f: &CsrfForm) -> MemberDraft {
    MemberDraft {
        name: f.get("name"),
        relation: f.get("relation"),
        sex: f.get("sex"),
        birth_date: f.get("birth_date"),
        resident_id: f.get("resident_id"),
        phone: f.get("phone"),
    }
}

pub async fn add(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let d = draft(&f);
    match hh::save_member(&st.app, &ctx.actor, id, None, d.clone()).await {
        Ok(_) => Ok(redirect(&format!("/households/{id}"), Flash::Saved)),
        Err(e) => {
            let (status, errors) = refusal(e, l)?;
            let h = hh::get(&st.app, &ctx.actor, id).await.lang(l)?;
            let trail = units::breadcrumb(&st.app, &ctx.actor, &h.village_code)
                .await
                .unwrap_or_default();
            let body = file_body(&ctx, &h, &trail, &errors, &d);
            Ok(page_with(
                status,
                &ctx,
                &format!("{} {}", h.household_no, h.head_name),
                body,
            ))
        }
    }
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, mid)): PagePath<(i64, i64)>,
) -> PageResult {
    let l = ctx.lang;
    let h = hh::get(&st.app, &ctx.actor, id).await.lang(l)?;
    let m = h
        .members
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.id == mid)
        .ok_or_else(|| {
            PageError::new(
                AppError::not_found(domain::message::catalogue::MEMBER, mid),
                l,
            )
        })?;
    // Personal numbers are not pre-filled (they are never sent in full); empty keeps them.
    let d = MemberDraft {
        name: m.name.clone(),
        relation: m.relation.clone(),
        sex: l.sex(m.sex.as_deref()).into(),
        // Roles that see only the year get the year; sent back unchanged it keeps the date.
        birth_date: m
            .birth_date
            .clone()
            .or_else(|| m.birth_year.map(|y| y.to_string()))
            .unwrap_or_default(),
        ..Default::default()
    };
    let body = member_edit(
        &ctx,
        id,
        mid,
        &d,
        &[],
        m.resident_id.as_deref(),
        m.phone.as_deref(),
    );
    Ok(page(&ctx, l.t("编辑成员", "Edit member"), None, body).into_response())
}

fn member_edit(
    ctx: &Ctx,
    id: i64,
    mid: i64,
    d: &MemberDraft,
    errors: &[domain::registry::FieldError],
    id_masked: Option<&str>,
    phone_masked: Option<&str>,
) -> maud::Markup {
    let l = ctx.lang;
    html! {
        p class="muted" { (l.t("身份证号与电话留空则保留原号码（当前：", "Leave resident ID and phone empty to keep them (now: ")) (id_masked.unwrap_or("—")) ", " (phone_masked.unwrap_or("—")) ")" }
        form method="post" action={ "/households/" (id) "/members/" (mid) } { (csrf(ctx)) (member_fields(l, d, errors)) p { button type="submit" { (l.t("保存", "Save")) } } }
        form method="post" action={ "/households/" (id) "/members/" (mid) "/delete" } { (csrf(ctx)) button class="secondary" type="submit" { (l.t("删除成员", "Delete member")) } }
    }
}

pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, mid)): PagePath<(i64, i64)>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let d = draft(&f);
    match hh::save_member(&st.app, &ctx.actor, id, Some(mid), d.clone()).await {
        Ok(_) => Ok(redirect(&format!("/households/{id}"), Flash::Saved)),
        Err(e) => {
            let (status, errors) = refusal(e, l)?;
            let body = member_edit(&ctx, id, mid, &d, &errors, None, None);
            Ok(page_with(
                status,
                &ctx,
                l.t("编辑成员", "Edit member"),
                body,
            ))
        }
    }
}

pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, mid)): PagePath<(i64, i64)>,
    form: RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    hh::delete_member(&st.app, &ctx.actor, id, mid)
        .await
        .lang(ctx.lang)?;
    Ok(redirect(&format!("/households/{id}"), Flash::Deleted))
}

pub async fn reveal(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, mid)): PagePath<(i64, i64)>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    form.csrf(&ctx)?;
    // A member without that number is not an error; anything else (403, 404) is.
    let absent_is_none = |r: Result<String, AppError>, what: &str| match r {
        Ok(v) => Ok(Some(v)),
        Err(AppError::NotFound(w)) if w == app::registry::members::number_absent(what) => Ok(None),
        Err(e) => Err(PageError::new(e, l)),
    };
    let id_number = absent_is_none(
        hh::reveal(&st.app, &ctx.actor, id, mid, "resident_id").await,
        "resident_id",
    )?;
    let phone = absent_is_none(
        hh::reveal(&st.app, &ctx.actor, id, mid, "phone").await,
        "phone",
    )?;
    let body = html! {
        div class="card" {
            p { b { (l.t("身份证号：", "Resident ID: ")) } code { (id_number.as_deref().unwrap_or("—")) } }
            p { b { (l.t("电话：", "Phone: ")) } (phone.as_deref().unwrap_or("—")) }
            p class="warn" { (l.t("本次查看已记入审计日志。", "This reveal has been recorded in the audit log.")) }
            p { a href={ "/households/" (id) } { (l.t("返回", "Back")) } }
        }
    };
    Ok(page(&ctx, l.t("完整号码", "Full numbers"), None, body).into_response())
}
