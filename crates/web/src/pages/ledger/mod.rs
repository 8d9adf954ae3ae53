//! Collective ledger pages: the village ledger home, contracts with flags and rectification
//! tasks, debts with resolutions, claims with collections, resources, import/export, the
//! printable report, and the township/county ranking with progress charts (inline SVG).

pub mod books;
pub mod charges;
pub mod contracts;
pub mod files;
pub mod home;
pub mod ranking;
pub mod report;

use crate::i18n::Lang;
use crate::layout::field_in;
use crate::AppState;
use app::ledger::records::CollectionDraft;
use app::tabular::Column;
use axum::routing::{get, post};
use axum::Router;
use domain::ledger::{ClaimDraft, DebtActionDraft, DebtDraft, ResourceDraft};
use domain::registry::FieldError;
use domain::Fen;
use maud::{html, Markup};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn yuan(fen: i64) -> String {
    Fen(fen).to_string()
}

/// English label of a column: its field name in words.
fn en_label(field: &str) -> String {
    field
        .replace("_yuan", " (yuan)")
        .replace("_on", " date")
        .replace('_', " ")
}

/// Inputs for the columns of a ledger (the labels are the Chinese header and the field name);
/// `form` prefixes their ids when a page has several such forms (`layout::field_id`).
pub fn draft_fields(
    l: Lang,
    form: &str,
    cols: &[Column],
    values: &Value,
    errors: &[FieldError],
) -> Markup {
    html! {
        div class="row" {
            @for c in cols {
                @let label = if l.is_zh() { c.aliases.first().map(|a| a.to_string()).unwrap_or_else(|| c.field.to_string()) } else { en_label(c.field) };
                (field_in(form, &label, c.field, values.get(c.field).and_then(Value::as_str).unwrap_or(""), errors, c.required))
            }
        }
    }
}

/// A draft from a submitted form (drafts name their fields after the columns).
pub fn draft_from<D: DeserializeOwned + Default>(form: &crate::pages::forms::CsrfForm) -> D {
    let obj: serde_json::Map<String, Value> = form
        .0
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    serde_json::from_value(Value::Object(obj)).unwrap_or_default()
}

/// A horizontal progress bar, 0–100 %, as inline SVG (prints and needs no script).
pub fn bar(pct: f64) -> Markup {
    let w = (pct.clamp(0.0, 100.0) * 1.2).round();
    html! {
        svg width="120" height="12" viewBox="0 0 120 12" role="img" aria-label=(format!("{pct:.1}%")) {
            rect x="0" y="0" width="120" height="12" fill="#e5e7eb" {}
            rect x="0" y="0" width=(w) height="12" fill="#15803d" {}
        }
    }
}

/// The links between the ledger pages of a village.
pub fn subnav(l: Lang, code: &str) -> Markup {
    let p = format!("/villages/{code}/ledger");
    html! {
        p class="noprint" {
            a href=(p) { (l.t("台账首页", "Ledger home")) } " · "
            a href={ (p) "/contracts" } { (l.t("合同", "Contracts")) } " · "
            a href={ (p) "/debts" } { (l.t("债务", "Debts")) } " · "
            a href={ (p) "/claims" } { (l.t("债权", "Claims")) } " · "
            a href={ (p) "/resources" } { (l.t("资源", "Resources")) } " · "
            a href={ (p) "/import" } { (l.t("导入/导出", "Import/export")) } " · "
            a href={ (p) "/report" } { (l.t("打印报表", "Printable report")) }
        }
    }
}

pub fn status_label(l: Lang, status: &str) -> &'static str {
    match status {
        "open" => l.t("待整改", "Open"),
        "rectified" => l.t("已整改", "Rectified"),
        "waived" => l.t("免于整改", "Waived"),
        "active" => l.t("履行中", "Active"),
        "terminated" => l.t("已终止", "Terminated"),
        _ => "",
    }
}

/// Routes of the collective-ledger pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(home::entry))
        .route("/villages/{code}/ledger", get(home::village))
        .route("/villages/{code}/ledger/recompute", post(home::recompute))
        .route("/villages/{code}/ledger/contracts", get(contracts::list))
        .route(
            "/villages/{code}/ledger/contracts/new",
            get(contracts::new_form).post(contracts::create),
        )
        .route(
            "/villages/{code}/ledger/contracts/{id}",
            get(contracts::edit_form).post(contracts::update),
        )
        .route(
            "/villages/{code}/ledger/flags/{id}",
            get(contracts::task).post(contracts::task_update),
        )
        .route(
            "/villages/{code}/ledger/debts",
            get(books::list::<DebtDraft>).post(books::create::<DebtDraft>),
        )
        .route(
            "/villages/{code}/ledger/claims",
            get(books::list::<ClaimDraft>).post(books::create::<ClaimDraft>),
        )
        .route(
            "/villages/{code}/ledger/resources",
            get(books::list::<ResourceDraft>).post(books::create::<ResourceDraft>),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}/actions",
            post(books::action::<DebtActionDraft>),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}/collections",
            post(books::action::<CollectionDraft>),
        )
        .route(
            "/villages/{code}/ledger/import",
            get(files::form).post(files::upload),
        )
        .route("/villages/{code}/ledger/export", get(files::download))
        .route("/villages/{code}/ledger/report", get(report::report))
        .route(
            "/villages/{code}/ledger/resources/{id}/charges",
            post(charges::charge),
        )
        .route("/units/{code}/ledger", get(ranking::ranking))
        .route(
            "/units/{code}/ledger/ranking.xlsx",
            get(ranking::ranking_xlsx),
        )
}
