//! The credit paths of the hand-written OpenAPI document.

use serde_json::{json, Map, Value};

fn op(summary: &str, params: Value, body: Option<Value>) -> Value {
    let mut o = json!({"summary": summary, "parameters": params,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "default": {"$ref": "#/components/responses/Error"}}});
    if let Some(b) = body {
        o["requestBody"] = json!({"content": {"application/json": {"schema": b}}});
    }
    o
}

/// The credit paths of the OpenAPI document.
pub fn openapi_paths() -> Map<String, Value> {
    let code =
        json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let hid = json!({"name": "hid", "in": "path", "required": true, "schema": {"type": "integer"}});
    let q = |n: &str, k: &str| json!({"name": n, "in": "query", "required": false, "schema": {"type": k}});
    let obj = |props: Value| json!({"type": "object", "properties": props});
    let step = obj(
        json!({"today": {"type": "string", "format": "date", "description": "administrators only: stand-in for today"}, "days": {"type": "integer", "description": "publicity days (publish; default 7)"}}),
    );
    let v = json!({
        "/api/v1/units/{code}/credit/summary": {"get": op("Credit summary {unit, households, rated, by_grade{AAA,AA,A,B}, credit_lines{households, amount_fen}} over the latest final round of each village", json!([code]), None)},
        "/api/v1/units/{code}/credit/aaa": {"get": op("AAA households (CSV) as a reference for nominations", json!([code]), None)},
        "/api/v1/units/{code}/credit/lines": {"get": op("Households granted and amounts (fen) by village", json!([code]), None)},
        "/api/v1/credit/rounds": {
            "get": op("Assessment rounds in or above the account's area", json!([]), None),
            "post": op("Open a round for a village or township; rules = TOML text (default set when absent)", json!([]), Some(obj(json!({"unit": {"type": "string"}, "period": {"type": "string"}, "rules": {"type": "string"}}))))},
        "/api/v1/credit/rounds/{id}": {"get": op("A round and each village's progress through the four steps", json!([id]), None)},
        "/api/v1/credit/rounds/{id}/assess": {"post": op("System assessment of every household of the round", json!([id]), Some(step.clone()))},
        "/api/v1/credit/rounds/{id}/publish": {"post": op("Start publicity (default 7 days)", json!([id]), Some(step.clone()))},
        "/api/v1/credit/rounds/{id}/finalize": {"post": op("Final assessment; 400 while publicity runs or objections are open", json!([id]), Some(step))},
        "/api/v1/credit/rounds/{id}/results": {"get": op("Assessed households (score, grade)", json!([id, q("unit", "string")]), None)},
        "/api/v1/credit/rounds/{id}/records": {"post": op("Record a scored event (fairness checked; heavy items pending until confirmed)", json!([id]), Some(obj(json!({"household_id": {"type": "integer"}, "item_code": {"type": "string"}, "occurred_on": {"type": "string", "format": "date"}, "evidence": {"type": "string"}}))))},
        "/api/v1/credit/rounds/{id}/records/import": {"post": {"summary": "Import score records: household_no*, item_code*, occurred_on*, note (all-or-nothing)", "parameters": [id, q("file", "string"), q("dry_run", "boolean")],
            "requestBody": {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
            "responses": {"200": {"description": "OK"}, "default": {"$ref": "#/components/responses/Error"}}}},
        "/api/v1/credit/records/{id}/confirm": {"post": op("Confirm a heavy record (a second, different recorder)", json!([id]), None)},
        "/api/v1/credit/rounds/{id}/households/{hid}": {"get": op("A household's score explained item by item", json!([id, hid]), None)},
        "/api/v1/credit/rounds/{id}/households/{hid}/corrections": {"post": op("Correction after final (new audited entry)", json!([id, hid]), Some(obj(json!({"points": {"type": "integer"}, "grade": {"type": "string"}, "reason": {"type": "string"}}))))},
        "/api/v1/credit/rounds/{id}/objections": {"get": op("Objections of a round", json!([id]), None)},
        "/api/v1/credit/objections/{id}/resolve": {"post": op("Resolve an objection: {decision: uphold, points|record_id, reason} or {decision: reject, reason}", json!([id]), Some(json!({"type": "object", "required": ["decision"]})))},
        "/api/v1/credit/relations": {"post": op("Declare the account's own household (kind own) or a relation (kind relation)", json!([]), Some(obj(json!({"household_id": {"type": "integer"}, "kind": {"enum": ["own", "relation"]}}))))},
        "/api/v1/households/{id}/credit-profile": {
            "get": op("Household filing (labour, industry, income band, loans, repayment, consent)", json!([id]), None),
            "put": op("File household information", json!([id]), Some(obj(json!({"labour": {"type": "integer"}, "industry": {"type": "string"}, "income_band": {"type": "string"}, "loans": {"type": "string"}, "repayment": {"type": "string"}, "consent_to_share": {"type": "boolean"}}))))},
        "/api/v1/households/{id}/passbook": {"get": op("Points balance and every movement", json!([id]), None)},
        "/api/v1/credit/bank/households": {"get": op("Bank: final grades of consenting households in the account's area", json!([q("unit", "string"), q("grade", "string")]), None)},
        "/api/v1/credit/lines": {"post": op("Bank: record a credit line (amount_fen, term_months, rate_bp, granted_on)", json!([]), Some(obj(json!({"household_id": {"type": "integer"}, "amount_fen": {"type": "integer"}, "term_months": {"type": "integer"}, "rate_bp": {"type": "integer"}, "granted_on": {"type": "string", "format": "date"}}))))},
        "/api/v1/credit/goods": {
            "get": op("Supermarket goods", json!([q("unit", "string")]), None),
            "post": op("Add goods (village, name, point price, stock)", json!([]), Some(obj(json!({"village_code": {"type": "string"}, "name": {"type": "string"}, "price_points": {"type": "integer"}, "stock": {"type": "integer"}}))))},
        "/api/v1/credit/redemptions": {"post": op("Redeem points for goods; 409 when balance or stock is short (never negative)", json!([]), Some(obj(json!({"household_id": {"type": "integer"}, "goods_id": {"type": "integer"}, "qty": {"type": "integer"}}))))}
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
