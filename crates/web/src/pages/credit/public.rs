//! The village's public credit page, without login: during publicity, households with masked
//! names (张*明) and grades, and the review group's answers. It carries nothing per visitor
//! (the objection form with its CSRF token is its own page, `public_form`), so its bytes are
//! cached (`public_cache`) and revalidated with a strong `ETag`.

use super::public_cache::{Freshness, Key};
use crate::ctx::lang_in;
use crate::error::PageError;
use crate::i18n::Lang;
use crate::layout::CSS;
use crate::AppState;
use app::credit::public_page::PublicPage;
use app::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;

/// Browsers and proxies may keep the page but must ask again before each use: it changes the
/// moment an objection is filed or answered, and asking again is cheap (a 304 from memory
/// when the `ETag` still matches). `Vary: Cookie, Accept-Language` because the language comes
/// from a cookie or, without one, from the browser's languages.
const CACHE_CONTROL: &str = "public, max-age=0, must-revalidate";

#[derive(Deserialize, Default)]
pub struct Flash {
    flash: Option<String>,
    /// Search by household number (part of it). A searched page is rendered for the request
    /// and never enters the cache, whose entries are the whole list per village × language.
    q: Option<String>,
}

/// Household numbers are short; a longer search is cut (it is echoed into the page).
const MAX_SEARCH_CHARS: usize = 40;

/// The search of a request, if it has one worth filtering on.
fn search_of(q: Option<&str>) -> Option<String> {
    let q: String = q?.trim().chars().take(MAX_SEARCH_CHARS).collect();
    (!q.is_empty()).then_some(q)
}

fn matches(household_no: &str, q: &str) -> bool {
    household_no.to_lowercase().contains(&q.to_lowercase())
}

pub(super) fn shell(l: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

pub(super) fn title(l: Lang, village_name: &str) -> String {
    format!(
        "{} {}",
        village_name,
        l.t("信用评定公示", "credit assessment publicity")
    )
}

fn render(l: Lang, page: &PublicPage, flash: bool, q: Option<&str>) -> String {
    let title = title(l, &page.village_name);
    let body = html! {
        h1 { (title) }
        @if flash {
            p class="flash" { (l.t("异议已提交，评议小组将予以答复。", "Your objection was filed; the review group will answer it.")) }
        }
        @match &page.publicity {
            None => p { (l.t("本村目前没有正在公示的信用评定。", "No credit assessment is in publicity in this village now.")) },
            Some(p) => {
                p { (l.t("评定期间：", "Period: ")) (p.round.period) " · "
                    (l.t("公示期：", "Publicity: ")) (p.round.publicity_start.clone().unwrap_or_default())
                    " — " (p.round.publicity_last_day.clone().unwrap_or_default()) }
                p { (l.t("对评定结果有异议的，任何村民均可在公示期内提出，评议小组逐条答复。",
                        "Any villager may object during publicity; the review group answers every objection."))
                    " " a href="credit/objection" { (l.t("提出异议", "File an objection")) } }
                // A GET form: the search is in the address, so Back and sharing work.
                form method="get" action="credit" class="row" role="search" {
                    div { label for="q" { (l.t("按户号查找", "Find by household no.")) }
                          input id="q" name="q" type="search" value=(q.unwrap_or("")) maxlength=(MAX_SEARCH_CHARS); }
                    div { button type="submit" { (l.t("查找", "Search")) }
                          @if q.is_some() { " " a class="button secondary" href="credit" { (l.t("显示全部", "Show all")) } } }
                }
                @let rows: Vec<_> = p.rows.iter().filter(|r| q.is_none_or(|q| matches(&r.household_no, q))).collect();
                @if let (Some(q), true) = (q, rows.is_empty()) {
                    p class="warn" { (l.t("没有找到户号含“", "No household number contains \"")) (q) (l.t("”的农户。", "\".")) }
                } @else {
                    div class="scroll" {
                        table class="cards" {
                            thead { tr { th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("得分", "Score")) } th { (l.t("等级", "Grade")) } th {} } }
                            tbody {
                                @for r in &rows {
                                    // Relative to /public/villages/{code}/credit: short on a phone.
                                    tr { td data-label=(l.t("户号", "No.")) { (r.household_no) } td data-label=(l.t("户主", "Head")) { (r.masked_name) }
                                         td data-label=(l.t("得分", "Score")) { (r.score) } td data-label=(l.t("等级", "Grade")) { (r.grade.as_str()) }
                                         td { a class="tap" href={ "credit/objection?household=" (encode(&r.household_no)) } { (l.t("对此户提出异议", "Object to this")) } } }
                                }
                            }
                        }
                    }
                }
                @let answers: Vec<_> = p.answers.iter().filter(|a| q.is_none_or(|q| matches(&a.household_no, q))).collect();
                @if !answers.is_empty() {
                    h2 { (l.t("异议及答复", "Objections and answers")) }
                    div class="scroll" { table class="cards" {
                        thead { tr { th { (l.t("户号", "No.")) } th { (l.t("提出日期", "Filed")) } th { (l.t("结果", "Decision")) } th { (l.t("理由", "Reason")) } } }
                        tbody { @for a in &answers { tr {
                            td data-label=(l.t("户号", "No.")) { (a.household_no) } td data-label=(l.t("提出日期", "Filed")) { (a.raised_on) }
                            td data-label=(l.t("结果", "Decision")) { (match a.status.as_str() { "open" => l.t("评议中", "under review"), "upheld" => l.t("成立，已更正", "upheld, corrected"), _ => l.t("不成立", "rejected") }) }
                            td data-label=(l.t("理由", "Reason")) class="wrap" { (a.decision_reason) }
                        } } }
                    } }
                }
            }
        }
    };
    shell(l, &title, body)
}

