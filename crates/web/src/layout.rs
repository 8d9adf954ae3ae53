//! The page shell: header, navigation by scope, flash message, language switch. Plain HTML and
//! a little CSS that reads well on a phone; no scripts are needed to use any page. Wide tables
//! carry `class="cards"` and a `data-label` per cell: under 600 px each row becomes a card of
//! "label value" lines, so no column is cut off on a phone.

use crate::ctx::Ctx;
use crate::flash::Flash;
use crate::i18n::Lang;
use domain::access::Permission;
use domain::registry::FieldError;
use maud::{html, Markup, PreEscaped, DOCTYPE};

pub const CSS: &str = r#"
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1d2433;background:#f4f6f8}
header{background:#9b1c1c;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;margin-right:auto}
header form{display:inline}header button{background:none;border:1px solid #fff8;color:#fff;border-radius:4px;padding:.1rem .5rem}
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #dde}
nav a{color:#9b1c1c;text-decoration:none}main{padding:1rem;max-width:1100px;margin:auto}main.narrow{max-width:420px}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #dde;border-radius:6px;padding:1rem;margin-bottom:1rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.75rem}.stat{background:#fff;border:1px solid #dde;border-radius:6px;padding:.75rem}
.stat b{display:block;font-size:1.5rem}.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e5e7eb;white-space:nowrap}
th{background:#f9fafb;font-weight:600}label{display:block;margin:.5rem 0 .15rem;font-weight:600}
input,select,textarea{width:100%;padding:.45rem;border:1px solid #bbc;border-radius:4px;font:inherit}input[type=checkbox]{width:auto}
button,.button{background:#9b1c1c;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#9b1c1c;border:1px solid #9b1c1c}
.field-error,.error{color:#b91c1c}.field-error{font-size:.9rem}.flash{background:#ecfdf5;border:1px solid #10b98155;padding:.5rem 1rem;border-radius:4px;margin-bottom:1rem}
.warn{color:#92400e}.muted{color:#667}.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.row>*{flex:1 1 160px}
.crumbs{font-size:.9rem;margin-bottom:.5rem}.crumbs a{color:#9b1c1c}.tag{display:inline-block;background:#fef3c7;border-radius:3px;padding:0 .35rem;margin-right:.25rem;font-size:.85rem}
.pager{margin:.75rem 0;display:flex;gap:1rem}ul.issues{padding-left:1.2rem}code{font-size:.9rem}
td.wrap{white-space:normal}td a,td button,a.tap{display:inline-block;min-height:24px;min-width:24px;line-height:24px}
@media (max-width:600px){main{padding:.5rem}th,td{padding:.35rem}td a,td button,a.tap{min-height:32px;line-height:32px}}
@media screen and (max-width:600px){
table.cards{background:none}table.cards thead{display:none}table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards tr{background:#fff;border:1px solid #dde;border-radius:6px;margin-bottom:.5rem;padding:.25rem .6rem}
table.cards td{position:relative;border:0;white-space:normal;overflow-wrap:anywhere;padding:.2rem 0}
table.cards td[data-label]{padding-left:7em}table.cards td[data-label]::before{content:attr(data-label);position:absolute;left:0;width:6.5em;color:#667;font-weight:600}
table.cards td:empty{display:none}.scroll:has(>table.cards){overflow-x:visible}}
"#;

/// The `<head>` of every page: charset, phone viewport, title, the one stylesheet.
fn head(l: Lang, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · " (l.t("基层治理", "grassroots")) }
            style { (PreEscaped(CSS)) }
        }
    }
}

/// `flash`: the `?flash=` key of the request, if any ([`Flash`]).
pub fn page(ctx: &Ctx, title: &str, flash: Option<&str>, body: Markup) -> Markup {
    let l = ctx.lang;
    let other = if l.is_zh() {
        ("en", "English")
    } else {
        ("zh", "中文")
    };
    let back: String = url::form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect();
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            (head(l, title))
            body {
                header {
                    a class="brand" href="/" { (l.t("基层治理平台", "grassroots")) }
                    span { (ctx.actor.display_name) " · " (l.role(ctx.actor.role)) }
                    a href={ "/lang?to=" (other.0) "&back=" (back) } { (other.1) }
                    form method="post" action="/logout" {
                        input type="hidden" name="_csrf" value=(ctx.csrf);
                        button type="submit" { (l.t("退出", "Log out")) }
                    }
                }
                @if ctx.actor.role == domain::access::Role::Villager {
                    nav {
                        a href="/me" { (l.t("我的", "Me")) }
                        a href="/account" { (l.t("我的账号", "My account")) }
                    }
                } @else {
                nav {
                    a href="/" { (l.t("首页", "Dashboard")) }
                    a href="/tree" { (l.t("行政区划", "Units")) }
                    a href="/households" { (l.t("户籍档案", "Households")) }
                    @if ctx.actor.role != domain::access::Role::BankOfficer { a href="/ledger" { (l.t("台账", "Ledgers")) } }
                    a href="/credit" { (l.t("信用村", "Credit village")) }
                    a href="/disclosures" { (l.t("三务公开", "Disclosures")) }
                    @if ctx.actor.role.can(Permission::ViewAudit) { a href="/audit" { (l.t("审计日志", "Audit log")) } a href="/users" { (l.t("账号", "Accounts")) } }
                    a href="/account" { (l.t("我的账号", "My account")) }
                }
                }
                main {
                    @if let Some(text) = flash.and_then(Flash::parse).map(|f| f.text(l)) { div class="flash" role="status" { (text) } }
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The shell of a page for someone not signed in (error pages): the site's name, the sign-in
/// link and the language switch.
/// A page of the site answered with another status than 200: a form shown again after a
/// refusal (422, 409, 404) with what was typed.
pub fn page_with(
    status: axum::http::StatusCode,
    ctx: &Ctx,
    title: &str,
    body: Markup,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    (status, page(ctx, title, None, body)).into_response()
}

pub fn bare_page(l: Lang, title: &str, body: Markup) -> Markup {
    let other = if l.is_zh() {
        ("en", "English")
    } else {
        ("zh", "中文")
    };
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            (head(l, title))
            body {
                header {
                    a class="brand" href="/" { (l.t("基层治理平台", "grassroots")) }
                    a href={ "/lang?to=" (other.0) "&back=/" } { (other.1) }
                    a href="/login" { (l.t("登录", "Sign in")) }
                }
                main class="narrow" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A labelled input with its error (if any) right below it.
pub fn field(
    label: &str,
    name: &str,
    value: &str,
    errors: &[FieldError],
    required: bool,
) -> Markup {
    input_field("", label, name, "text", value, errors, required)
}

/// The element id of a form's field. Forms repeated on one page (one per debt, per claim…)
/// give their own `form` prefix, so ids stay unique and a label focuses its own form's input.
pub fn field_id(form: &str, name: &str) -> String {
    if form.is_empty() {
        name.to_string()
    } else {
        format!("{form}-{name}")
    }
}

/// [`field`] in one of several forms on a page (see [`field_id`]).
pub fn field_in(
    form: &str,
    label: &str,
    name: &str,
    value: &str,
    errors: &[FieldError],
    required: bool,
) -> Markup {
    input_field(form, label, name, "text", value, errors, required)
}

/// [`date_field`] in one of several forms on a page (see [`field_id`]).
pub fn date_field_in(
    form: &str,
    label: &str,
    name: &str,
    value: &str,
    errors: &[FieldError],
    required: bool,
) -> Markup {
    input_field(form, label, name, "date", value, errors, required)
}

/// A date field: the phone's date picker, sending `YYYY-MM-DD` (what the server parses); a
/// typed value that was refused is kept in it.
pub fn date_field(
    label: &str,
    name: &str,
    value: &str,
    errors: &[FieldError],
    required: bool,
) -> Markup {
    input_field("", label, name, "date", value, errors, required)
}

fn input_field(
    form: &str,
    label: &str,
    name: &str,
    kind: &str,
    value: &str,
    errors: &[FieldError],
    required: bool,
) -> Markup {
    let err: Vec<&FieldError> = errors.iter().filter(|e| e.field == name).collect();
    let id = field_id(form, name);
    html! {
        div {
            label for=(id) { (label) @if required { " *" } }
            input id=(id) name=(name) type=[(kind != "text").then_some(kind)] value=(value) required[required] aria-invalid=[(!err.is_empty()).then_some("true")];
            @for e in err { div class="field-error" { (e.message) } }
        }
    }
}

/// A choice among fixed values (`(value, label)`), with an empty first option unless required.
pub fn choice_field(
    label: &str,
    name: &str,
    value: &str,
    choices: &[(&str, &str)],
    errors: &[FieldError],
    required: bool,
) -> Markup {
    let err: Vec<&FieldError> = errors.iter().filter(|e| e.field == name).collect();
    html! {
        div {
            label for=(name) { (label) @if required { " *" } }
            select id=(name) name=(name) required[required] aria-invalid=[(!err.is_empty()).then_some("true")] {
                @if !required { option value="" { "—" } }
                @for (v, text) in choices { option value=(v) selected[*v == value] { (text) } }
            }
            @for e in err { div class="field-error" { (e.message) } }
        }
    }
}

/// The field a refusal of the whole form is filed under: shown with the form, not at an input.
pub const WHOLE_FORM: &str = "_form";

/// A form's refusal as a whole (a conflict, a record gone), shown with the form.
pub fn form_alert(l: Lang, errors: &[FieldError]) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| e.field == WHOLE_FORM) {
            p class="error" role="alert" { (e.message.pick(l.is_zh())) }
        }
    }
}

/// The errors of a form that no input shows: a refusal of the whole form as an alert, others
/// named by their field's label in the reader's language.
pub fn errors_not_shown(l: Lang, errors: &[FieldError], shown: &[&str]) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| !shown.contains(&e.field)) {
            @if e.field == WHOLE_FORM {
                p class="error" role="alert" { (e.message.pick(l.is_zh())) }
            } @else {
                @let (zh, en) = domain::message::catalogue::field_label(e.field);
                p class="field-error" { (l.t(zh, en)) (l.t("：", ": ")) (e.message.pick(l.is_zh())) }
            }
        }
    }
}

pub fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="_csrf" value=(ctx.csrf); }
}

/// Page links for a paginated list.
pub fn pager(l: Lang, base: &str, page: i64, per_page: i64, total: i64) -> Markup {
    let pages = ((total + per_page - 1) / per_page).max(1);
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        div class="pager" {
            @if page > 1 { a href={ (base) (sep) "page=" (page - 1) } { "‹ " (l.t("上一页", "Previous")) } }
            span class="muted" { (page) " / " (pages) " · " (total) (l.t(" 条", " records")) }
            @if page < pages { a href={ (base) (sep) "page=" (page + 1) } { (l.t("下一页", "Next")) " ›" } }
        }
    }
}

/// Stored instants are UTC; pages show China Standard Time (UTC+8, no daylight saving).
pub fn local_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => {
            let cst = chrono::FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| t.timezone());
            t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
        }
        Err(_) => rfc3339.to_string(),
    }
}
