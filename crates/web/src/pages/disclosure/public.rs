//! What villagers read without an account (码上知): a village's board, one disclosure (which
//! verifies itself against the transparency log in the browser), the village's Atom feed, and
//! QR codes for the paper notice board.

use crate::ctx::lang_in;
use crate::error::{PageError, PageResult, WithLang};
use crate::i18n::Lang;
use crate::layout::{bare_page, local_time};
use crate::AppState;
use app::disclosure::board::{self, DisclosureView};
use app::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use domain::disclosure::Module;
use domain::message::catalogue as msg;
use maud::{html, Markup};

/// The page's own check, served as a file so the page's CSP-free markup stays script-light.
pub const VERIFY_JS: &str = include_str!("verify.js");

pub async fn verify_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        VERIFY_JS,
    )
        .into_response()
}

fn module_label(l: Lang, m: Module) -> &'static str {
    l.t(m.label_zh(), m.label_en())
}

fn village_code(code: &str, l: Lang) -> Result<(), PageError> {
    if crate::pages::qr::is_village_code(code) {
        Ok(())
    } else {
        Err(PageError::new(AppError::NotFound(msg::RECORD.text()), l))
    }
}

/// `/public/villages/{code}`: the village's board by module, newest first.
pub async fn portal(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let l = lang_in(&headers);
    village_code(&code, l)?;
    let b = board::village_board(&st.app, &code, 10).await.lang(l)?;
    let title = format!("{} · {}", b.name, l.t("村务公开", "Public affairs"));
    let body = html! {
        p class="muted" { (b.place.join(" · ")) }
        nav class="modules" {
            @for (m, _) in &b.modules { a href={ "#" (m.key()) } { (module_label(l, *m)) } }
            a href={ "/public/villages/" (b.code) "/credit" } { (l.t("信用评定公示", "Credit publicity")) }
        }
        @for (m, list) in &b.modules {
            section id=(m.key()) {
                h2 { (module_label(l, *m)) }
                @if list.is_empty() { p class="muted" { (l.t("暂无公开内容。", "Nothing published yet.")) } }
                ul class="disclosures" {
                    @for d in list {
                        li {
                            a href={ "/public/disclosures/" (d.id) } { (d.title) }
                            " " span class="muted" { (d.category_name) " · " (d.period_label) " · " (local_time(&d.published_at)) }
                            @if d.superseded_by.is_some() { " " span class="tag" { (l.t("已更正", "corrected")) } }
                        }
                    }
                }
            }
        }
        p {
            a class="button" href={ "/public/villages/" (b.code) "/register" } { (l.t("村民注册", "Register as a villager")) } " "
            a href="/login?next=/me" { (l.t("已注册？登录留言", "Registered? Sign in to ask")) }
        }
        p {
            a href={ "/public/villages/" (b.code) "/feed.atom" } { (l.t("订阅（Atom）", "Subscribe (Atom)")) }
            " · "
            a href={ "/public/villages/" (b.code) "/qr.svg" } { (l.t("本页二维码", "QR code of this page")) } " ("
            a href={ "/public/villages/" (b.code) "/qr.png" } { "PNG" } ")"
        }
    };
    Ok(bare_page(l, &title, body).into_response())
}

fn table_markup(l: Lang, d: &DisclosureView) -> Markup {
    let Some(t) = &d.table else { return html! {} };
    let any_total = d.totals.iter().any(Option::is_some);
    html! {
        div class="scroll" {
            table data-leaf="table" {
                thead { tr { @for (i, c) in t.columns.iter().enumerate() { th data-raw=(c) { (t.shown_header(i)) } } } }
                tbody {
                    @for row in &t.rows {
                        tr { @for (i, c) in row.iter().enumerate() { td data-raw=(c) data-label=(t.shown_header(i)) class=[t.is_money(i).then_some("num")] { (t.shown_cell(i, c)) } } }
                    }
                }
                @if any_total {
                    tfoot { tr { @for (i, total) in d.totals.iter().enumerate() {
                        th class=[total.is_some().then_some("num")] { @if let Some(f) = total { (f.to_yuan_string()) } @else if i == 0 { (l.t("合计", "Total")) } }
                    } } }
                }
            }
        }
    }
}

