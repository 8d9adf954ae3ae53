//! Disclosures for those who publish and supervise them: drafts (prepare, approve, publish),
//! and the on-time table of a township or county.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::i18n::Lang;
use crate::layout::{csrf, field, local_time, page};
use crate::pages::forms::{redirect, Flash, FlashQuery, PagePath, PageQuery, RawForm};
use crate::AppState;
use app::disclosure::{board, drafts, DraftInput};
use app::AppError;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::access::{Permission, Role};
use domain::disclosure::schedule::Status;
use domain::message::FieldError;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct VillageQuery {
    #[serde(default)]
    village: String,
    #[serde(default)]
    supersedes: Option<i64>,
}

/// `/disclosures`: open drafts in the account's area, and where to go next.
pub async fn index(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let list = drafts::open_drafts(&st.app, &ctx.actor).await.lang(l)?;
    let root = ctx.actor.scope.root.clone();
    let body = html! {
        p {
            @if ctx.actor.role.can(Permission::PrepareDisclosure) && root.len() == 12 {
                a class="button" href={ "/disclosures/new?village=" (root) } { (l.t("新建公开", "New disclosure")) } " "
            }
            @if root.len() == 12 { a href={ "/public/villages/" (root) } { (l.t("本村公开栏", "The village's board")) } " · " }
            a href={ "/disclosures/schedule?unit=" (root) } { (l.t("按时公开情况", "On-time table")) } " · "
            a href="/disclosures/messages" { (l.t("村民留言", "Villagers' messages")) }
            @if ctx.actor.role.can(Permission::EditHouseholds) { " · " a href="/disclosures/registrations" { (l.t("村民注册核验", "Villager registrations")) } }
        }
        @if ctx.actor.role.can(Permission::PrepareDisclosure) && root.len() == 12 {
            details { summary { (l.t("从台账生成月度财务收支", "Monthly statement from the ledgers")) }
                (super::edit::generate_form(&ctx, &root, "", &[])) }
        }
        h2 { (l.t("待发布的草稿", "Drafts not yet published")) }
        @if list.is_empty() { p class="muted" { (l.t("没有待发布的草稿。", "No drafts waiting.")) } }
        @else {
            table class="cards" {
                thead { tr { th { (l.t("标题", "Title")) } th { (l.t("类别", "Category")) } th { (l.t("期间", "Period")) } th { (l.t("编制人", "Prepared by")) } th { (l.t("审核", "Approval")) } } }
                tbody { @for d in &list { tr {
                    td data-label=(l.t("标题", "Title")) { a href={ "/disclosures/drafts/" (d.id) } { (d.content.title) } }
                    td data-label=(l.t("类别", "Category")) { (category_name(&st, &d.content.category)) }
                    td data-label=(l.t("期间", "Period")) { (d.content.period) }
                    td data-label=(l.t("编制人", "Prepared by")) { (d.prepared_by_name) }
                    td data-label=(l.t("审核", "Approval")) { @if let Some(a) = &d.approved_by_name { (a) } @else { "—" } }
                } } }
            }
        }
    };
    Ok(page(
        &ctx,
        l.t("三务公开", "Disclosures"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

fn category_name(st: &AppState, key: &str) -> String {
    st.app
        .config
        .disclosure
        .get(key)
        .map(|c| c.name.clone())
        .unwrap_or_else(|_| key.to_string())
}

/// What was typed, kept when the form is answered with problems.
#[derive(Default)]
struct Typed {
    category: String,
    period: String,
    title: String,
    body: String,
    supersedes: Option<i64>,
}

fn form_markup(
    st: &AppState,
    ctx: &Ctx,
    village: &str,
    t: &Typed,
    errors: &[FieldError],
) -> Markup {
    let l = ctx.lang;
    let cats = &st.app.config.disclosure.categories;
    let err = |f: &str| -> Markup {
        html! { @for e in errors.iter().filter(|e| e.field == f) { div class="field-error" { (e.message) } } }
    };
    html! {
        form method="post" action={ "/disclosures/new?village=" (village) } enctype="multipart/form-data" {
            (csrf(ctx))
            @if let Some(s) = t.supersedes { input type="hidden" name="supersedes" value=(s); p class="flash" { (l.t("更正公开 #", "Correcting disclosure #")) (s) } }
            div {
                label for="category" { (l.t("公开类别", "Category")) " *" }
                select id="category" name="category" required {
                    @for c in cats { option value=(c.key) selected[c.key == t.category] { (l.t(c.module.label_zh(), c.module.label_en())) " · " (if l.is_zh() { &c.name } else { &c.name_en }) " · " (c.cadence.label_zh()) } }
                }
                (err("category"))
            }
            (field(l.t("期间（2026-11、2026-Q3 或事项日期 2026-11-05）", "Period (2026-11, 2026-Q3 or the event's date 2026-11-05)"), "period", &t.period, errors, true))
            (field(l.t("标题", "Title"), "title", &t.title, errors, true))
            div {
                label for="body" { (l.t("正文", "Body")) }
                textarea id="body" name="body" rows="8" { (t.body) }
                (err("body"))
            }
            div {
                label for="table" { (l.t("表格（CSV 或 XLSX，可选；金额列表头以“（分）”结尾）", "Table (CSV or XLSX, optional; money columns' headers end in （分）)")) }
                input id="table" name="file" type="file" accept=".csv,.xlsx";
                (err("table"))
            }
            div {
                label for="attachment" { (l.t("附件（PDF、JPEG 或 PNG，最多 5 个，每个不超过 5 MB）", "Attachments (PDF, JPEG or PNG; up to 5, 5 MB each)")) }
                input id="attachment" name="attachment" type="file" multiple accept=".pdf,.jpg,.jpeg,.png";
                (err("attachments"))
            }
            button type="submit" { (l.t("保存草稿", "Save draft")) }
        }
    }
}

/// `/disclosures/new?village=`
pub async fn new_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<VillageQuery>,
) -> PageResult {
    let l = ctx.lang;
    ctx.actor.require(Permission::PrepareDisclosure).lang(l)?;
    let v = app::registry::units::get(&st.app, &ctx.actor, &q.village)
        .await
        .lang(l)?;
    let t = Typed {
        supersedes: q.supersedes,
        ..Typed::default()
    };
    let title = format!("{} · {}", v.name, l.t("新建公开", "New disclosure"));
    Ok(page(
        &ctx,
        &title,
        None,
        form_markup(&st, &ctx, &q.village, &t, &[]),
    )
    .into_response())
}

pub async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<VillageQuery>,
    mp: Multipart,
) -> PageResult {
    let l = ctx.lang;
    let mut up = super::edit::DraftUpload::read(&ctx, mp).await?;
    let t = Typed {
        category: up.get("category"),
        period: up.get("period"),
        title: up.get("title"),
        body: up.get("body"),
        supersedes: up.get("supersedes").trim().parse().ok(),
    };
    let (file, bytes, attachments) = (
        up.table_file.clone(),
        std::mem::take(&mut up.table_bytes),
        up.attachments(),
    );
    let table = if bytes.is_empty() {
        None
    } else {
        match app::disclosure::read_table(&file, &bytes, &st.app.config.import) {
            Ok(rows) => Some(rows),
            Err(AppError::Import(issues)) => {
                let errors: Vec<FieldError> = issues
                    .iter()
                    .map(|i| FieldError::new("table", i.line(l.is_zh())))
                    .collect();
                return refused(&st, &ctx, &q.village, &t, &errors);
            }
            Err(e) => return Err(PageError::new(e, l)),
        }
    };
    let input = DraftInput {
        unit_code: q.village.clone(),
        category: t.category.clone(),
        module: String::new(),
        period: t.period.clone(),
        title: t.title.clone(),
        body: t.body.clone(),
        table,
        supersedes: t.supersedes,
        attachments,
    };
    match drafts::prepare(&st.app, &ctx.actor, input).await {
        Ok(id) => Ok(redirect(
            &format!("/disclosures/drafts/{id}"),
            Flash::Created,
        )),
        Err(AppError::Invalid(errors)) => refused(&st, &ctx, &q.village, &t, &errors),
        Err(e) => Err(PageError::new(e, l)),
    }
}

fn refused(
    st: &AppState,
    ctx: &Ctx,
    village: &str,
    t: &Typed,
    errors: &[FieldError],
) -> PageResult {
    let l = ctx.lang;
    let errors: Vec<FieldError> = errors.iter().map(|e| e.only(l.is_zh())).collect();
    let body = form_markup(st, ctx, village, t, &errors);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(ctx, l.t("新建公开", "New disclosure"), None, body),
    )
        .into_response())
}

