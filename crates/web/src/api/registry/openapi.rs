//! The registry part of the OpenAPI document: the account, units, grids, households, members,
//! the audit log.

use crate::api::openapi::{
    answers, array, body, created, id, int, nonblank, nullable, object, ok, path_param, query,
    query_schema, r, required_text, text, upload,
};
use domain::registry::TAGS;
use serde_json::{json, Value};

/// Comma-separated tag codes (labels are accepted too).
fn tags() -> Value {
    let codes: Vec<&str> = TAGS.iter().map(|t| t.0).collect();
    let one = codes.join("|");
    json!({"type": "string", "pattern": format!("^(({one})(,({one}))*)?$"),
           "description": format!("comma-separated tag codes: {}", codes.join(", "))})
}

/// One tag (code or label) to filter by.
fn one_tag() -> Value {
    let codes: Vec<&str> = TAGS.iter().map(|t| t.0).collect();
    json!({"enum": codes})
}

fn household_fields(required: &[&str], with_village: bool) -> Value {
    let mut props = json!({
        "grid_code": {"type": ["string", "null"], "description": "a grid or micro-grid of the village; null or empty for none"},
        "household_no": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": "\\S", "description": "unique in the village"},
        "head_name": nonblank(),
        "address": {"type": "string"},
        "tags": tags(),
        "notes": text(2000),
    });
    if with_village {
        props["village_code"] = json!({"type": "string", "pattern": "^[0-9]{12}$", "description": "the village (12 digits)"});
        props["members"] = array(r("MemberInput"));
    }
    object(required, props)
}