/// `/public/disclosures/{id}`: one disclosure, its place in the log, and its own check.
pub async fn disclosure(
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let l = lang_in(&headers);
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::new(AppError::NotFound(msg::RECORD.text()), l))?;
    let commits = st.app.db.commits();
    // Views are a number, never who; only disclosures that exist are counted.
    if let Some(body) = st.disclosure_pages.get(id, l, commits) {
        st.app.views.record(id);
        return Ok(html_bytes(body));
    }
    let d = board::public_one(&st.app, id).await.lang(l)?;
    st.app.views.record(id);
    let views = app::disclosure::views::views(&st.app, id).await.lang(l)?;
    let title = d.title.clone();
    let body = html! {
        p class="muted" {
            a href={ "/public/villages/" (d.unit_code) } { (d.unit_name) } " · " (module_label(l, d.module)) " · " (d.category_name) " · " (d.period_label)
        }
        @if let Some(newer) = d.superseded_by {
            p class="error" role="alert" { (l.t("本公开已被更正，请看", "This disclosure was corrected; see")) " " a href={ "/public/disclosures/" (newer) } { (l.t("更正后的公开", "the correction")) } }
        }
        @if let Some(old) = d.supersedes {
            p class="flash" { (l.t("本公开更正了", "This corrects")) " " a href={ "/public/disclosures/" (old) } { (l.t("原公开", "the earlier disclosure")) } }
        }
        article id="disclosure" data-id=(d.id) data-unit=(d.unit_code) data-module=(d.module_key)
            data-category=(d.category) data-period=(d.period) data-published-at=(d.published_at)
            data-supersedes=(d.supersedes.map(|s| s.to_string()).unwrap_or_default())
            data-log-index=(d.log_index.map(|s| s.to_string()).unwrap_or_default()) {
            h2 data-leaf="title" { (d.title) }
            div data-leaf="body" class="body" style="white-space: pre-wrap" { (d.body) }
            (table_markup(l, &d))
            @if !d.attachments.is_empty() {
                ul class="attachments" {
                    @for (i, a) in d.attachments.iter().enumerate() {
                        li { a data-leaf="attachment" data-sha256=(a) href={ "/public/files/" (a) } { (l.t("附件 ", "Attachment ")) (i + 1) } " " span class="muted" { "SHA-256 " code { (a.get(..16).unwrap_or(a)) "…" } } }
                    }
                }
            }
        }
        dl class="facts" {
            dt { (l.t("编制", "Prepared by")) } dd { (d.prepared_by) }
            @if let Some(a) = &d.approved_by { dt { (l.t("审核（村务监督委员会）", "Approved by (supervision committee)")) } dd { (a) } }
            dt { (l.t("发布", "Published by")) } dd { (d.published_by) " · " (local_time(&d.published_at)) }
            dt { (l.t("浏览", "Views")) } dd { (views) }
            dt { (l.t("透明日志", "Transparency log")) } dd {
                @if let Some(i) = d.log_index { a href={ "/public/log/entries/" (i) } { (l.t("第 ", "entry ")) (i) (l.t(" 条", "")) } }
                " " span id="verify-status" class="verify" data-result="pending" { (l.t("正在验证…", "Verifying…")) }
            }
        }
        noscript { p class="muted" { (l.t("开启脚本后本页可自行验证；也可用 grassroots verify 离线验证。", "With scripts on, this page checks itself; offline, use grassroots verify.")) } }
        p { a href={ "/me?disclosure=" (d.id) "#ask" } { (l.t("对本公开留言（村民登录）", "Ask about this disclosure (villagers sign in)")) } }
        p { a href={ "/public/disclosures/" (d.id) "/qr.svg" } { (l.t("本公开二维码", "QR code of this disclosure")) } " (" a href={ "/public/disclosures/" (d.id) "/qr.png" } { "PNG" } ")" }
        script src="/public/verify.js" {}
    };
    let bytes = axum::body::Bytes::from(bare_page(l, &title, body).into_string());
    st.disclosure_pages.put(id, l, commits, bytes.clone());
    Ok(html_bytes(bytes))
}

fn html_bytes(body: axum::body::Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=0, must-revalidate"),
            (header::VARY, "Cookie, Accept-Language"),
        ],
        body,
    )
        .into_response()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/public/villages/{code}/feed.atom`: the village's disclosures, newest first (RFC 4287).
pub async fn feed(
    State(st): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let l = lang_in(&headers);
    village_code(&code, l)?;
    let b = board::village_board(&st.app, &code, 50).await.lang(l)?;
    let mut all: Vec<&DisclosureView> = b.modules.iter().flat_map(|(_, v)| v.iter()).collect();
    all.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    let base = crate::pages::qr::base_url(&headers);
    let updated = all
        .first()
        .map(|d| d.published_at.clone())
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!(
        "<title>{} 村务公开</title>\n<id>{base}/public/villages/{code}</id>\n<link href=\"{base}/public/villages/{code}\"/>\n<link rel=\"self\" href=\"{base}/public/villages/{code}/feed.atom\"/>\n<updated>{updated}</updated>\n",
        xml_escape(&b.name)
    ));
    for d in all {
        x.push_str(&format!(
            "<entry><title>{}</title><id>{base}/public/disclosures/{}</id><link href=\"{base}/public/disclosures/{}\"/><updated>{}</updated><author><name>{}</name></author><category term=\"{}\" label=\"{}\"/><summary>{}</summary></entry>\n",
            xml_escape(&d.title),
            d.id,
            d.id,
            d.published_at,
            xml_escape(&d.unit_name),
            xml_escape(&d.category),
            xml_escape(&d.category_name),
            xml_escape(&d.body.chars().take(200).collect::<String>()),
        ));
    }
    x.push_str("</feed>\n");
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        x,
    )
        .into_response())
}

/// QR codes of a village's board and of one disclosure, for the paper notice board.
pub async fn portal_qr(Path(code): Path<String>, headers: HeaderMap) -> Response {
    crate::pages::qr::svg_for(
        &headers,
        &format!("/public/villages/{code}"),
        crate::pages::qr::is_village_code(&code),
    )
}

pub async fn portal_qr_png(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let ok = crate::pages::qr::is_village_code(&code);
    crate::pages::qr::png_for(&headers, &format!("/public/villages/{code}"), ok)
}

pub async fn disclosure_qr_png(Path(id): Path<String>, headers: HeaderMap) -> Response {
    let ok = id.parse::<i64>().is_ok();
    crate::pages::qr::png_for(&headers, &format!("/public/disclosures/{id}"), ok)
}

pub async fn disclosure_qr(Path(id): Path<String>, headers: HeaderMap) -> Response {
    let ok = id.parse::<i64>().is_ok();
    crate::pages::qr::svg_for(&headers, &format!("/public/disclosures/{id}"), ok)
}

/// `/public/files/{sha256}`: an attachment's bytes, immutable (its address is its hash).
pub async fn attachment(
    State(st): State<AppState>,
    Path(sha): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let l = lang_in(&headers);
    let (mime, bytes) = board::file(&st.app, &sha).await.lang(l)?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
            (header::CONTENT_DISPOSITION, "inline".to_string()),
        ],
        bytes,
    )
        .into_response())
}
