//! Collective ledgers over JSON: the village summary (same JSON as `grassroots ledger summary`),
//! the scope ranking, lists and forms of each ledger, actions, import and export.

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::ledger::export::{self, Format};
use app::ledger::import::{self, LedgerImportReport};
use app::ledger::recompute;
use app::ledger::records::{self, ContractForm, RecordAction, RectificationDraft};
use app::ledger::register::Register;
use app::ledger::summary::{self, VillageRow};
use app::ledger::view::{
    self, ClaimView, ContractView, DebtView, FlagView, ResourceView, VillageLedger,
};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::ledger::{ClaimDraft, DebtDraft, ResourceDraft, VillageLedgerSummary};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

type ApiResult<T> = Result<T, ApiError>;

pub async fn village_summary(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<VillageLedgerSummary>> {
    Ok(Json(
        summary::village_summary(&st.app, &c.actor, &code).await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct RankQuery {
    sort: Option<String>,
    order: Option<String>,
}

pub async fn villages(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<RankQuery>,
) -> ApiResult<Json<Vec<VillageRow>>> {
    let asc = q.order.as_deref() == Some("asc");
    Ok(Json(
        summary::scope_rows(&st.app, &c.actor, &code, q.sort.as_deref(), asc).await?,
    ))
}

/// A register the API lists: its records' views in a village's ledger.
pub trait Listed {
    type View: Serialize;
    fn of(ledger: VillageLedger) -> Vec<Self::View>;
}

macro_rules! listed {
    ($($draft:ty => $view:ty, $field:ident;)+) => {$(
        impl Listed for $draft {
            type View = $view;
            fn of(ledger: VillageLedger) -> Vec<$view> {
                ledger.$field
            }
        }
    )+};
}

listed! {
    ContractForm => ContractView, contracts;
    DebtDraft => DebtView, debts;
    ClaimDraft => ClaimView, claims;
    ResourceDraft => ResourceView, resources;
}

/// The records of one register of a village.
pub async fn list<D: Listed>(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<D::View>>> {
    Ok(Json(D::of(view::load(&st.app, &c.actor, &code).await?)))
}

pub async fn flags(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<FlagView>>> {
    let l = view::load(&st.app, &c.actor, &code).await?;
    Ok(Json(l.flags().into_iter().cloned().collect()))
}

fn created(id: i64) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({"id": id})))
}

/// Creates a record of the register whose draft is the body (contracts: with `status`).
pub async fn create<D: Register>(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiJson(d): ApiJson<D>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(
        records::save(&st.app, &c.actor, &code, None, &d).await?,
    ))
}

/// Updates a record of the register whose draft is the body.
pub async fn update<D: Register>(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    ApiJson(d): ApiJson<D>,
) -> ApiResult<Json<Value>> {
    records::save(&st.app, &c.actor, &code, Some(id), &d).await?;
    Ok(Json(json!({"id": id})))
}

/// Records an action on a record (a debt's resolution, a claim's collection).
pub async fn action<A: RecordAction>(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    ApiJson(d): ApiJson<A>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(
        records::add_action(&st.app, &c.actor, &code, id, &d).await?,
    ))
}

pub async fn update_flag(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    ApiJson(d): ApiJson<RectificationDraft>,
) -> ApiResult<Json<Value>> {
    records::update_flag(&st.app, &c.actor, &code, id, &d).await?;
    Ok(Json(json!({"id": id})))
}

pub async fn recompute_flags(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<recompute::RecomputeReport>> {
    Ok(Json(recompute::recompute(&st.app, &c.actor, &code).await?))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    kind: String,
    #[serde(default)]
    dry_run: bool,
    file: Option<String>,
}

/// The body is the file itself (CSV or XLSX); `?file=NAME` names it in error locations.
pub async fn import_file(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<LedgerImportReport>> {
    let kind = app::ledger::parse_kind(&q.kind)?;
    let name = q.file.unwrap_or_else(|| format!("{}.csv", kind.as_str()));
    Ok(Json(
        import::import(&st.app, &c.actor, &code, kind, &name, &body, q.dry_run).await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    kind: String,
    format: Option<String>,
    headers: Option<String>,
}

pub async fn export_file(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let kind = app::ledger::parse_kind(&q.kind)?;
    let format = Format::parse(q.format.as_deref().unwrap_or("csv"))?;
    let headers = export::Headers::parse(q.headers.as_deref().unwrap_or(""))?;
    let (name, bytes) = export::export(&st.app, &c.actor, &code, kind, format, headers).await?;
    Ok(crate::pages::download::attachment(
        format.content_type(),
        &name,
        bytes,
    ))
}

pub async fn charge_resource(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    ApiJson(d): ApiJson<app::ledger::charges::ChargeDraft>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(
        app::ledger::charges::charge_resource(&st.app, &c.actor, &code, id, &d).await?,
    ))
}
