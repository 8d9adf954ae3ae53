//! The transparency log over public HTTP (no login): the signed checkpoint, the verifier key,
//! entries and proofs, as C2SP and RFC 9162 define them. Errors are JSON (`ApiError`).

use crate::api::ApiQuery;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/log/checkpoint", get(checkpoint))
        .route("/public/log/cosignature", axum::routing::post(cosignature))
        .route("/public/log/key", get(key))
        .route("/public/log/entries/{index}", get(entry))
        .route("/public/log/proof/inclusion", get(inclusion))
        .route("/public/log/proof/consistency", get(consistency))
}

fn text(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn checkpoint(State(st): State<AppState>) -> Result<Response, ApiError> {
    Ok(text(app::transparency::served_checkpoint(&st.app).await?))
}

/// A witness sends the checkpoint back with its signature line (`grassroots log witness`).
async fn cosignature(
    State(st): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    // A note is a few lines; anything bigger is not one.
    if body.len() > 8 * 1024 {
        return Err(app::AppError::BadRequest(domain::message::Text::new(
            "log.cosignature_too_large",
            "签名检查点最多 8 KB",
            "a cosigned checkpoint is at most 8 KB",
        ))
        .into());
    }
    let note = String::from_utf8(body.to_vec()).map_err(|_| {
        app::AppError::BadRequest(domain::message::Text::new(
            "log.cosignature_not_text",
            "签名检查点须为 UTF-8 文本",
            "a cosigned checkpoint is UTF-8 text",
        ))
    })?;
    let added = app::transparency::add_cosignature(&st.app, &note).await?;
    Ok(text(format!("kept {added} cosignature(s)\n")))
}

async fn key(State(st): State<AppState>) -> Response {
    text(format!("{}\n", st.app.log.verifier().text()))
}

async fn entry(
    State(st): State<AppState>,
    Path(index): Path<String>,
) -> Result<Response, ApiError> {
    let index: u64 = index.parse().map_err(|_| {
        app::AppError::BadRequest(domain::message::catalogue::ENTRY_INDEX_NUMBER.text())
    })?;
    let e = app::transparency::entry(&st.app, index).await?;
    // The exact leaf bytes: their SHA-256 with the 0x00 prefix is the leaf hash.
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        e.leaf,
    )
        .into_response())
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

async fn inclusion(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let proof = app::transparency::inclusion(&st.app, q.index, q.size).await?;
    Ok(Json(json!({
        "index": q.index,
        "size": q.size,
        "proof": app::transparency::base64_hashes(&proof),
    })))
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

async fn consistency(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let proof = app::transparency::consistency(&st.app, q.from, q.to).await?;
    Ok(Json(json!({
        "from": q.from,
        "to": q.to,
        "proof": app::transparency::base64_hashes(&proof),
    })))
}
