use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::registry::households::{self as hh, HouseholdInput, HouseholdView, Page};
use app::registry::{grids, household_import};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::registry::{HouseholdDraft, MemberDraft};
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<String>,
    q: Option<String>,
    tag: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<HouseholdView>>> {
    let unit = q.unit.unwrap_or_default();
    Ok(Json(
        hh::list(
            &st.app,
            &c.actor,
            &unit,
            q.q.as_deref(),
            q.tag.as_deref(),
            q.page.unwrap_or(1),
            q.per_page.unwrap_or(50),
        )
        .await?,
    ))
}

pub async fn get_one(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<HouseholdView>> {
    Ok(Json(hh::get(&st.app, &c.actor, id).await?))
}

pub async fn create(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(input): ApiJson<HouseholdInput>,
) -> ApiResult<(StatusCode, Json<HouseholdView>)> {
    let id = hh::create(&st.app, &c.actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(hh::get(&st.app, &c.actor, id).await?),
    ))
}

#[derive(Deserialize)]
pub struct HouseholdUpdate {
    #[serde(default)]
    grid_code: Option<String>,
    #[serde(flatten)]
    fields: HouseholdDraft,
}

pub async fn update(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<HouseholdUpdate>,
) -> ApiResult<Json<HouseholdView>> {
    hh::update(&st.app, &c.actor, id, b.grid_code, b.fields).await?;
    Ok(Json(hh::get(&st.app, &c.actor, id).await?))
}

pub async fn delete(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    hh::delete(&st.app, &c.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct GridBody {
    grid_code: Option<String>,
}

pub async fn assign_grid(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GridBody>,
) -> ApiResult<Json<HouseholdView>> {
    grids::assign(
        &st.app,
        &c.actor,
        b.grid_code.as_deref().filter(|g| !g.is_empty()),
        &[id],
    )
    .await?;
    Ok(Json(hh::get(&st.app, &c.actor, id).await?))
}

pub async fn add_member(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(m): ApiJson<MemberDraft>,
) -> ApiResult<(StatusCode, Json<HouseholdView>)> {
    hh::save_member(&st.app, &c.actor, id, None, m).await?;
    Ok((
        StatusCode::CREATED,
        Json(hh::get(&st.app, &c.actor, id).await?),
    ))
}

pub async fn update_member(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((id, mid)): ApiPath<(i64, i64)>,
    ApiJson(m): ApiJson<MemberDraft>,
) -> ApiResult<Json<HouseholdView>> {
    hh::save_member(&st.app, &c.actor, id, Some(mid), m).await?;
    Ok(Json(hh::get(&st.app, &c.actor, id).await?))
}

pub async fn delete_member(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((id, mid)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    hh::delete_member(&st.app, &c.actor, id, mid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct RevealBody {
    what: String,
}

pub async fn reveal(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath((id, mid)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<RevealBody>,
) -> ApiResult<Json<Value>> {
    let value = hh::reveal(&st.app, &c.actor, id, mid, &b.what).await?;
    Ok(Json(
        json!({"member": mid, "field": b.what, "value": value}),
    ))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
    file: Option<String>,
}

/// The request body is the file itself (CSV or XLSX); `?file=NAME` names it in error locations.
pub async fn import(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<household_import::HouseholdImportReport>> {
    let name = q.file.unwrap_or_else(|| "upload.csv".into());
    Ok(Json(
        household_import::import_owned(&st.app, &c.actor, &code, &name, body.into(), q.dry_run)
            .await?,
    ))
}

#[derive(Deserialize, Default)]
pub struct SearchBody {
    #[serde(default)]
    unit: String,
    q: Option<String>,
    tag: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// The same list as `GET /households`, with the search in the body: a full resident ID then
/// never travels in a URL (access logs, proxies).
pub async fn search(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiJson(b): ApiJson<SearchBody>,
) -> ApiResult<Json<Page<HouseholdView>>> {
    Ok(Json(
        hh::list(
            &st.app,
            &c.actor,
            &b.unit,
            b.q.as_deref(),
            b.tag.as_deref(),
            b.page.unwrap_or(1),
            b.per_page.unwrap_or(50),
        )
        .await?,
    ))
}
