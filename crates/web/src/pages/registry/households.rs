//! Household files: the list with search and pagination, one household's file, the forms.

use super::units::crumbs;
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, errors_not_shown, field, page, page_with, pager};
use crate::pages::forms::{redirect, refusal, Flash, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::registry::households::{self as hh, tag_label, HouseholdInput, HouseholdView};
use app::registry::{grids, units};
use app::AppError;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use domain::registry::{FieldError, HouseholdDraft, MemberDraft, TAGS};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<String>,
    q: Option<String>,
    /// A searched resident ID, sealed (see [`search`]).
    qx: Option<String>,
    tag: Option<String>,
    page: Option<i64>,
    flash: Option<String>,
}

/// How long a sealed search stays usable (a Back press, a page turn; not a bookmark).
const SEALED_SEARCH_SECS: i64 = 3600;

/// A resident ID for a URL: encrypted (AES-GCM, so also tamper-proof) with the account's id and
/// the time inside, so the address holds no number, works only for the account that searched
/// and only for an hour, and Back/refresh need no form resubmit.
fn seal_search(st: &AppState, ctx: &Ctx, id: &str) -> Option<String> {
    let user = ctx.actor.user_id?;
    let now = chrono::Utc::now().timestamp();
    st.app.cipher.encrypt(&format!("{user}:{now}:{id}")).ok()
}

fn unseal_search(st: &AppState, ctx: &Ctx, sealed: &str) -> Option<String> {
    let plain = st.app.cipher.decrypt(sealed).ok()?;
    let mut parts = plain.splitn(3, ':');
    let user: i64 = parts.next()?.parse().ok()?;
    let at: i64 = parts.next()?.parse().ok()?;
    let id = parts.next()?;
    let age = chrono::Utc::now().timestamp() - at;
    (Some(user) == ctx.actor.user_id && (0..=SEALED_SEARCH_SECS).contains(&age))
        .then(|| id.to_string())
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(mut q): PageQuery<ListQuery>,
) -> PageResult {
    if let Some(sealed) = q.qx.take() {
        // A sealed search of another account (or an old key) is simply not applied.
        q.q = unseal_search(&st, &ctx, &sealed);
    }
    render_list(&st, &ctx, q).await
}

/// The search form posts, so a full resident ID typed in it never appears in a URL (browser
/// history, proxy logs), then redirects to the list (so Back and refresh do not ask to resend
/// a form): names and numbers as `q`, a resident ID sealed as `qx`.
pub async fn search(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let text = f.get("q").trim().to_string();
    let query = if looks_like_id(&text) {
        match seal_search(&st, &ctx, &text) {
            Some(sealed) => format!("qx={}", enc(&sealed)),
            None => String::new(),
        }
    } else {
        format!("q={}", enc(&text))
    };
    let to = format!(
        "/households?unit={}&tag={}&{query}",
        enc(f.get("unit").trim()),
        enc(f.get("tag").trim())
    );
    Ok(axum::response::Redirect::to(&domain::redirect::same_site_path(&to)).into_response())
}

/// A household list for a page. A search the area refuses (a lone character across a township)
/// comes back as its message, to show next to the search box with the list empty, instead of
/// an error page.
pub(crate) async fn list_or_refusal(
    st: &AppState,
    ctx: &Ctx,
    unit: &str,
    text: Option<&str>,
    tag: Option<&str>,
    page_no: i64,
    per_page: i64,
) -> Result<(hh::Page<HouseholdView>, Option<String>), crate::error::PageError> {
    refusal_as_message(
        ctx,
        per_page,
        hh::list(&st.app, &ctx.actor, unit, text, tag, page_no, per_page).await,
    )
}

