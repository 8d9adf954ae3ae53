//! The `Idempotency-Key` layer on every API POST (see `app::idempotency`): a retry with the
//! same key gets the first response back (`Idempotent-Replayed: true`) and writes nothing.

use crate::ctx::ApiCtx;
use crate::error::ApiError;
use crate::AppState;
use app::idempotency::{self, Begin, KeptResponse, KeyedRequest};
use app::{App, AppError};
use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
use crate::BODY_LIMIT;

/// POSTs that change nothing but the audit log, and whose answers carry personal numbers that
/// must not be kept: a reveal (each one must be audited afresh) and the search.
fn exempt(path: &str) -> bool {
    path.ends_with("/reveal") || path == "/api/v1/households/search"
}

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) => k.to_string(),
        Err(_) => return ApiError(bad_key()).into_response(),
    };
    if let Err(e) = idempotency::check_key(&key) {
        return ApiError(e).into_response();
    }
    let uri = req
        .extensions()
        .get::<OriginalUri>()
        .map(|o| o.0.clone())
        .unwrap_or_else(|| req.uri().clone());
    if exempt(uri.path()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // Authenticated once here; the handler reuses it from the extensions. A bearer token and
    // the key are looked up in one query.
    let (ctx, looked_up) = match crate::ctx::bearer(&parts) {
        Some(token) => {
            let ip = crate::ctx::client_ip(&parts);
            let route = (key.as_str(), parts.method.as_str(), uri.path());
            match app::accounts::actor_and_key_for_token(&st.app, token, &ip, route).await {
                Ok(Some((actor, found))) => (ApiCtx { actor }, Some(found)),
                Ok(None) => return ApiError(AppError::Unauthenticated).into_response(),
                Err(e) => return ApiError(e).into_response(),
            }
        }
        None => match ApiCtx::from_request_parts(&mut parts, &st).await {
            Ok(c) => (c, None),
            Err(e) => return e.into_response(),
        },
    };
    parts.extensions.insert(ctx.clone());
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return ApiError(AppError::BadRequest(
            domain::message::catalogue::BODY_UNREADABLE.text(),
        ))
        .into_response();
    };
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_string());
    let keyed = KeyedRequest {
        key: &key,
        method: parts.method.as_str(),
        path: uri.path(),
        query: uri.query(),
        multipart_boundary: boundary.as_deref(),
        body: &bytes,
    };
    let begun = match looked_up {
        Some(found) => idempotency::begin_looked_up(&st.app, &ctx.actor, &keyed, found).await,
        None => idempotency::begin(&st.app, &ctx.actor, &keyed).await,
    };
    let claim = match begun {
        Ok(Begin::Proceed(c)) => Some(c),
        Ok(Begin::Untracked) => None,
        Ok(Begin::Replay(kept)) => return replay(kept),
        Err(e) => return ApiError(e).into_response(),
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let Some(claim) = claim else {
        return next.run(req).await;
    };
    // On its own task: a client that hangs up must not cancel the request between its
    // write's commit and the keeping of its answer.
    let app = st.app.clone();
    let task = tokio::spawn(async move {
        let res = idempotency::run_claimed(&claim, next.run(req)).await;
        settle(&app, claim, res).await
    });
    match task.await {
        Ok(res) => res,
        Err(e) => ApiError(AppError::Internal(format!("request task failed: {e}"))).into_response(),
    }
}

fn bad_key() -> AppError {
    AppError::BadRequest(
        domain::message::catalogue::IDEMPOTENCY_KEY_FORMAT
            .with(&[("max", &idempotency::MAX_KEY_LEN)]),
    )
}

/// Keeps a successful response for replay. Any other answer rolled its write (and so its key)
/// back: nothing to keep, and a retry runs afresh.
async fn settle(app: &App, claim: idempotency::Claim, res: Response) -> Response {
    if !res.status().is_success() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError(AppError::Internal(format!("response body failed: {e}")))
                .into_response()
        }
    };
    let text = |h: header::HeaderName| {
        parts
            .headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let kept = KeptResponse {
        status: parts.status.as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: bytes.to_vec(),
    };
    // The write is done: if its answer cannot be kept, the key stays written (a retry gets
    // 409 rather than a second write). Keeping it is tried a few times: a busy write turn
    // (SQLite) would otherwise leave the key "in progress" to this process's retries.
    let mut last_error = None;
    for wait_ms in [0u64, 200, 1000] {
        if wait_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
        }
        match idempotency::finish(app, claim.clone(), &kept).await {
            Ok(()) => {
                last_error = None;
                break;
            }
            Err(e) => last_error = Some(e),
        }
    }
    if let Some(e) = last_error {
        tracing::warn!(error = %e, "could not keep an idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(kept: KeptResponse) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let mut res = (status, kept.body).into_response();
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, kept.content_type),
        (header::LOCATION, kept.location),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(name, v);
        }
    }
    h.insert(REPLAYED, HeaderValue::from_static("true"));
    res
}

/// Documents the header once and refers to it from every POST that honours it.
pub fn document(doc: &mut Value) {
    doc["components"]["parameters"]["IdempotencyKey"] = json!({
        "name": "Idempotency-Key", "in": "header", "required": false,
        "schema": {"type": "string", "minLength": 1, "maxLength": idempotency::MAX_KEY_LEN, "pattern": "^[\\x20-\\x7E]+$"},
        "description": "Makes a retry safe: the first successful response to this key (per account, method and path) is kept 24 h and replayed with `Idempotent-Replayed: true`, writing nothing. The same key with a different request: 422. While the first request still runs: 409. Failed requests keep nothing."
    });
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if exempt(path) {
            continue;
        }
        let Some(post) = item.get_mut("post").and_then(Value::as_object_mut) else {
            continue;
        };
        let params = post.entry("parameters").or_insert_with(|| json!([]));
        if let Some(list) = params.as_array_mut() {
            list.push(json!({"$ref": "#/components/parameters/IdempotencyKey"}));
        }
    }
}
