use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::audit::AuditQuery;
use app::registry::{grids, units};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

type ApiResult<T> = Result<T, ApiError>;

pub async fn me(c: ApiCtx) -> Json<Value> {
    Json(
        json!({"username": c.actor.username, "display_name": c.actor.display_name, "role": c.actor.role.as_str(), "unit": c.actor.scope.root}),
    )
}

pub async fn get_unit(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<units::Unit>> {
    Ok(Json(units::get(&st.app, &c.actor, &code).await?))
}

pub async fn children(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<units::Unit>>> {
    Ok(Json(units::children(&st.app, &c.actor, &code).await?))
}

pub async fn summary(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let s = units::counts(&st.app, &c.actor, &code).await?;
    let by_level: serde_json::Map<String, Value> =
        s.by_level.into_iter().map(|(k, v)| (k, json!(v))).collect();
    Ok(Json(
        json!({"unit": code, "units_by_level": by_level, "households": s.households, "members": s.members}),
    ))
}

pub async fn grids(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<Vec<grids::GridInfo>>> {
    Ok(Json(grids::of_village(&st.app, &c.actor, &code).await?))
}

#[derive(Deserialize)]
pub struct NewGrid {
    name: String,
    #[serde(default)]
    leader: String,
}

pub async fn create_grid(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<NewGrid>,
) -> ApiResult<(StatusCode, Json<units::Unit>)> {
    Ok((
        StatusCode::CREATED,
        Json(grids::create(&st.app, &c.actor, &code, &b.name, &b.leader).await?),
    ))
}

pub async fn audit(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Value>> {
    let (per_page, page, f) = (q.per_page(), q.page(), q.filter());
    let (items, total) = app::audit::list(&st.app, &c.actor, f).await?;
    Ok(Json(
        json!({"items": items, "total": total, "page": page, "per_page": per_page}),
    ))
}
