//! API tokens of an account: list (never the values) and revoke. Own tokens, or as an
//! administrator those of accounts in the subtree (`?user=`).

use super::{ApiPath, ApiQuery};
use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::accounts::TokenRow;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize, Default)]
pub struct TokensQuery {
    user: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiQuery(q): ApiQuery<TokensQuery>,
) -> Result<Json<Vec<TokenRow>>, ApiError> {
    let user = q.user.unwrap_or_else(|| c.actor.username.clone());
    Ok(Json(
        app::accounts::list_tokens(&st.app, &c.actor, &user).await?,
    ))
}

pub async fn revoke(
    State(st): State<AppState>,
    c: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    app::accounts::revoke_token(&st.app, &c.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn openapi_paths() -> Map<String, Value> {
    use super::openapi::{answers, ok};
    let token = json!({"type": "object", "required": ["id", "user_id", "name", "created_at"], "properties": {
        "id": {"type": "integer", "format": "int64"}, "user_id": {"type": "integer", "format": "int64"}, "name": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "expires_at": {"type": ["string", "null"], "format": "date-time"},
        "last_used_at": {"type": ["string", "null"], "format": "date-time"}}});
    let mut m = Map::new();
    m.insert("/api/v1/tokens".into(), json!({"get": {
        "summary": "API tokens of the calling account, or of `user` (administrators, within their subtree); values are never shown",
        "parameters": [{"name": "user", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 64}}],
        "responses": ok(json!({"type": "array", "items": token}))}}));
    m.insert("/api/v1/tokens/{id}".into(), json!({"delete": {
        "summary": "Revoke an API token (own, or as an administrator over the account's unit; audited)",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
        "responses": answers("204", None)}}));
    m
}
