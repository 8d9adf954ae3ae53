//! The OpenAPI 3.1 document, written out by hand. Why not generated: the response types live in
//! the application crate, and deriving schemas there would pull a proc-macro framework into
//! every layer on a 2-core build machine. An integration test checks that every routed path is
//! documented here.

use axum::Json;
use serde_json::{json, Value};

pub(super) fn ok(schema: Value) -> Value {
    json!({"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}, "default": {"$ref": "#/components/responses/Error"}})
}

pub(super) fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub(super) fn path_param(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": kind}})
}

pub(super) fn query(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": {"type": kind}})
}

pub fn spec() -> Value {
    let mut doc = base_spec();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        paths.extend(super::credit::openapi_paths());
        paths.extend(super::tokens::openapi_paths());
    }
    super::idempotency::document(&mut doc);
    doc
}

fn base_spec() -> Value {
    let code = path_param("code", "string");
    let id = path_param("id", "integer");
    let mid = path_param("mid", "integer");
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "grassroots API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Village-level governance. Authenticate with `Authorization: Bearer <token>` (see `grassroots token create`) or a session cookie plus `X-CSRF-Token` for writes. Every call is limited to the account's unit subtree; records outside it answer 404. Money is integer fen."},
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/me": {"get": {"summary": "The calling account", "responses": ok(json!({"type": "object"}))}},
            "/api/v1/units/{code}": {"get": {"summary": "One unit", "parameters": [code], "responses": ok(r("Unit"))}},
            "/api/v1/units/{code}/children": {"get": {"summary": "Units one level down", "parameters": [code], "responses": ok(json!({"type": "array", "items": r("Unit")}))}},
            "/api/v1/units/{code}/summary": {"get": {"summary": "Counts for a unit subtree", "parameters": [code], "responses": ok(json!({"type": "object"}))}},
            "/api/v1/units/{code}/grids": {
                "get": {"summary": "Grids and micro-grids of a village with household counts", "parameters": [code], "responses": ok(json!({"type": "array", "items": {"type": "object"}}))},
                "post": {"summary": "Create a grid (under a village) or micro-grid (under a grid)", "parameters": [code],
                         "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "leader": {"type": "string"}}}}}},
                         "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": r("Unit")}}}, "default": {"$ref": "#/components/responses/Error"}}}
            },
            "/api/v1/units/{code}/households/import": {"post": {"summary": "Import households of a village (all-or-nothing)", "parameters": [code, query("dry_run", "boolean"), query("file", "string")],
                "requestBody": {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}, "responses": ok(json!({"type": "object"}))}},
            "/api/v1/households": {
                "get": {"summary": "Households in a unit subtree, paginated", "parameters": [query("unit", "string"), query("q", "string"), query("tag", "string"), query("page", "integer"), query("per_page", "integer")],
                        "responses": ok(json!({"type": "object", "properties": {"items": {"type": "array", "items": r("Household")}, "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}}))},
                "post": {"summary": "Create a household with its members", "requestBody": {"content": {"application/json": {"schema": r("HouseholdInput")}}},
                         "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": r("Household")}}}, "default": {"$ref": "#/components/responses/Error"}}}
            },
            "/api/v1/households/search": {"post": {"summary": "The household list with the search in the body (use it to look up a full resident ID: it never appears in a URL)",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"unit": {"type": "string"}, "q": {"type": "string"}, "tag": {"type": "string"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}}}}}},
                "responses": ok(json!({"type": "object", "properties": {"items": {"type": "array", "items": r("Household")}, "total": {"type": "integer"}}}))}},
            "/api/v1/households/{id}": {
                "get": {"summary": "One household's file (numbers masked)", "parameters": [id], "responses": ok(r("Household"))},
                "put": {"summary": "Edit the household's own fields", "parameters": [id], "requestBody": {"content": {"application/json": {"schema": r("HouseholdInput")}}}, "responses": ok(r("Household"))},
                "delete": {"summary": "Delete a household", "parameters": [id], "responses": {"204": {"description": "Deleted"}, "default": {"$ref": "#/components/responses/Error"}}}
            },
            "/api/v1/households/{id}/grid": {"put": {"summary": "Assign to a grid (or null)", "parameters": [id], "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"grid_code": {"type": ["string", "null"]}}}}}}, "responses": ok(r("Household"))}},
            "/api/v1/households/{id}/members": {"post": {"summary": "Add a member", "parameters": [id], "requestBody": {"content": {"application/json": {"schema": r("Member")}}}, "responses": {"201": {"description": "Created"}, "default": {"$ref": "#/components/responses/Error"}}}},
            "/api/v1/households/{id}/members/{mid}": {
                "put": {"summary": "Replace a member's fields", "parameters": [id, mid], "requestBody": {"content": {"application/json": {"schema": r("Member")}}}, "responses": ok(r("Household"))},
                "delete": {"summary": "Remove a member", "parameters": [id, mid], "responses": {"204": {"description": "Deleted"}, "default": {"$ref": "#/components/responses/Error"}}}
            },
            "/api/v1/households/{id}/members/{mid}/reveal": {"post": {"summary": "Show a full resident ID or phone (audited; roles with the right only)", "parameters": [id, mid],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"what": {"enum": ["resident_id", "phone"]}}}}}}, "responses": ok(json!({"type": "object"}))}},
            "/api/v1/audit": {"get": {"summary": "Audit log within the account's subtree (officers)", "parameters": [query("unit", "string"), query("actor", "string"), query("action", "string"), query("entity", "string"), query("q", "string"), query("from", "string"), query("to", "string"), query("page", "integer")], "responses": ok(json!({"type": "object"}))}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OK"}}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "400 bad input, 401 not logged in, 403 not allowed, 404 not found or outside your area, 409 conflict, 422 invalid fields or refused import, 429 throttled",
                "content": {"application/json": {"schema": r("Error")}}}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
                    "issues": {"type": "array", "items": {"type": "object", "properties": {"file": {"type": "string"}, "row": {"type": "integer"}, "column": {"type": "string"}, "message": {"type": "string"}}}}}}}},
                "Unit": {"type": "object", "required": ["code", "name", "level", "parent_code"], "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"},
                    "level": {"enum": ["province", "city", "county", "township", "village", "grid", "micro_grid"]},
                    "parent_code": {"type": ["string", "null"]}, "leader": {"type": "string"}}},
                "Member": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "relation": {"type": "string"}, "sex": {"type": "string", "description": "男/女/male/female"},
                    "birth_date": {"type": "string", "format": "date"}, "resident_id": {"type": "string", "description": "18 characters, GB 11643 check digit; masked in responses"},
                    "phone": {"type": "string", "description": "masked in responses"}}},
                "HouseholdInput": {"type": "object", "required": ["village_code", "household_no", "head_name"], "properties": {
                    "village_code": {"type": "string"}, "grid_code": {"type": ["string", "null"]}, "household_no": {"type": "string"},
                    "head_name": {"type": "string"}, "address": {"type": "string"}, "tags": {"type": "string", "description": "comma-separated tag codes"},
                    "notes": {"type": "string"}, "members": {"type": "array", "items": r("Member")}}},
                "Household": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "village_code": {"type": "string"}, "grid_code": {"type": ["string", "null"]},
                    "household_no": {"type": "string"}, "head_name": {"type": "string"}, "address": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}}, "notes": {"type": "string"}, "member_count": {"type": "integer"},
                    "members": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "relation": {"type": "string"},
                        "sex": {"type": ["string", "null"]}, "birth_date": {"type": ["string", "null"]}, "resident_id": {"type": ["string", "null"]}, "phone": {"type": ["string", "null"]}}}}}}
            }
        }
    });
    super::ledger_openapi::extend(&mut doc);
    doc
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
