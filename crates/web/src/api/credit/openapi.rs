//! The credit paths and schemas of the hand-written OpenAPI document.

use crate::api::openapi::{
    array, body, created, date, file, id, int, nonblank, nullable, object, ok, path_param, query,
    query_schema, r, upload,
};
use serde_json::{json, Map, Value};

fn op(summary: &str, params: Value, req: Option<Value>, responses: Value) -> Value {
    let mut o = json!({"summary": summary, "parameters": params, "responses": responses});
    if let Some(b) = req {
        o["requestBody"] = body(b);
    }
    o
}

/// The optional body of the round steps: absent (no Content-Type) or JSON.
fn step_body() -> Value {
    json!({"required": false, "content": {"application/json": {"schema": object(&[], json!({
        "today": {"type": ["string", "null"], "format": "date", "description": "administrators only (403 for others): stand-in for today"},
        "days": {"type": ["integer", "null"], "minimum": 1, "maximum": 60, "description": "publicity days (publish; default 7)"},
        "drop_pending": {"type": ["boolean", "null"], "description": "finalize only: leave out heavy records still waiting for a second recorder (refused with 409 otherwise); their number is audited"}}))}}})
}

fn step(summary: &str, id: &Value, answer: Value) -> Value {
    json!({"summary": summary, "parameters": [id], "requestBody": step_body(), "responses": ok(answer)})
}

/// A correction changes the points (not 0) or the grade, or both.
fn correction(grade: &Value) -> Value {
    let mut o = object(
        &["reason"],
        json!({"points": {"type": "integer", "format": "int64", "minimum": -1000, "maximum": 1000, "description": "not 0 unless a grade is given"},
        "grade": {"anyOf": [grade, {"type": "null"}, {"const": ""}]}, "reason": nonblank(), "today": {"type": ["string", "null"], "format": "date", "description": "administrators only"}}),
    );
    o["anyOf"] = json!([
        {"required": ["points"], "properties": {"points": {"not": {"const": 0}}}},
        {"required": ["grade"], "properties": {"grade": grade}}]);
    o
}

