//! Credit village API: rounds, records, assessment, publicity, objections, final, bank lines,
//! supermarket, summary.

use super::ApiJson;
use crate::api::{ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::credit::assess::{AssessReport, HouseholdCredit};
use app::credit::bank::VillageLines;
use app::credit::import::RecordImportReport;
use app::credit::objections::{Decision, ObjectionView};
use app::credit::records::{ProfileInput, RecordInput, Recorded};
use app::credit::{bank, objections, records, rounds, RoundView};
use app::{Actor, AppError};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::access::Role;
use domain::credit::CreditSummary;
use serde::Deserialize;
use serde_json::{json, Value};

mod market;
mod openapi;

pub use openapi::{openapi_paths, openapi_schemas};

type ApiResult<T> = Result<T, ApiError>;

/// The credit routes, merged into `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units/{code}/credit/summary", get(summary))
        .route("/units/{code}/credit/aaa", get(aaa))
        .route("/units/{code}/credit/lines", get(lines_by_village))
        .route("/credit/rounds", get(list_rounds).post(open_round))
        .route("/credit/rounds/{id}", get(get_round))
        .route("/credit/rounds/{id}/assess", post(assess))
        .route("/credit/rounds/{id}/publish", post(publish))
        .route("/credit/rounds/{id}/finalize", post(finalize))
        .route("/credit/rounds/{id}/results", get(results))
        .route("/credit/rounds/{id}/records", post(create_record))
        .route("/credit/rounds/{id}/records/import", post(import_records))
        .route("/credit/records/{id}/confirm", post(confirm_record))
        .route("/credit/rounds/{id}/households/{hid}", get(household))
        .route(
            "/credit/rounds/{id}/households/{hid}/corrections",
            post(correct),
        )
        .route("/credit/rounds/{id}/objections", get(list_objections))
        .route("/credit/objections/{id}/resolve", post(resolve))
        .route("/credit/relations", post(declare))
        .route(
            "/households/{id}/credit-profile",
            get(get_profile).put(put_profile),
        )
        .route("/households/{id}/passbook", get(market::passbook))
        .route("/credit/bank/households", get(market::bank_households))
        .route("/credit/lines", post(market::grant))
        .route(
            "/credit/goods",
            get(market::list_goods).post(market::add_goods),
        )
        .route("/credit/redemptions", post(market::redeem))
}

/// A stand-in for today, accepted from administrators only (demos and scripted tests); everyone
/// else works on the real date so publicity cannot be skipped.
fn day(actor: &Actor, today: &Option<String>) -> Result<NaiveDate, AppError> {
    match today.as_deref().filter(|t| !t.trim().is_empty()) {
        None => Ok(app::credit::today()),
        Some(_) if actor.role != Role::Admin => Err(AppError::Forbidden(
            domain::message::catalogue::TODAY_ADMIN_ONLY.text(),
        )),
        Some(t) => domain::dates::parse_date(t).map_err(|e| AppError::field("today", e.text())),
    }
}

pub async fn summary(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<CreditSummary>> {
    Ok(Json(bank::summary(&st.app, &c.actor, &code).await?))
}

pub async fn aaa(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let csv = bank::aaa_csv(&st.app, &c.actor, &code).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv))
}

pub async fn lines_by_village(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<VillageLines>>> {
    Ok(Json(bank::by_village(&st.app, &c.actor, &code).await?))
}

pub async fn list_rounds(State(st): State<AppState>, c: ApiCtx) -> ApiResult<Json<Vec<RoundView>>> {
    Ok(Json(rounds::list(&st.app, &c.actor).await?))
}

#[derive(Deserialize)]
pub struct OpenRound {
    unit: String,
    period: String,
    /// Rule set TOML; the default set when absent.
    rules: Option<String>,
}

pub async fn open_round(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<OpenRound>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = rounds::open(&st.app, &c.actor, &b.unit, &b.period, b.rules.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(json!({"round": id}))))
}

pub async fn get_round(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    let round = rounds::get(&st.app, &c.actor, id).await?;
    let villages: Vec<Value> = rounds::progress(&st.app, &c.actor, id)
        .await?
        .into_iter()
        .map(|v| {
            json!({"village_code": v.village_code, "village_name": v.village_name,
            "households": v.households, "filed": v.filed, "records": v.records,
            "assessed": v.assessed, "open_objections": v.open_objections})
        })
        .collect();
    Ok(Json(json!({"round": round, "villages": villages})))
}