/// A list, or the search refusal as its message with the list empty.
fn refusal_as_message(
    ctx: &Ctx,
    per_page: i64,
    listed: Result<hh::Page<HouseholdView>, AppError>,
) -> Result<(hh::Page<HouseholdView>, Option<String>), crate::error::PageError> {
    match listed {
        Ok(r) => Ok((r, None)),
        Err(AppError::Invalid(errors)) if errors.iter().all(|e| e.field == "q") => Ok((
            hh::Page {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page,
            },
            errors
                .into_iter()
                .next()
                .map(|e| e.message.pick(ctx.lang.is_zh()).to_string()),
        )),
        Err(e) => Err(crate::error::PageError::new(e, ctx.lang)),
    }
}

async fn render_list(st: &AppState, ctx: &Ctx, q: ListQuery) -> PageResult {
    let ctx = ctx.clone();
    let l = ctx.lang;
    let a = &ctx.actor;
    let unit = q
        .unit
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| a.scope.root.clone());
    let page_no = q.page.unwrap_or(1);
    let unit_info = if unit.is_empty() {
        None
    } else {
        Some(units::get(&st.app, a, &unit).await.lang(l)?)
    };
    let (result, search_error) = refusal_as_message(
        &ctx,
        30,
        hh::list_in(
            &st.app,
            a,
            unit_info.as_ref(),
            q.q.as_deref(),
            q.tag.as_deref(),
            page_no,
            30,
        )
        .await,
    )?;
    let trail = match &unit_info {
        None => Vec::new(),
        Some(u) => units::breadcrumb_to(&st.app, a, u).await.lang(l)?,
    };
    let is_village = unit_info
        .as_ref()
        .map(|u| u.level == "village")
        .unwrap_or(false);
    let grid_opts = match &unit_info {
        Some(u) if is_village && a.role.can(Permission::ManageGrids) => {
            grids::of_village_unit(&st.app, a, u).await.lang(l)?
        }
        _ => Vec::new(),
    };
    let can_edit = a.role.can(Permission::EditHouseholds);
    // Roles that may not see tags get no tag filter (the list refuses one).
    let sees_tags = domain::privacy::shown(a.role, domain::privacy::PersonField::Tags)
        != domain::privacy::Shown::Hidden;
    // A full resident ID is never repeated in page links in clear: sealed like the search.
    let text = q.q.as_deref().unwrap_or("");
    let text_param = if looks_like_id(text) {
        format!(
            "qx={}",
            enc(&seal_search(st, &ctx, text).unwrap_or_default())
        )
    } else {
        format!("q={}", enc(text))
    };
    let base = format!(
        "/households?unit={}&{text_param}&tag={}",
        enc(&unit),
        enc(q.tag.as_deref().unwrap_or(""))
    );
    let title = match &unit_info {
        Some(u) => format!("{} · {}", u.name, l.t("户籍档案", "Households")),
        None => l.t("户籍档案", "Households").to_string(),
    };
    let table = html! {
        div class="scroll" { table class="cards" {
            thead { tr { @if !grid_opts.is_empty() { th {} } th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("人数", "People")) } th { (l.t("地址", "Address")) } th { (l.t("网格", "Grid")) } th { (l.t("标签", "Tags")) } } }
            tbody { @for h in &result.items { tr {
                @if !grid_opts.is_empty() { td { input type="checkbox" name="household" value=(h.id) aria-label=(h.household_no); } }
                td data-label=(l.t("户号", "No.")) { a href={ "/households/" (h.id) } { (h.household_no) } }
                td data-label=(l.t("户主", "Head")) { (h.head_name) } td data-label=(l.t("人数", "People")) { (h.member_count) } td data-label=(l.t("地址", "Address")) { (h.address) }
                td data-label=(l.t("网格", "Grid")) { (h.grid_name.as_deref().unwrap_or("")) }
                td data-label=(l.t("标签", "Tags")) { @for t in &h.tags { span class="tag" { (tag_label(t, l.is_zh())) } } }
            } } }
        } }
    };
    let body = html! {
        (crumbs(&trail))
        form method="post" action="/households" class="row" {
            (csrf(&ctx))
            input type="hidden" name="unit" value=(unit);
            div { label for="q" { @if is_village || unit.len() > 12 {
                        (l.t("搜索（户号、姓名、地址或完整身份证号）", "Search (number, name, address or a full resident ID)"))
                    } @else {
                        (l.t("搜索（姓名开头至少两个字，或完整身份证号）", "Search (the start of a name, two characters or more, or a full resident ID)"))
                    } }
                input id="q" name="q" value=(q.q.as_deref().filter(|t| !looks_like_id(t)).unwrap_or("")) type="search"
                    aria-invalid=[search_error.as_ref().map(|_| "true")] aria-describedby=[search_error.as_ref().map(|_| "q-error")];
                @if let Some(e) = &search_error { p class="error" id="q-error" role="alert" { (e) } } }
            @if sees_tags {
                div { label for="tag" { (l.t("标签", "Tag")) }
                    select id="tag" name="tag" { option value="" { (l.t("全部", "All")) }
                        @for t in TAGS { option value=(t.0) selected[q.tag.as_deref() == Some(t.0)] { (if l.is_zh() { t.1 } else { t.2 }) } } } }
            }
            div { button type="submit" { (l.t("搜索", "Search")) } }
        }
        @if can_edit && is_village {
            p { a class="button" href={ "/households/new?village=" (unit) } { (l.t("新增农户", "New household")) } " "
                a class="button secondary" href={ "/households/import?village=" (unit) } { (l.t("批量导入", "Import")) } }
        }
        @if result.items.is_empty() && search_error.is_none() {
            p class="muted" role="status" { @if q.q.is_some() || q.tag.is_some() {
                @if let Some(text) = q.q.as_deref() {
                    (l.t("没有找到“", "Nothing found for “")) (searched_as_shown(text)) (l.t("”。", "”. "))
                }
                (l.t("可以换个写法（户号、户主或家庭成员姓名），或清空搜索看全部。",
                     "Try another spelling (number, head's or a member's name), or clear the search to see all."))
                " " a href={ "/households?unit=" (enc(&unit)) } { (l.t("清空搜索", "Clear the search")) }
            } @else {
                (l.t("这里还没有农户档案。", "No household files here yet."))
            } }
        }
        @if grid_opts.is_empty() { (table) } @else {
            form method="post" action={ "/units/" (unit) "/assign" } {
                (csrf(&ctx)) (table)
                div class="row" {
                    div { label for="grid" { (l.t("将勾选农户分配到网格", "Assign checked households to")) }
                        select id="grid" name="grid" { option value="" { (l.t("（不分配）", "(no grid)")) }
                            @for g in &grid_opts { option value=(g.unit.code) { (g.unit.name) " (" (l.level(&g.unit.level)) ", " (g.households) ")" } } } }
                    div { button type="submit" { (l.t("分配", "Assign")) } }
                }
            }
        }
        (pager(l, &base, result.page, result.per_page, result.total))
    };
    Ok(page(&ctx, &title, q.flash.as_deref(), body).into_response())
}

