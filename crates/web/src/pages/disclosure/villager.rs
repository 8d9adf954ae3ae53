//! Villagers: registration against the registry (public, on a phone), their own page (`/me`:
//! household file, new disclosures, messages and answers, a form to ask), and the cadres' side
//! (pending registrations confirmed in person, messages answered).

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::i18n::Lang;
use crate::layout::{bare_page, csrf, local_time, page};
use crate::pages::credit::public_form::{html_response, new_token, Visitor};
use crate::pages::forms::{redirect, Flash, FlashQuery, PagePath, PageQuery, RawForm};
use crate::AppState;
use app::disclosure::messages;
use app::disclosure::villagers::{self, Registered, Registration};
use app::AppError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::disclosure::{MessageKind, Module};
use domain::message::FieldError;
use maud::{html, Markup};
use serde::Deserialize;

fn register_form(
    l: Lang,
    code: &str,
    token: &str,
    values: &Registration,
    errors: &[FieldError],
) -> Markup {
    let err = |k: &str| -> Markup {
        html! { @for e in errors.iter().filter(|e| e.field == k) { div class="field-error" { (e.message) } } }
    };
    html! {
        p { (l.t("用本人身份证号和姓名注册：与本村户籍信息一致即可开通，可查看本户档案、给公开内容留言。", "Register with your own resident ID and name: when they match the village's registry your account opens; you can read your household's file and comment on disclosures.")) }
        form method="post" action={ "/public/villages/" (code) "/register" } {
            input type="hidden" name="_csrf" value=(token);
            div { label for="name" { (l.t("姓名", "Name")) " *" } input id="name" name="name" value=(values.name) required autocomplete="name"; (err("name")) }
            div { label for="resident_id" { (l.t("身份证号", "Resident ID")) " *" } input id="resident_id" name="resident_id" value=(values.resident_id) required autocomplete="off" inputmode="text"; (err("resident_id")) }
            div { label for="phone" { (l.t("手机号（登录用）", "Mobile (your login)")) " *" } input id="phone" name="phone" type="tel" value=(values.phone) required autocomplete="tel"; (err("phone")) }
            div { label for="password" { (l.t("设置密码", "Choose a password")) " *" } input id="password" name="password" type="password" required autocomplete="new-password"; (err("password")) }
            @for e in errors.iter().filter(|e| !["name", "resident_id", "phone", "password"].contains(&e.field)) { p class="field-error" { (e.message) } }
            button type="submit" { (l.t("注册", "Register")) }
        }
        p class="muted" { (l.t("身份证号只用于核对，不明文保存。", "The resident ID is used only to check; it is never stored in clear.")) }
    }
}