#[derive(Deserialize, Default)]
pub struct StepBody {
    today: Option<String>,
    days: Option<u32>,
    drop_pending: Option<bool>,
}

pub async fn assess(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<StepBody>>,
) -> ApiResult<Json<AssessReport>> {
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    Ok(Json(
        app::credit::assess::assess(&st.app, &c.actor, id, day(&c.actor, &b.today)?).await?,
    ))
}

pub async fn publish(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<StepBody>>,
) -> ApiResult<Json<RoundView>> {
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    Ok(Json(
        rounds::publish(&st.app, &c.actor, id, b.days, day(&c.actor, &b.today)?).await?,
    ))
}

pub async fn finalize(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<StepBody>>,
) -> ApiResult<Json<RoundView>> {
    let b = body.map(|ApiJson(b)| b).unwrap_or_default();
    Ok(Json(
        rounds::finalize(
            &st.app,
            &c.actor,
            id,
            day(&c.actor, &b.today)?,
            b.drop_pending.unwrap_or(false),
        )
        .await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    unit: Option<String>,
    grade: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    unit: Option<String>,
    /// Paging is opt-in: without `page` or `per_page` the answer is the first 5,000 rows, as
    /// before; a township round holds more, so clients page through it.
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn results(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> ApiResult<Json<Vec<Value>>> {
    let unit = q.unit.as_deref().unwrap_or("");
    let rows = if q.page.is_some() || q.per_page.is_some() {
        let (page, per_page) = (q.page.unwrap_or(1), q.per_page.unwrap_or(100));
        app::credit::assess::results_page(&st.app, &c.actor, id, unit, page, per_page)
            .await?
            .items
    } else {
        app::credit::assess::results(&st.app, &c.actor, id, unit).await?
    };
    Ok(Json(rows.into_iter().map(|r| json!({"household_id": r.household_id, "village_code": r.village_code,
        "household_no": r.household_no, "head_name": r.head_name, "score": r.score, "grade": r.grade,
        "earned": r.earned, "final": r.is_final})).collect()))
}

pub async fn create_record(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RecordInput>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    Ok((
        StatusCode::CREATED,
        Json(records::record(&st.app, &c.actor, id, &b).await?),
    ))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    file: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

pub async fn import_records(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<RecordImportReport>> {
    let name = q.file.unwrap_or_else(|| "upload.csv".into());
    Ok(Json(
        app::credit::import::import(&st.app, &c.actor, id, &name, &body, q.dry_run).await?,
    ))
}

pub async fn confirm_record(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Value>> {
    records::confirm(&st.app, &c.actor, id).await?;
    Ok(Json(json!({"confirmed": id})))
}

pub async fn household(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((id, hid)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<HouseholdCredit>> {
    Ok(Json(
        app::credit::assess::household(&st.app, &c.actor, id, hid).await?,
    ))
}

#[derive(Deserialize)]
pub struct CorrectionBody {
    #[serde(default)]
    points: i64,
    grade: Option<String>,
    reason: String,
    today: Option<String>,
}

pub async fn correct(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((id, hid)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<CorrectionBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let today = day(&c.actor, &b.today)?;
    let cid = objections::correct(
        &st.app,
        &c.actor,
        id,
        hid,
        b.points,
        b.grade.as_deref(),
        &b.reason,
        today,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"correction": cid}))))
}

pub async fn list_objections(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ObjectionView>>> {
    Ok(Json(objections::list(&st.app, &c.actor, id).await?))
}

pub async fn resolve(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<ObjectionView>> {
    Ok(Json(
        objections::resolve(&st.app, &c.actor, id, &d, app::credit::today()).await?,
    ))
}

#[derive(Deserialize)]
pub struct RelationBody {
    household_id: i64,
    kind: String,
}

pub async fn declare(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<RelationBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = records::declare(&st.app, &c.actor, b.household_id, &b.kind).await?;
    Ok((StatusCode::CREATED, Json(json!({"relation": id}))))
}

pub async fn get_profile(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Option<ProfileInput>>> {
    Ok(Json(records::profile(&st.app, &c.actor, id).await?))
}

pub async fn put_profile(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<ProfileInput>,
) -> ApiResult<Json<Option<ProfileInput>>> {
    records::file_profile(&st.app, &c.actor, id, &p).await?;
    Ok(Json(records::profile(&st.app, &c.actor, id).await?))
}