pub async fn file(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let l = ctx.lang;
    let a = &ctx.actor;
    let h = hh::get(&st.app, a, id).await.lang(l)?;
    let trail = units::breadcrumb(
        &st.app,
        a,
        h.grid_code.as_deref().unwrap_or(&h.village_code),
    )
    .await
    .unwrap_or_default();
    let body = file_body(&ctx, &h, &trail, &[], &MemberDraft::default());
    Ok(page(
        &ctx,
        &format!("{} {}", h.household_no, h.head_name),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub fn file_body(
    ctx: &Ctx,
    h: &HouseholdView,
    trail: &[units::Unit],
    member_errors: &[FieldError],
    member: &MemberDraft,
) -> Markup {
    let l = ctx.lang;
    let a = &ctx.actor;
    let can_edit = a.role.can(Permission::EditHouseholds);
    let can_reveal = a.role.can(Permission::RevealPersonal);
    let members = h.members.clone().unwrap_or_default();
    html! {
        (crumbs(trail))
        div class="card" {
            p { b { (l.t("户号：", "Household no.: ")) } (h.household_no) }
            p { b { (l.t("户主：", "Head: ")) } (h.head_name) }
            p { b { (l.t("地址：", "Address: ")) } (h.address) }
            p { b { (l.t("网格：", "Grid: ")) } (h.grid_name.as_deref().unwrap_or("—")) }
            p { b { (l.t("标签：", "Tags: ")) } @for t in &h.tags { span class="tag" { (tag_label(t, l.is_zh())) } } }
            @if !h.notes.is_empty() { p { b { (l.t("备注：", "Notes: ")) } (h.notes) } }
            p class="muted" { (l.t("更新于 ", "Updated ")) (crate::layout::local_time(&h.updated_at)) }
            @if can_edit { p { a class="button secondary" href={ "/households/" (h.id) "/edit" } { (l.t("编辑", "Edit")) } } }
        }
        h2 { (l.t("家庭成员", "Members")) }
        div class="scroll" { table {
            thead { tr { th { (l.t("姓名", "Name")) } th { (l.t("关系", "Relation")) } th { (l.t("性别", "Sex")) } th { (l.t("出生日期", "Born")) } th { (l.t("身份证号", "Resident ID")) } th { (l.t("电话", "Phone")) } th {} } }
            tbody { @for m in &members { tr {
                td { (m.name) } td { (m.relation) } td { (l.sex(m.sex.as_deref())) } td { @if let Some(d) = &m.birth_date { (d) } @else if let Some(y) = m.birth_year { (y) (l.t("年", "")) } }
                td { code { (m.resident_id.as_deref().unwrap_or("")) } } td { (m.phone.as_deref().unwrap_or("")) }
                td {
                    @if can_reveal && (m.resident_id.is_some() || m.phone.is_some()) {
                        form method="post" action={ "/households/" (h.id) "/members/" (m.id) "/reveal" } style="display:inline" { (csrf(ctx))
                            input type="hidden" name="what" value="resident_id";
                            button class="secondary" type="submit" title=(l.t("查看完整号码（将记入审计日志）", "Show in full (audited)")) { (l.t("查看", "Reveal")) } }
                    }
                    @if can_edit { " " a href={ "/households/" (h.id) "/members/" (m.id) } { (l.t("编辑", "Edit")) } }
                }
            } } }
        } }
        @if can_edit {
            h2 { (l.t("添加成员", "Add a member")) }
            form method="post" action={ "/households/" (h.id) "/members" } { (csrf(ctx)) (member_fields(l, member, member_errors)) p { button type="submit" { (l.t("添加", "Add")) } } }
        }
    }
}

pub fn member_fields(l: crate::i18n::Lang, m: &MemberDraft, errors: &[FieldError]) -> Markup {
    html! {
        div class="row" {
            (field(l.t("姓名", "Name"), "name", &m.name, errors, true))
            (field(l.t("与户主关系", "Relation to head"), "relation", &m.relation, errors, false))
            (crate::layout::choice_field(l.t("性别", "Sex"), "sex", sex_value(&m.sex), &[("男", l.t("男", "Male")), ("女", l.t("女", "Female"))], errors, false))
        }
        div class="row" {
            (crate::layout::date_field(l.t("出生日期", "Birth date"), "birth_date", &m.birth_date, errors, false))
            (field(l.t("身份证号", "Resident ID"), "resident_id", &m.resident_id, errors, false))
            (field(l.t("联系电话", "Phone"), "phone", &m.phone, errors, false))
        }
        (errors_not_shown(l, errors, &["name", "relation", "sex", "birth_date", "resident_id", "phone"]))
    }
}

fn household_form(
    ctx: &Ctx,
    action: &str,
    d: &HouseholdDraft,
    grid: &str,
    grid_opts: &[grids::GridInfo],
    errors: &[FieldError],
    with_head: Option<&MemberDraft>,
) -> Markup {
    let l = ctx.lang;
    let tags: Vec<&str> = d.tags.split(',').map(str::trim).collect();
    html! {
        form method="post" action=(action) { (csrf(ctx))
            div class="row" {
                (field(l.t("户号", "Household no."), "household_no", &d.household_no, errors, true))
                (field(l.t("户主姓名", "Head of household"), "head_name", &d.head_name, errors, true))
            }
            (field(l.t("地址", "Address"), "address", &d.address, errors, false))
            label for="grid_code" { (l.t("网格/微网格", "Grid / micro-grid")) }
            select id="grid_code" name="grid_code" { option value="" { "—" }
                @for g in grid_opts { option value=(g.unit.code) selected[g.unit.code == grid] { (g.unit.name) " (" (l.level(&g.unit.level)) ")" } } }
            @for e in errors.iter().filter(|e| e.field == "grid_code") { div class="field-error" { (e.message) } }
            label { (l.t("标签", "Tags")) }
            div { @for t in TAGS { label style="display:inline-block;font-weight:400;margin-right:1rem" {
                input type="checkbox" name="tag" value=(t.0) checked[tags.contains(&t.0)]; " " (if l.is_zh() { t.1 } else { t.2 }) } } }
            label for="notes" { (l.t("备注", "Notes")) }
            textarea id="notes" name="notes" rows="3" { (d.notes) }
            @if let Some(head) = with_head {
                h2 { (l.t("户主信息", "Head of household")) }
                div class="row" {
                    (field(l.t("户主身份证号", "Head's resident ID"), "resident_id", &head.resident_id, errors, false))
                    (field(l.t("联系电话", "Phone"), "phone", &head.phone, errors, false))
                }
            }
            (errors_not_shown(l, errors, &["household_no", "head_name", "address", "grid_code", "tags", "notes", "resident_id", "phone"]))
            p { button type="submit" { (l.t("保存", "Save")) } }
        }
    }
}

fn draft_from(form: &RawForm, f: &crate::pages::forms::CsrfForm) -> HouseholdDraft {
    HouseholdDraft {
        household_no: f.get("household_no"),
        address: f.get("address"),
        head_name: f.get("head_name"),
        tags: crate::pages::forms::CsrfForm::all(&form.0, "tag").join(","),
        notes: f.get("notes"),
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    village: String,
}

#[derive(Deserialize)]
pub struct MaybeVillage {
    village: Option<String>,
}

/// Without `?village=`: a village cadre's own village is meant; anyone else picks the village
/// in the household list first (the list's "new household" button carries it).
pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<MaybeVillage>,
) -> PageResult {
    let l = ctx.lang;
    let root = &ctx.actor.scope.root;
    let q = match q.village.filter(|v| !v.trim().is_empty()) {
        Some(village) => NewQuery { village },
        None if root.len() == 12 => NewQuery {
            village: root.clone(),
        },
        None => {
            let body = html! {
                p { (l.t("请先在户籍档案中进入要新增农户的村，再点“新增农户”。", "Open the village in the household list first, then choose \"New household\".")) }
                p { a class="button" href="/households" { (l.t("去户籍档案", "Go to households")) } }
            };
            return Ok(page(&ctx, l.t("新增农户", "New household"), None, body).into_response());
        }
    };
    let grid_opts = grids::of_village(&st.app, &ctx.actor, &q.village)
        .await
        .lang(l)?;
    let body = household_form(
        &ctx,
        &format!("/households/new?village={}", q.village),
        &HouseholdDraft::default(),
        "",
        &grid_opts,
        &[],
        Some(&MemberDraft::default()),
    );
    Ok(page(&ctx, l.t("新增农户", "New household"), None, body).into_response())
}

pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<NewQuery>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let draft = draft_from(&form, &f);
    let head = MemberDraft {
        name: draft.head_name.clone(),
        relation: "户主".into(),
        resident_id: f.get("resident_id"),
        phone: f.get("phone"),
        ..Default::default()
    };
    let input = HouseholdInput {
        village_code: q.village.clone(),
        grid_code: Some(f.get("grid_code")),
        fields: draft.clone(),
        members: vec![head.clone()],
    };
    match hh::create(&st.app, &ctx.actor, input).await {
        Ok(id) => Ok(redirect(&format!("/households/{id}"), Flash::Created)),
        Err(e) => {
            // Head-member errors are shown at the head's fields; the household's own fields
            // share names with the member's (name), so the rest are listed with the member.
            // (`refusal` already put each message in the reader's language.)
            let zh = ctx.lang.is_zh();
            let (status, errors) = refusal(e, l)?;
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|e| match (e.member, e.field) {
                    (Some(1), "resident_id" | "phone") => FieldError::new(e.field, e.message),
                    (Some(_), _) => FieldError::new("members", e.located(zh)),
                    (None, _) => e,
                })
                .collect();
            let grid_opts = grids::of_village(&st.app, &ctx.actor, &q.village)
                .await
                .lang(l)?;
            let body = household_form(
                &ctx,
                &format!("/households/new?village={}", q.village),
                &draft,
                &f.get("grid_code"),
                &grid_opts,
                &errors,
                Some(&head),
            );
            Ok(page_with(
                status,
                &ctx,
                l.t("新增农户", "New household"),
                body,
            ))
        }
    }
}

pub async fn edit_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let l = ctx.lang;
    let h = hh::get(&st.app, &ctx.actor, id).await.lang(l)?;
    let grid_opts = grids::of_village(&st.app, &ctx.actor, &h.village_code)
        .await
        .unwrap_or_default();
    let d = HouseholdDraft {
        household_no: h.household_no.clone(),
        address: h.address.clone(),
        head_name: h.head_name.clone(),
        tags: h.tags.join(","),
        notes: h.notes.clone(),
    };
    let body = html! {
        (household_form(&ctx, &format!("/households/{id}"), &d, h.grid_code.as_deref().unwrap_or(""), &grid_opts, &[], None))
        form method="post" action={ "/households/" (id) "/delete" } { (csrf(&ctx))
            button class="secondary" type="submit" { (l.t("删除此户", "Delete this household")) } }
    };
    Ok(page(&ctx, l.t("编辑农户", "Edit household"), None, body).into_response())
}

