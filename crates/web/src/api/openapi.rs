//! The OpenAPI 3.1 document, written out by hand. Why not generated: the response types live in
//! the application crate, and deriving schemas there would pull a proc-macro framework into
//! every layer on a 2-core build machine. Two checks keep it honest: an integration test
//! (every routed path documented, every JSON body lists its required fields) and
//! scripts/schemathesis.sh (the running API against this document).
//!
//! Request schemas say what the server accepts: required fields, types, formats and limits as
//! the validation code enforces them. Rules across fields or against stored data (a resident
//! ID's check digit, end after start, an amount within what remains) are in the descriptions and
//! answer 422 or 409.

use axum::Json;
use serde_json::{json, Map, Value};

/// The error statuses every operation may answer, each with the error JSON.
pub(super) fn errors() -> Map<String, Value> {
    [
        ("400", "BadRequest"),
        ("401", "Unauthenticated"),
        ("403", "Forbidden"),
        ("404", "NotFound"),
        ("409", "Conflict"),
        ("422", "Invalid"),
        ("429", "Throttled"),
        ("503", "Unavailable"),
    ]
    .into_iter()
    .map(|(code, name)| {
        (
            code.to_string(),
            json!({"$ref": format!("#/components/responses/{name}")}),
        )
    })
    .collect()
}

/// Responses: one success (`status`, JSON `schema`, or no body) plus every error.
pub(super) fn answers(status: &str, schema: Option<Value>) -> Value {
    let mut m = errors();
    let ok = match schema {
        Some(s) => json!({"description": "OK", "content": {"application/json": {"schema": s}}}),
        None => json!({"description": "Done, no body"}),
    };
    m.insert(status.to_string(), ok);
    Value::Object(m)
}

pub(super) fn ok(schema: Value) -> Value {
    answers("200", Some(schema))
}

pub(super) fn created(schema: Value) -> Value {
    answers("201", Some(schema))
}

/// A file answer (CSV or XLSX) plus every error.
pub(super) fn file(types: &[&str]) -> Value {
    let mut m = errors();
    let content: Map<String, Value> = types
        .iter()
        .map(|t| (t.to_string(), json!({"schema": {"type": "string"}})))
        .collect();
    m.insert(
        "200".into(),
        json!({"description": "The file", "content": content}),
    );
    Value::Object(m)
}

/// A required JSON request body.
pub(super) fn body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// An upload: the body is the CSV or XLSX file itself.
pub(super) fn upload() -> Value {
    json!({"required": true, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}})
}

/// An object with these required fields (unknown fields are ignored by the server).
pub(super) fn object(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props})
}

pub(super) fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub(super) fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

/// Text of at most `max` characters, may be empty.
pub(super) fn text(max: usize) -> Value {
    json!({"type": "string", "maxLength": max})
}

/// Text that must hold more than blanks, at most `max` characters.
pub(super) fn required_text(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S"})
}

/// Text that must hold more than blanks (no length limit enforced).
pub(super) fn nonblank() -> Value {
    json!({"type": "string", "minLength": 1, "pattern": "\\S"})
}

/// A date, `YYYY-MM-DD`.
pub(super) fn date() -> Value {
    json!({"type": "string", "format": "date"})
}

/// A date, or empty for none.
pub(super) fn date_or_empty() -> Value {
    json!({"anyOf": [date(), {"type": "string", "maxLength": 0}]})
}

/// Yuan as text with at most two decimals (`1234.50`), at most 999,999,999,999.99.
pub(super) fn yuan(positive: bool, optional: bool) -> Value {
    let amount = if positive {
        "[1-9][0-9]{0,11}(\\.[0-9]{1,2})?|0\\.(0[1-9]|[1-9][0-9]?)"
    } else {
        "[0-9]{1,12}(\\.[0-9]{1,2})?"
    };
    let pattern = if optional {
        format!("^({amount})?$")
    } else {
        format!("^({amount})$")
    };
    json!({"type": "string", "pattern": pattern, "description": "yuan, at most two decimals"})
}

pub(super) fn int(min: i64, max: i64) -> Value {
    json!({"type": "integer", "format": "int64", "minimum": min, "maximum": max})
}