/// `/disclosures/drafts/{id}`: the draft, and what may be done with it now (or why not).
pub async fn show_draft(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let d = drafts::draft(&st.app, &ctx.actor, id).await.lang(l)?;
    let cat = st.app.config.disclosure.get(&d.content.category).ok();
    let needs = cat.is_some_and(|c| c.needs_approval);
    let me = ctx.actor.user_id.unwrap_or(0);
    let can_approve =
        ctx.actor.role == Role::Supervisor && d.approved_by.is_none() && d.prepared_by != me;
    let can_publish =
        ctx.actor.role.can(Permission::PrepareDisclosure) && (!needs || d.approved_by.is_some());
    let table: Option<domain::disclosure::table::Table> = d
        .content
        .table_json
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let body = html! {
        p class="muted" { (category_name(&st, &d.content.category)) " · " (d.content.period) " · " (l.t("编制：", "prepared by ")) (d.prepared_by_name) }
        @if let Some(p) = d.published_id { p class="flash" { (l.t("已发布：", "Published: ")) a href={ "/public/disclosures/" (p) } { (l.t("查看", "view")) } } }
        h2 { (d.content.title) }
        div style="white-space: pre-wrap" { (d.content.body) }
        @if let Some(t) = &table {
            div class="scroll" { table {
                thead { tr { @for (i, _) in t.columns.iter().enumerate() { th { (t.shown_header(i)) } } } }
                tbody { @for r in &t.rows { tr { @for (i, c) in r.iter().enumerate() { td { (t.shown_cell(i, c)) } } } } }
            } }
        }
        @if d.published_id.is_none() {
            @if ctx.actor.role.can(Permission::PrepareDisclosure) { p { a href={ "/disclosures/drafts/" (d.id) "/edit" } { (l.t("编辑草稿", "Edit the draft")) } } }
            h2 { (l.t("审核与发布", "Approval and publication")) }
            @if needs {
                @if let Some(a) = &d.approved_by_name { p { (l.t("已由村务监督委员会成员审核：", "Approved by the supervision committee member ")) (a) } }
                @else if can_approve {
                    form method="post" action={ "/disclosures/drafts/" (d.id) "/approve" } { (csrf(&ctx)) input type="hidden" name="seen" value=(d.updated_at); button type="submit" { (l.t("审核通过", "Approve")) } }
                } @else {
                    p class="muted" { (l.t("财务公开须由本村村务监督委员会成员（非编制人）审核后才能发布。", "A finance disclosure is published only after a supervision committee member of the village (not its preparer) approves it.")) }
                }
            }
            @if can_publish {
                form method="post" action={ "/disclosures/drafts/" (d.id) "/publish" } { (csrf(&ctx)) button type="submit" { (l.t("发布（发布后不可修改）", "Publish (final once published)")) } }
            } @else if ctx.actor.role.can(Permission::PrepareDisclosure) {
                p { button type="button" disabled { (l.t("发布", "Publish")) } " " span class="muted" { (l.t("等待审核", "waiting for approval")) } }
            }
        }
    };
    Ok(page(
        &ctx,
        l.t("公开草稿", "Disclosure draft"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn approve(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let seen = f.get("seen");
    drafts::approve(&st.app, &ctx.actor, id, Some(&seen))
        .await
        .lang(ctx.lang)?;
    Ok(redirect(&format!("/disclosures/drafts/{id}"), Flash::Saved))
}

pub async fn publish(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    let p = drafts::publish(&st.app, &ctx.actor, id)
        .await
        .lang(ctx.lang)?;
    Ok(redirect(
        &format!("/public/disclosures/{}", p.id),
        Flash::Saved,
    ))
}

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    #[serde(default)]
    unit: String,
}

fn status_cell(l: Lang, s: &domain::disclosure::schedule::Summary) -> Markup {
    let (class, text) = match s.latest.map(|d| d.status) {
        None => ("muted", l.t("—", "—").to_string()),
        Some(Status::OnTime) if s.missing == 0 => ("ok", l.t("按时", "on time").to_string()),
        Some(st) if s.missing > 0 || matches!(st, Status::Missing { .. }) => (
            "error",
            if l.is_zh() {
                format!("缺 {} 期，最长逾期 {} 天", s.missing, s.worst_overdue_days)
            } else {
                format!("{} missing, up to {} days", s.missing, s.worst_overdue_days)
            },
        ),
        Some(st) => (
            "warn",
            if l.is_zh() {
                st.label_zh()
            } else {
                st.label_en()
            },
        ),
    };
    html! { span class=(class) { (text) } }
}

/// `/disclosures/schedule?unit=`: every village × every category, and what is overdue.
pub async fn schedule(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<UnitQuery>,
) -> PageResult {
    let l = ctx.lang;
    let unit = if q.unit.is_empty() {
        ctx.actor.scope.root.clone()
    } else {
        q.unit.clone()
    };
    let s = board::schedule(&st.app, &ctx.actor, &unit, app::disclosure::today())
        .await
        .lang(l)?;
    let figures = app::disclosure::messages::figures(&st.app, &ctx.actor, &unit)
        .await
        .lang(l)?;
    let names: std::collections::HashMap<String, String> = s
        .rows
        .iter()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    let body = html! {
        p class="muted" { (l.t("自 ", "Checked from ")) (s.since) (l.t(" 起核对，截至 ", " to ")) (s.today) (l.t("。逾期未公开的，乡镇、县应责令公布（村民委员会组织法第三十一条）。", ". Where a village has not published on time, the township or county orders it to (Organic Law art. 31).")) }
        h2 { (l.t("逾期未公开", "Overdue")) " (" (s.overdue.len()) ")" }
        @if s.overdue.is_empty() { p class="ok" { (l.t("没有逾期未公开的事项。", "Nothing is overdue.")) } }
        @else {
            table class="cards" {
                thead { tr { th { (l.t("村", "Village")) } th { (l.t("类别", "Category")) } th { (l.t("期间", "Period")) } th { (l.t("应公开日期", "Due")) } th { (l.t("逾期天数", "Days late")) } } }
                tbody { @for o in s.overdue.iter().take(500) { tr {
                    td data-label=(l.t("村", "Village")) { a href={ "/public/villages/" (o.village_code) } { (o.village_name) } }
                    td data-label=(l.t("类别", "Category")) { (o.category_name) }
                    td data-label=(l.t("期间", "Period")) { (o.due.period.label_zh()) }
                    td data-label=(l.t("应公开日期", "Due")) { (o.due.due) }
                    td data-label=(l.t("逾期天数", "Days late")) { @if let Status::Missing { days } = o.due.status { (days) } }
                } } }
            }
        }
        h2 { (l.t("各村各类别", "Every village and category")) }
        div class="scroll" { table {
            thead { tr { th { (l.t("村", "Village")) } @for (_, name) in &s.categories { th { (name) } } } }
            tbody { @for r in &s.rows { tr {
                th { a href={ "/public/villages/" (r.code) } { (r.name) } }
                @for c in &r.cells { td { (status_cell(l, c)) } }
            } } }
        } }
        h2 { (l.t("村民参与", "Villagers taking part")) }
        div class="scroll" { table {
            thead { tr { th { (l.t("村", "Village")) } th { (l.t("实名村民", "Verified villagers")) } th { (l.t("有实名村民的户", "Households with one")) } th { (l.t("留言", "Messages")) } th { (l.t("未答复", "Unanswered")) } th { (l.t("答复用时中位数（小时）", "Median hours to answer")) } } }
            tbody { @for f in &figures { tr {
                th { (names.get(&f.code).cloned().unwrap_or_else(|| f.code.clone())) }
                td { (f.villagers) }
                td { (f.households_with_villager) " / " (f.households) " (" (f.household_share_permille / 10) "." (f.household_share_permille % 10) "%)" }
                td { (f.messages) }
                td class=[(f.unanswered > 0).then_some("warn")] { (f.unanswered) }
                td { @if let Some(h) = f.median_answer_hours { (h) } @else { "—" } }
            } } }
        } }
        @if s.truncated { p class="muted" { (l.t("村过多，仅显示前 1000 个；请按乡镇查看。", "Only the first 1,000 villages are shown; open a township.")) } }
        p class="muted" { (l.t("最后更新 ", "As of ")) (local_time(&chrono::Utc::now().to_rfc3339())) }
    };
    Ok(page(&ctx, l.t("按时公开情况", "On-time disclosure"), None, body).into_response())
}