pub async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let draft = draft_from(&form, &f);
    match hh::update(
        &st.app,
        &ctx.actor,
        id,
        Some(f.get("grid_code")),
        draft.clone(),
    )
    .await
    {
        Ok(()) => Ok(redirect(&format!("/households/{id}"), Flash::Saved)),
        Err(e) => {
            let (status, errors) = refusal(e, l)?;
            let h = hh::get(&st.app, &ctx.actor, id).await.lang(l)?;
            let grid_opts = grids::of_village(&st.app, &ctx.actor, &h.village_code)
                .await
                .unwrap_or_default();
            let body = household_form(
                &ctx,
                &format!("/households/{id}"),
                &draft,
                &f.get("grid_code"),
                &grid_opts,
                &errors,
                None,
            );
            Ok(page_with(
                status,
                &ctx,
                l.t("编辑农户", "Edit household"),
                body,
            ))
        }
    }
}

pub async fn delete(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    let h = hh::get(&st.app, &ctx.actor, id).await.lang(ctx.lang)?;
    hh::delete(&st.app, &ctx.actor, id).await.lang(ctx.lang)?;
    Ok(redirect(
        &format!("/households?unit={}", h.village_code),
        Flash::Deleted,
    ))
}

/// The sex choice's value for what a draft holds (`男`, `male`, `M` … all mean the same).
fn sex_value(s: &str) -> &'static str {
    match domain::registry::Sex::parse(s) {
        Some(domain::registry::Sex::Male) => "男",
        Some(domain::registry::Sex::Female) => "女",
        None => "",
    }
}

/// What was searched, as the result page may repeat it: anything that looks like an ID masked.
fn searched_as_shown(text: &str) -> String {
    if looks_like_id(text) {
        domain::mask::mask_resident_id(text)
    } else {
        text.to_string()
    }
}

/// Search text that is, or is close to, a resident ID (15 or more digits, X allowed): sealed in
/// addresses, masked when repeated and not written back into the search box — a mistyped ID is
/// still somebody's number.
fn looks_like_id(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 15
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x')
}