/// The credit paths of the OpenAPI document.
pub fn openapi_paths() -> Map<String, Value> {
    let code = path_param("code", "string");
    let id_p = path_param("id", "integer");
    let hid = path_param("hid", "integer");
    let s = json!({"type": "string"});
    let grade = json!({"enum": ["AAA", "AA", "A", "B"]});
    let v = json!({
        "/api/v1/units/{code}/credit/summary": {"get": op("Credit summary over the latest final round of each village", json!([code]), None, ok(r("CreditSummary")))},
        "/api/v1/units/{code}/credit/aaa": {"get": op("AAA households (CSV) as a reference for nominations", json!([code]), None, file(&["text/csv"]))},
        "/api/v1/units/{code}/credit/lines": {"get": op("Households granted and amounts (fen) by village", json!([code]), None,
            ok(array(object(&["village_code", "village_name", "households", "amount_fen"], json!({"village_code": s, "village_name": s, "households": {"type": "integer"}, "amount_fen": {"type": "integer"}})))))},
        "/api/v1/credit/rounds": {
            "get": op("Assessment rounds in or above the account's area", json!([]), None, ok(array(r("Round")))),
            "post": op("Open a round for a village or township; rules = TOML text (the default set when absent; 422 when it does not parse)", json!([]),
                Some(object(&["unit", "period"], json!({"unit": {"type": "string", "pattern": "^\\s*([0-9]{9}|[0-9]{12})\\s*$", "description": "a township (9 digits) or village (12 digits)"},
                    "period": nonblank(), "rules": {"type": ["string", "null"], "description": "rule set TOML (see docs/credit.md)"}}))),
                created(object(&["round"], json!({"round": id()}))))},
        "/api/v1/credit/rounds/{id}": {"get": op("A round and each village's progress through the four steps", json!([id_p]), None,
            ok(object(&["round", "villages"], json!({"round": r("Round"), "villages": array(object(&["village_code"], json!({"village_code": s, "village_name": s,
                "households": {"type": "integer"}, "filed": {"type": "integer"}, "records": {"type": "integer"}, "assessed": {"type": "integer"}, "open_objections": {"type": "integer"}})))}))))},
        "/api/v1/credit/rounds/{id}/assess": {"post": step("System assessment of every household of the round; 409 when the round's stage does not allow it", &id_p,
            object(&["round", "households", "records", "by_grade"], json!({"round": id(), "households": {"type": "integer"}, "records": {"type": "integer"}, "by_grade": r("GradeCounts")})))},
        "/api/v1/credit/rounds/{id}/publish": {"post": step("Start publicity (default 7 days); 409 unless assessed", &id_p, r("Round"))},
        "/api/v1/credit/rounds/{id}/finalize": {"post": step("Final assessment; 409 while publicity runs, objections are open or heavy records wait for confirmation (unless drop_pending)", &id_p, r("Round"))},
        "/api/v1/credit/rounds/{id}/results": {"get": op("Assessed households (score, grade), by village and household number. Without page or per_page: the first 5,000. With either: that page only (a page shorter than per_page is the last)", json!([id_p, query("unit", "string"),
                query_schema("page", json!({"type": "integer", "format": "int64", "description": "from 1 (clamped); default 1"})),
                query_schema("per_page", json!({"type": "integer", "format": "int64", "description": "1..1000 (clamped); default 100"}))]), None,
            ok(array(object(&["household_id", "score", "grade", "final"], json!({"household_id": id(), "village_code": s, "household_no": s, "head_name": s,
                "score": {"type": "integer"}, "grade": s, "earned": {"type": "integer"}, "final": {"type": "boolean"}})))))},
        "/api/v1/credit/rounds/{id}/records": {"post": op("Record a scored event (fairness checked; heavy items pending until confirmed). 422 for an item code not in the round's rules or a date outside it; 403 for the recorder's own or related household; 409 when the round's stage does not allow it", json!([id_p]),
            Some(object(&["household_id", "item_code", "occurred_on", "evidence"], json!({"household_id": id(), "item_code": nonblank(), "occurred_on": date(), "evidence": nonblank()}))),
            created(object(&["id", "pending"], json!({"id": id(), "pending": {"type": "boolean"}}))))},
        "/api/v1/credit/rounds/{id}/records/import": {"post": {"summary": "Import score records: household_no*, item_code*, occurred_on*, note, village, confirmed_by (an account that already confirmed the record on paper; fairness rules checked, such records count at once). All-or-nothing; 422 lists file:row:column issues", "parameters": [id_p, query("file", "string"), query("dry_run", "boolean")],
            "requestBody": upload(), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/credit/records/{id}/confirm": {"post": op("Confirm a heavy record (a second, different recorder; 409 once the round is final)", json!([id_p]), None, ok(object(&["confirmed"], json!({"confirmed": id()}))))},
        "/api/v1/credit/rounds/{id}/households/{hid}": {"get": op("A household's score explained item by item", json!([id_p, hid]), None,
            ok(object(&["round", "household_id", "breakdown", "records", "is_final"], json!({"round": r("Round"), "household_id": id(), "village_code": s, "household_no": s, "head_name": s,
                "breakdown": {"type": "object"}, "records": array(json!({"type": "object"})), "assessed_score": nullable("integer"), "assessed_grade": nullable("string"),
                "is_final": {"type": "boolean"}, "corrections": array(json!({"type": "object"})), "corrected_score": nullable("integer"), "corrected_grade": nullable("string")}))))},
        "/api/v1/credit/rounds/{id}/households/{hid}/corrections": {"post": op("Correction after final (new audited entry): points and/or grade, with a reason; 409 before the final step", json!([id_p, hid]),
            Some(correction(&grade)),
            created(object(&["correction"], json!({"correction": id()}))))},
        "/api/v1/credit/rounds/{id}/objections": {"get": op("Objections of a round", json!([id_p]), None, ok(array(r("Objection"))))},
        "/api/v1/credit/objections/{id}/resolve": {"post": op("Resolve an objection: uphold (points, or record_id to void) or reject (a reason is required)", json!([id_p]),
            Some(json!({"oneOf": [
                object(&["decision"], json!({"decision": {"const": "uphold"}, "points": {"type": "integer", "format": "int64", "minimum": -1000, "maximum": 1000}, "record_id": {"type": ["integer", "null"], "format": "int64"}, "reason": {"type": "string"}})),
                object(&["decision", "reason"], json!({"decision": {"const": "reject"}, "reason": nonblank()}))]})),
            ok(r("Objection")))},
        "/api/v1/credit/relations": {"post": op("Declare the account's own household (kind own) or a relation (kind relation)", json!([]),
            Some(object(&["household_id", "kind"], json!({"household_id": id(), "kind": {"enum": ["own", "relation"]}}))),
            created(object(&["relation"], json!({"relation": id()}))))},
        "/api/v1/households/{id}/credit-profile": {
            "get": op("Household filing (labour, industry, income band, loans, repayment, consent); null when nothing is filed yet", json!([id_p]), None, ok(r("CreditProfileOrNull"))),
            "put": op("File household information (fields left out are empty, consent false)", json!([id_p]),
                Some(object(&[], json!({"labour": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 50}, "industry": {"type": "string"}, "income_band": {"type": "string"},
                    "loans": {"type": "string"}, "repayment": {"type": "string"}, "consent_to_share": {"type": "boolean"}}))),
                ok(r("CreditProfileOrNull")))},
        "/api/v1/households/{id}/passbook": {"get": op("Points balance and every movement", json!([id_p]), None,
            ok(object(&["household_id", "balance", "entries"], json!({"household_id": id(), "household_no": s, "head_name": s, "balance": {"type": "integer"},
                "entries": array(object(&["id", "kind", "amount", "balance_after"], json!({"id": id(), "kind": s, "amount": {"type": "integer"}, "balance_after": {"type": "integer"}, "note": s, "created_by": s, "created_at": s})))}))))},
        "/api/v1/credit/bank/households": {"get": op("Bank: final grades of consenting households in the account's area", json!([query("unit", "string"), {"name": "grade", "in": "query", "required": false, "schema": {"enum": ["", "AAA", "AA", "A", "B"]}}]), None,
            ok(array(object(&["household_id", "grade"], json!({"household_id": id(), "village_code": s, "household_no": s, "head_name": s, "round": id(),
                "score": {"type": "integer"}, "grade": s, "industry": s, "income_band": s})))))},
        "/api/v1/credit/lines": {"post": op("Bank: record a credit line for a consenting household with a final grade (404 otherwise)", json!([]),
            Some(object(&["household_id", "amount_fen", "term_months", "rate_bp", "granted_on"], json!({"household_id": id(), "amount_fen": int(1, 10_000_000_000),
                "term_months": int(1, 600), "rate_bp": int(0, 10_000), "granted_on": date()}))),
            created(object(&["credit_line"], json!({"credit_line": id()}))))},
        "/api/v1/credit/goods": {
            "get": op("Supermarket goods", json!([query("unit", "string")]), None,
                ok(array(object(&["id", "village_code", "name", "price_points", "stock"], json!({"id": id(), "village_code": s, "name": s, "price_points": {"type": "integer"}, "stock": {"type": "integer"}}))))),
            "post": op("Add goods (village, name, point price, stock)", json!([]),
                Some(object(&["village_code", "name", "price_points", "stock"], json!({"village_code": {"type": "string", "pattern": "^\\s*[0-9]{12}\\s*$"}, "name": nonblank(),
                    "price_points": int(1, i64::MAX), "stock": int(0, i64::MAX)}))),
                created(object(&["goods"], json!({"goods": id()}))))},
        "/api/v1/credit/redemptions": {"post": op("Redeem points for goods; 409 when balance or stock is short (never negative)", json!([]),
            Some(object(&["household_id", "goods_id", "qty"], json!({"household_id": id(), "goods_id": id(), "qty": int(1, i64::MAX)}))),
            created(object(&["redemption", "points", "balance", "stock"], json!({"redemption": id(), "points": {"type": "integer"}, "balance": {"type": "integer"}, "stock": {"type": "integer"}}))))}
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The credit schemas of the OpenAPI document.
pub fn openapi_schemas() -> Map<String, Value> {
    let s = json!({"type": "string"});
    let ns = json!({"type": ["string", "null"]});
    let i = json!({"type": "integer"});
    let counts = object(
        &["AAA", "AA", "A", "B"],
        json!({"AAA": i, "AA": i, "A": i, "B": i}),
    );
    let v = json!({
        "GradeCounts": counts,
        "Round": object(&["id", "unit_code", "period", "stage"], json!({"id": id(), "unit_code": s, "period": s, "rules_name": s,
            "stage": {"enum": domain::credit::RoundStage::ALL.map(|s| s.as_str())}, "assessed_on": ns, "publicity_start": ns, "publicity_days": i,
            "publicity_last_day": ns, "finalized_on": ns, "created_by": s})),
        "CreditSummary": object(&["unit", "households", "rated", "by_grade", "credit_lines"], json!({"unit": s, "households": i, "rated": i,
            "by_grade": r("GradeCounts"), "credit_lines": object(&["households", "amount_fen"], json!({"households": i, "amount_fen": i}))})),
        "Objection": object(&["id", "round_id", "household_id", "status"], json!({"id": id(), "round_id": id(), "household_id": id(), "household_no": s,
            "village_code": s, "raised_by": s, "contact": ns, "reason": s, "raised_on": s, "status": s, "fix_points": i, "fix_record_id": nullable("integer"),
            "decision_reason": s, "decided_by": ns, "decided_on": ns})),
        "CreditProfileOrNull": {"oneOf": [{"type": "null"}, object(&["labour", "industry", "income_band", "loans", "repayment", "consent_to_share"], json!({
            "labour": i, "industry": s, "income_band": s, "loans": s, "repayment": s, "consent_to_share": {"type": "boolean"}}))]}
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