pub(super) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Whether the request's `If-None-Match` names this entity tag (weak comparison, as RFC 9110
/// asks for `If-None-Match`; `*` matches any).
fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.as_bytes();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == ours)
}

pub(super) fn cached_response(req: &HeaderMap, body: Bytes, etag: HeaderValue) -> Response {
    let not_modified = not_modified(req, &etag);
    let mut res = if not_modified {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    let h = res.headers_mut();
    if not_modified {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
    } else {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
    }
    let h = res.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    res
}

/// GET `/public/villages/{code}/credit`: from the cache while its version holds.
pub async fn page(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Flash>,
    headers: HeaderMap,
) -> Response {
    let l = lang_in(&headers);
    if let Some(search) = search_of(q.q.as_deref()) {
        return searched(&st, &code, l, &search, &headers).await;
    }
    let key = Key {
        village: code,
        lang: l,
        flash: q.flash.as_deref() == Some("objection"),
    };
    let cache = &st.public_pages;
    let db = &st.app.db;
    if let Some(e) = cache.get(&key) {
        let commits = db.commits();
        let _claim = match cache.freshness(&e, commits) {
            Freshness::Fresh => return cached_response(&headers, e.body.clone(), e.etag.clone()),
            Freshness::Due => match e.claim_check() {
                Some(c) => c,
                // Another request is comparing right now; this one serves what is known.
                None => return cached_response(&headers, e.body.clone(), e.etag.clone()),
            },
            Freshness::Written => {
                let claim = e.wait_check().await;
                // The request before may have confirmed the entry, or replaced it, past the
                // commits this request must see.
                if let Some(now) = cache.get(&key) {
                    if cache.freshness(&now, commits) == Freshness::Fresh {
                        return cached_response(&headers, now.body.clone(), now.etag.clone());
                    }
                }
                claim
            }
        };
        // Read before the comparison: what it confirms covers at least these commits.
        let commits = db.commits();
        match app::credit::public_page::version(&st.app, &key.village).await {
            Ok(v) if v == e.version() => {
                cache.confirm(&e, commits);
                return cached_response(&headers, e.body.clone(), e.etag.clone());
            }
            Ok(_) => {}
            Err(err) => return PageError::new(err, l).into_response(),
        }
        // Changed: rendered below while still holding the claim, so requests waiting on this
        // entry find the new one in the cache when they get their turn.
        return match fresh(&st, key).await {
            Ok((body, etag)) => cached_response(&headers, body, etag),
            Err(err) => PageError::new(err, l).into_response(),
        };
    }
    match fresh(&st, key).await {
        Ok((body, etag)) => cached_response(&headers, body, etag),
        Err(err) => PageError::new(err, l).into_response(),
    }
}

/// A searched list: rendered for this request only (the cache keeps the whole list), with its
/// own entity tag so revalidation still answers 304.
async fn searched(st: &AppState, code: &str, l: Lang, q: &str, headers: &HeaderMap) -> Response {
    match app::credit::public_page::load(&st.app, code).await {
        Ok(page) => {
            let body = Bytes::from(render(l, &page, false, Some(q)));
            let etag = super::public_cache::etag_of(&body);
            cached_response(headers, body, etag)
        }
        Err(err) => PageError::new(err, l).into_response(),
    }
}

/// Renders the page; caches it when a round covers the village (a real village whose page
/// QR codes point at).
async fn fresh(st: &AppState, key: Key) -> Result<(Bytes, HeaderValue), AppError> {
    // Both read before the data (see `public_cache`).
    let commits = st.app.db.commits();
    let version = app::credit::public_page::version(&st.app, &key.village).await?;
    let page = app::credit::public_page::load(&st.app, &key.village).await?;
    let body = Bytes::from(render(key.lang, &page, key.flash, None));
    if page.has_round {
        let e = st.public_pages.insert(key, body, version, commits);
        Ok((e.body.clone(), e.etag.clone()))
    } else {
        let etag = super::public_cache::etag_of(&body);
        Ok((body, etag))
    }
}