/// A database id.
pub(super) fn id() -> Value {
    json!({"type": "integer", "format": "int64"})
}

pub(super) fn nullable(kind: &str) -> Value {
    json!({"type": [kind, "null"]})
}

pub(super) fn path_param(name: &str, kind: &str) -> Value {
    let schema = if kind == "integer" {
        id()
    } else {
        json!({"type": kind})
    };
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

pub(super) fn query(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}})
}

pub(super) fn query_schema(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema})
}

pub fn spec() -> Value {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "grassroots API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Village-level governance. Authenticate with `Authorization: Bearer <token>` (see `grassroots token create`) or a session cookie plus `X-CSRF-Token` for writes. Every call is limited to the account's unit subtree; records outside it answer 404. Money is integer fen in answers; ledger forms take yuan as text. Every error is `{\"error\": {\"code\", \"message\", \"fields\"?, \"issues\"?}}`."},
        "security": [{"bearer": []}],
        "paths": super::registry::openapi::paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": error_responses(),
            "schemas": super::registry::openapi::schemas(),
        }
    });
    super::ledger::openapi::extend(&mut doc);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        paths.extend(super::credit::openapi_paths());
        paths.extend(super::tokens::openapi_paths());
    }
    if let Some(s) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        s.insert("Error".into(), error_schema());
        s.extend(super::credit::openapi_schemas());
    }
    super::idempotency::document(&mut doc);
    doc
}

fn error_schema() -> Value {
    // The words of a refusal: a stable `reason` to branch on, and the text in both languages.
    let words = json!({
        "reason": {"type": "string", "description": "stable code of this message in the catalogue (domain::message), e.g. date.invalid, resident_id.check_digit, conflict.household_no, credit.insufficient_balance; `text` for a message not yet in the catalogue"},
        "message": {"type": "string", "description": "English, then \" / \" and Chinese when they differ"},
        "message_zh": {"type": "string"},
        "message_en": {"type": "string"},
    });
    let with = |extra: Value| {
        let mut p = words.clone();
        if let (Some(p), Some(e)) = (p.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        p
    };
    let field = json!({"type": "object", "required": ["field", "reason", "message", "message_zh", "message_en"], "properties": with(json!({
        "field": {"type": "string"},
        "member": {"type": "integer", "description": "for a household's members: which one (1 = the first of the request)"}}))});
    let issue = json!({"type": "object", "required": ["file", "row", "reason", "message", "message_zh", "message_en"], "properties": with(json!({
        "file": {"type": "string"}, "row": {"type": "integer"}, "column": {"type": ["string", "null"]},
        "more": {"type": "integer", "description": "on the last issue of a capped list: how many more were not listed"}}))});
    json!({"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "reason", "message", "message_zh", "message_en"], "properties": with(json!({
        "code": {"type": "string", "description": "bad_request, unauthenticated, forbidden, not_found, conflict, invalid, import_refused, throttled, unavailable, internal"},
        "fields": {"type": "array", "description": "422 invalid: one entry per bad field", "items": field},
        "issues": {"type": "array", "description": "422 import_refused: file:row:column of each problem", "items": issue}}))}}})
}

fn error_responses() -> Value {
    let e = |d: &str| json!({"description": d, "content": {"application/json": {"schema": r("Error")}}});
    let mut unavailable =
        e("The database is busy or unreachable; retry after the `Retry-After` seconds");
    unavailable["headers"] =
        json!({"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}});
    json!({
        "BadRequest": e("Malformed request: not JSON, wrong content type, a bad path or query parameter, or a unit of the wrong level"),
        "Unauthenticated": e("No valid token or session"),
        "Forbidden": e("The account's role may not do this"),
        "NotFound": e("Not found, or outside the account's area"),
        "Conflict": e("Conflicts with stored state: a step the record's stage does not allow, a duplicate, stock or balance short"),
        "Invalid": e("JSON of the wrong shape, invalid fields (`fields`), or a refused import (`issues`)"),
        "Throttled": e("Too many attempts; try later"),
        "Unavailable": unavailable,
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