/// GET `/public/villages/{code}/register`
pub async fn register_page(
    State(st): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Response {
    let l = v.lang;
    let token = v
        .csrf
        .clone()
        .filter(|c| c.len() == 32)
        .unwrap_or_else(new_token);
    let body = register_form(l, &code, &token, &Registration::default(), &[]);
    let page = bare_page(l, l.t("村民注册", "Villager registration"), body).into_string();
    html_response(StatusCode::OK, Some((&st, &token)), page)
}

/// POST `/public/villages/{code}/register`
pub async fn register(
    State(st): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    form: RawForm,
) -> Response {
    let l = v.lang;
    let f = form.map();
    let token = v.csrf.clone().unwrap_or_default();
    if token.len() != 32 || !crate::ctx::csrf_ok(&token, &f.get("_csrf")) {
        return PageError::new(
            AppError::Forbidden(domain::message::catalogue::FORM_EXPIRED.text()),
            l,
        )
        .into_response();
    }
    let r = Registration {
        village_code: code.clone(),
        name: f.get("name"),
        resident_id: f.get("resident_id"),
        phone: f.get("phone"),
        password: f.get("password"),
    };
    match villagers::register(&st.app, r.clone(), &v.ip).await {
        Ok(Registered::Account { username }) => {
            let body = html! {
                p class="flash" role="status" { (l.t("注册成功，已与本村户籍核对一致。", "Registered: you match the village's registry.")) }
                p { (l.t("登录名：", "Your login: ")) b { (username) } }
                p { a class="button" href="/login?next=/me" { (l.t("登录", "Sign in")) } }
            };
            html_response(
                StatusCode::OK,
                None,
                bare_page(l, l.t("村民注册", "Villager registration"), body).into_string(),
            )
        }
        Ok(Registered::Pending) => {
            let body = html! {
                p class="flash" role="status" { (l.t("未能自动核验。您的申请已提交村委会，请携带身份证到村委会当面核验后开通。", "We could not check this automatically. Your request went to the village committee: bring your ID card to them to open the account.")) }
                p { a href={ "/public/villages/" (code) } { (l.t("返回本村公开栏", "Back to the village's board")) } }
            };
            html_response(
                StatusCode::ACCEPTED,
                None,
                bare_page(l, l.t("村民注册", "Villager registration"), body).into_string(),
            )
        }
        Err(AppError::Invalid(errors)) => {
            let errors: Vec<FieldError> = errors.iter().map(|e| e.only(l.is_zh())).collect();
            let kept = Registration {
                password: String::new(),
                ..r
            };
            let body = register_form(l, &code, &token, &kept, &errors);
            html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                bare_page(l, l.t("村民注册", "Villager registration"), body).into_string(),
            )
        }
        Err(e) => PageError::new(e, l).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct AskQuery {
    #[serde(default)]
    disclosure: Option<i64>,
    #[serde(default)]
    flash: Option<String>,
}

fn kind_select(l: Lang, name: &str, current: &str) -> Markup {
    html! {
        select id=(name) name=(name) {
            @for k in MessageKind::ALL { option value=(k.key()) selected[k.key() == current] { (l.t(k.label_zh(), k.label_en())) } }
        }
    }
}

/// `/me`: a villager's own page.
pub async fn me(State(st): State<AppState>, ctx: Ctx, Query(q): Query<AskQuery>) -> PageResult {
    let l = ctx.lang;
    let h = villagers::my_household(&st.app, &ctx.actor).await.lang(l)?;
    let inbox = messages::inbox(&st.app, &ctx.actor, app::disclosure::today(), true)
        .await
        .lang(l)?;
    let body = html! {
        p { a href={ "/public/villages/" (inbox.village_code) } { (l.t("本村公开栏", "The village's board")) } }
        h2 { (l.t("新公开", "New disclosures")) " (" (inbox.unread.len()) ")" }
        @if inbox.unread.is_empty() { p class="muted" { (l.t("没有新的公开。", "Nothing new.")) } }
        ul { @for d in &inbox.unread { li { a href={ "/public/disclosures/" (d.id) } { (d.title) } " " span class="muted" { (local_time(&d.published_at)) } } } }
        h2 { (l.t("我的留言", "My messages")) }
        @if inbox.messages.is_empty() { p class="muted" { (l.t("还没有留言。", "No messages yet.")) } }
        @for m in &inbox.messages {
            div class="card" {
                p { b { (MessageKind::parse(&m.row.kind).map(|k| l.t(k.label_zh(), k.label_en())).unwrap_or("")) } " · " (local_time(&m.row.created_at)) }
                p style="white-space: pre-wrap" { (m.row.body) }
                @if let Some(a) = &m.row.answer { p class="flash" style="white-space: pre-wrap" { (l.t("答复：", "Answer: ")) (a) " — " (m.row.answered_by_name.clone().unwrap_or_default()) } }
                @else { p class="muted" { (l.t("待答复，应于 ", "Waiting; due by ")) (m.due) (l.t(" 前答复", "")) } }
            }
        }
        h2 id="ask" { (l.t("留言", "Ask or comment")) }
        form method="post" action="/me/messages" {
            (csrf(&ctx))
            @if let Some(d) = q.disclosure { input type="hidden" name="disclosure" value=(d); p class="muted" { (l.t("针对公开 #", "About disclosure #")) (d) } }
            @else {
                div { label for="module" { (l.t("模块", "Module")) } select id="module" name="module" { @for m in Module::ALL { option value=(m.key()) { (l.t(m.label_zh(), m.label_en())) } } } }
            }
            div { label for="kind" { (l.t("类型", "Kind")) } (kind_select(l, "kind", "question")) }
            div { label for="body" { (l.t("内容", "Message")) " *" } textarea id="body" name="body" rows="4" required {} }
            button type="submit" { (l.t("提交", "Send")) }
        }
        h2 { (l.t("本户档案", "My household's file")) }
        p { (h.household_no) " · " (h.head_name) " · " (h.address) }
        ul { @for m in h.members.iter().flatten() { li { (m.name) " · " (m.relation) } } }
    };
    Ok(page(&ctx, l.t("我的", "Me"), q.flash.as_deref(), body).into_response())
}

/// POST `/me/messages`
pub async fn ask(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let disclosure = f.get("disclosure").trim().parse().ok();
    messages::ask(
        &st.app,
        &ctx.actor,
        &f.get("module"),
        disclosure,
        &f.get("kind"),
        &f.get("body"),
    )
    .await
    .lang(ctx.lang)?;
    Ok(redirect("/me", Flash::Recorded))
}

/// `/disclosures/messages`: the area's messages, unanswered first; answer forms.
pub async fn messages_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let mut list = messages::of_area(&st.app, &ctx.actor, app::disclosure::today())
        .await
        .lang(l)?;
    list.sort_by_key(|m| (m.row.answered_at.is_some(), std::cmp::Reverse(m.row.id)));
    let can_answer = ctx
        .actor
        .role
        .can(domain::access::Permission::PrepareDisclosure);
    let overdue = list.iter().filter(|m| m.overdue).count();
    // Per kind: how many, how many wait for an answer, how many of those are overdue.
    let by_kind: Vec<(MessageKind, usize, usize, usize)> = MessageKind::ALL
        .into_iter()
        .map(|k| {
            let of = list.iter().filter(|m| m.row.kind == k.key());
            let (mut n, mut open, mut late) = (0, 0, 0);
            for m in of {
                n += 1;
                open += usize::from(m.row.answered_at.is_none());
                late += usize::from(m.overdue);
            }
            (k, n, open, late)
        })
        .collect();
    let body = html! {
        p { (l.t("逾期未答复（超过 5 个工作日）：", "Overdue (over 5 working days): ")) b class=[(overdue > 0).then_some("error")] { (overdue) } }
        table class="cards" {
            thead { tr { th { (l.t("类型", "Kind")) } th { (l.t("留言", "Messages")) } th { (l.t("待答复", "Waiting")) } th { (l.t("逾期", "Overdue")) } } }
            tbody { @for (k, n, open, late) in &by_kind { tr {
                td data-label=(l.t("类型", "Kind")) { (l.t(k.label_zh(), k.label_en())) }
                td data-label=(l.t("留言", "Messages")) { (n) }
                td data-label=(l.t("待答复", "Waiting")) { (open) }
                td data-label=(l.t("逾期", "Overdue")) class=[(*late > 0).then_some("error")] { (late) }
            } } }
        }
        @for m in &list {
            div class="card" {
                p { b { (MessageKind::parse(&m.row.kind).map(|k| l.t(k.label_zh(), k.label_en())).unwrap_or("")) } " · " (m.row.author_name) " · " (local_time(&m.row.created_at))
                    @if let Some(d) = m.row.disclosure_id { " · " a href={ "/public/disclosures/" (d) } { (l.t("公开 #", "disclosure #")) (d) } }
                    @if m.overdue { " " span class="error" { (l.t("逾期", "overdue")) } } }
                p style="white-space: pre-wrap" { (m.row.body) }
                @if let Some(a) = &m.row.answer { p class="flash" style="white-space: pre-wrap" { (a) " — " (m.row.answered_by_name.clone().unwrap_or_default()) } }
                @else if can_answer {
                    form method="post" action={ "/disclosures/messages/" (m.row.id) "/answer" } {
                        (csrf(&ctx))
                        div { label for={ "answer-" (m.row.id) } { (l.t("答复", "Answer")) } textarea id={ "answer-" (m.row.id) } name="answer" rows="3" required {} }
                        div { label for={ "kind-" (m.row.id) } { (l.t("归类", "Classify as")) } (kind_select(l, &format!("kind-{}", m.row.id), &m.row.kind)) }
                        button type="submit" { (l.t("答复", "Answer")) }
                    }
                }
            }
        }
        @if list.is_empty() { p class="muted" { (l.t("没有留言。", "No messages.")) } }
    };
    Ok(page(
        &ctx,
        l.t("村民留言", "Villagers' messages"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn answer(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let kind = f.get(&format!("kind-{id}"));
    messages::answer(&st.app, &ctx.actor, id, &f.get("answer"), Some(&kind))
        .await
        .lang(ctx.lang)?;
    Ok(redirect("/disclosures/messages", Flash::Saved))
}

/// `/disclosures/registrations`: registrations to confirm in person.
pub async fn registrations(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let list = villagers::pending_with_candidates(&st.app, &ctx.actor)
        .await
        .lang(l)?;
    let body = html! {
        p { (l.t("以下注册未能与户籍自动核对一致。请本人持身份证到村委会当面核验后，选择对应的户籍成员予以确认。", "These registrations did not match the registry automatically. After checking the person's ID card face to face, choose the registry member they are.")) }
        @for p in &list {
            div class="card" {
                p { b { (p.request.name) } " · " (p.request.id_masked) " · " (p.request.phone_masked) " · " (local_time(&p.request.created_at)) }
                @if p.candidates.is_empty() { p class="muted" { (l.t("本村户籍中没有同名成员。", "No member of this name in the village's registry.")) } }
                @else {
                    form method="post" action={ "/disclosures/registrations/" (p.request.id) "/confirm" } {
                        (csrf(&ctx))
                        @for (id, no, relation, masked) in &p.candidates { label { input type="radio" name="member_id" value=(id) required; " " (no) " · " (relation) " · " (masked) } }
                        button type="submit" { (l.t("当面核验无误，确认", "Checked in person: confirm")) }
                    }
                }
            }
        }
        @if list.is_empty() { p class="muted" { (l.t("没有待核验的注册。", "No registrations waiting.")) } }
    };
    Ok(page(
        &ctx,
        l.t("村民注册核验", "Villager registrations"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn confirm(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let member: i64 = f.get("member_id").trim().parse().unwrap_or(0);
    villagers::confirm(&st.app, &ctx.actor, id, member)
        .await
        .lang(ctx.lang)?;
    Ok(redirect("/disclosures/registrations", Flash::Saved))
}