pub fn paths() -> Value {
    let code = path_param("code", "string");
    let village = crate::api::ledger::openapi::village_param();
    let hid = path_param("id", "integer");
    let mid = path_param("mid", "integer");
    let page = int(i64::MIN, i64::MAX);
    let paging = [
        query_schema(
            "page",
            json!({"type": "integer", "format": "int64", "description": "from 1 (clamped)"}),
        ),
        query_schema(
            "per_page",
            json!({"type": "integer", "format": "int64", "description": "1..200 (clamped), default 50"}),
        ),
    ];
    json!({
        "/api/v1/me": {"get": {"summary": "The calling account", "responses": ok(object(&["username", "display_name", "role", "unit"], json!({
            "username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"}, "unit": {"type": "string", "description": "the account's unit code; empty for a national administrator"}})))}},
        "/api/v1/units/{code}": {"get": {"summary": "One unit", "parameters": [code], "responses": ok(r("Unit"))}},
        "/api/v1/units/{code}/children": {"get": {"summary": "Units one level down", "parameters": [code], "responses": ok(array(r("Unit")))}},
        "/api/v1/units/{code}/summary": {"get": {"summary": "Counts for a unit subtree", "parameters": [code], "responses": ok(object(&["unit", "units_by_level", "households", "members"], json!({
            "unit": {"type": "string"}, "units_by_level": {"type": "object", "additionalProperties": {"type": "integer"}}, "households": {"type": "integer"}, "members": {"type": "integer"}})))}},
        "/api/v1/units/{code}/grids": {
            "get": {"summary": "Grids and micro-grids of a village with household counts", "parameters": [village.clone()], "responses": ok(array(object(&["unit", "households"], json!({
                "unit": r("Unit"), "households": {"type": "integer"}, "size_warning": {"type": ["string", "null"]}}))))},
            "post": {"summary": "Create a grid (under a village) or micro-grid (under a grid)", "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^([0-9]{12}|[0-9]{15})$", "description": "a village (12 digits) or grid (15 digits)"}}],
                     "requestBody": body(object(&["name"], json!({"name": required_text(40), "leader": {"type": "string"}}))),
                     "responses": created(r("Unit"))}
        },
        "/api/v1/units/{code}/households/import": {"post": {"summary": "Import households of a village (all-or-nothing; 422 lists file:row:column issues)", "parameters": [village, query("dry_run", "boolean"), query("file", "string")],
            "requestBody": upload(), "responses": ok(json!({"type": "object", "description": "counts of what was (or would be) created and updated"}))}},
        "/api/v1/households": {
            "get": {"summary": "Households in a unit subtree, paginated (a tag filter from a role that does not see tags, i.e. a bank officer, is refused with 422 naming tag)", "parameters": [query("unit", "string"), query_schema("q", search_text()), query_schema("tag", one_tag()), paging[0], paging[1]],
                    "responses": ok(r("HouseholdPage"))},
            "post": {"summary": "Create a household with its members", "requestBody": body(household_fields(&["village_code", "household_no", "head_name"], true)),
                     "responses": created(r("Household"))}
        },
        "/api/v1/households/search": {"post": {"summary": "The household list with the search in the body (use it to look up a full resident ID: it never appears in a URL)",
            "requestBody": body(object(&[], json!({"unit": {"type": "string"}, "q": search_text_or_null(), "tag": {"anyOf": [one_tag(), {"type": "null"}, {"const": ""}]}, "page": {"type": ["integer", "null"], "format": "int64"}, "per_page": {"type": ["integer", "null"], "format": "int64"}}))),
            "responses": ok(r("HouseholdPage"))}},
        "/api/v1/households/{id}": {
            "get": {"summary": "One household's file (numbers masked)", "parameters": [hid], "responses": ok(r("Household"))},
            "put": {"summary": "Edit the household's own fields (members are edited one by one)", "parameters": [hid], "requestBody": body(household_fields(&["household_no", "head_name"], false)), "responses": ok(r("Household"))},
            "delete": {"summary": "Delete a household", "parameters": [hid], "responses": answers("204", None)}
        },
        "/api/v1/households/{id}/grid": {"put": {"summary": "Assign to a grid (or null / empty for none)", "parameters": [hid],
            "requestBody": body(object(&[], json!({"grid_code": {"type": ["string", "null"]}}))), "responses": ok(r("Household"))}},
        "/api/v1/households/{id}/members": {"post": {"summary": "Add a member", "parameters": [hid], "requestBody": body(r("MemberInput")), "responses": created(r("Household"))}},
        "/api/v1/households/{id}/members/{mid}": {
            "put": {"summary": "Replace a member's fields", "parameters": [hid, mid], "requestBody": body(r("MemberInput")), "responses": ok(r("Household"))},
            "delete": {"summary": "Remove a member", "parameters": [hid, mid], "responses": answers("204", None)}
        },
        "/api/v1/households/{id}/members/{mid}/reveal": {"post": {"summary": "Show a full resident ID or phone (audited; roles with the right only)", "parameters": [hid, mid],
            "requestBody": body(object(&["what"], json!({"what": {"enum": ["resident_id", "phone"]}}))),
            "responses": ok(object(&["member", "field", "value"], json!({"member": id(), "field": {"type": "string"}, "value": {"type": ["string", "null"]}})))}},
        "/api/v1/audit": {"get": {"summary": "Audit log within the account's subtree (officers)", "parameters": [query("unit", "string"), query("actor", "string"), query("action", "string"), query("entity", "string"), query("q", "string"),
                query_schema("from", json!({"type": "string", "description": "YYYY-MM-DD (ignored when not a date)"})), query_schema("to", json!({"type": "string", "description": "YYYY-MM-DD (ignored when not a date)"})), paging[0], query_schema("per_page", page)],
            "responses": ok(object(&["items", "total", "page", "per_page"], json!({"items": array(object(&["id", "action", "at"], json!({
                "id": id(), "action": {"type": "string"}, "actor_id": nullable("integer"), "actor_name": {"type": "string"}, "at": {"type": "string"},
                "entity_id": {"type": ["string", "null"]}, "entity_type": {"type": "string"}, "ip": {"type": ["string", "null"]}, "summary": {"type": ["string", "null"]}, "unit_code": {"type": ["string", "null"]}}))),
                "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}})))}},
        "/api/v1/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    })
}

pub fn schemas() -> Value {
    let member_out = json!({"type": "object", "required": ["id", "name"], "properties": {
        "id": id(), "name": {"type": "string"}, "relation": {"type": "string"},
        "sex": {"type": ["string", "null"]}, "birth_date": {"type": ["string", "null"]}, "birth_year": {"type": ["integer", "null"]},
        "resident_id": {"type": ["string", "null"], "description": "masked"}, "phone": {"type": ["string", "null"], "description": "masked"}}});
    json!({
        "Unit": {"type": "object", "required": ["code", "name", "level", "parent_code"], "properties": {
            "code": {"type": "string"}, "name": {"type": "string"},
            "level": {"enum": ["province", "city", "county", "township", "village", "grid", "micro_grid"]},
            "parent_code": {"type": ["string", "null"]}, "leader": {"type": ["string", "null"]}}},
        "MemberInput": object(&["name"], json!({
            "name": required_text(40), "relation": {"type": "string", "description": "户主 when empty"},
            "sex": {"enum": ["", "男", "女", "male", "female", "m", "f"]},
            "birth_date": {"anyOf": [{"type": "string", "format": "date", "pattern": "^(1[89][0-9]{2}|20[01][0-9]|202[0-5])-"}, {"type": "string", "maxLength": 0}], "description": "not in the future; must agree with the resident ID"},
            "resident_id": {"type": "string", "pattern": "^([0-9]{17}[0-9Xx])?$", "description": "18 characters with a valid GB 11643 check digit (422 otherwise); masked in answers"},
            "phone": {"type": "string", "pattern": "^(1[0-9]{10}|0[0-9]{2,3}-[0-9]{7,8})?$", "description": "11-digit mobile or area-code landline; masked in answers"}})),
        "Household": {"type": "object", "required": ["id", "village_code", "household_no", "head_name", "tags", "member_count"], "properties": {
            "id": id(), "village_code": {"type": "string"}, "grid_code": {"type": ["string", "null"]}, "grid_name": {"type": ["string", "null"]},
            "household_no": {"type": "string"}, "head_name": {"type": "string"}, "address": {"type": "string"},
            "tags": array(json!({"type": "string"})), "notes": {"type": "string"}, "member_count": {"type": "integer"},
            "created_at": {"type": "string"}, "updated_at": {"type": "string"},
            "members": {"type": "array", "items": member_out, "description": "only on one household's file"}}},
        "HouseholdPage": object(&["items", "total", "page", "per_page"], json!({
            "items": array(r("Household")), "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}})),
    })
}

/// The household search text: how it matches depends on the area (`domain::registry::search`).
fn search_text() -> Value {
    json!({"type": "string", "description": SEARCH_RULE})
}

fn search_text_or_null() -> Value {
    json!({"type": ["string", "null"], "description": SEARCH_RULE})
}

const SEARCH_RULE: &str = "Within a village or grid: any part of the household number, head's \
    or a member's name, or address. Across a township or more: the start of the head's or a \
    member's name, at least 2 characters (shorter: 422 naming q). A full resident ID finds its \
    household anywhere (roles that see IDs).";
