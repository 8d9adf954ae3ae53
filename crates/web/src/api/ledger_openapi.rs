//! The ledger part of the OpenAPI document (kept apart: one `json!` per part stays under the
//! macro recursion limit).

use super::openapi::{ok, path_param, query, r};
use serde_json::{json, Value};

fn created() -> Value {
    json!({"201": {"description": "Created, returns {\"id\"}"}, "default": {"$ref": "#/components/responses/Error"}})
}

fn obj(fields: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), json!({"type": "string"})))
        .collect();
    json!({"content": {"application/json": {"schema": {"type": "object", "properties": props}}}})
}

fn list() -> Value {
    ok(json!({"type": "array", "items": {"type": "object"}}))
}

fn paths() -> Value {
    let code = path_param("code", "string");
    let id = path_param("id", "integer");
    json!({
        "/api/v1/villages/{code}/ledger/summary": {"get": {"summary": "Ledger summary of a village (same JSON as `grassroots ledger summary --json`)", "parameters": [code], "responses": ok(r("LedgerSummary"))}},
        "/api/v1/units/{code}/ledger/villages": {"get": {"summary": "One row per village of a township/county with the summary figures (plus name, open_flags), sorted for ranking", "parameters": [code, query("sort", "string"), query("order", "string")], "responses": ok(json!({"type": "array", "items": r("LedgerSummary")}))}},
        "/api/v1/villages/{code}/ledger/contracts": {
            "get": {"summary": "Contracts with their flags (cadre-related first)", "parameters": [code], "responses": list()},
            "post": {"summary": "Create a contract (fields as the import columns, plus status); flags are recomputed", "parameters": [code], "requestBody": obj(&["contract_no", "kind", "counterparty", "counterparty_id", "subject", "resource_no", "area_mu", "area_m2", "start_on", "end_on", "annual_rent_yuan", "prepaid_years", "paid_yuan", "signed_on", "procedure_ref", "related_cadre", "status"]), "responses": created()}
        },
        "/api/v1/villages/{code}/ledger/contracts/{id}": {"put": {"summary": "Update a contract (status active/terminated); a masked counterparty_id keeps the stored one", "parameters": [code, id], "requestBody": obj(&["contract_no", "kind", "counterparty", "counterparty_id", "start_on", "end_on", "annual_rent_yuan", "status"]), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/flags": {"get": {"summary": "Every flag with its rectification task (cadre-related first)", "parameters": [code], "responses": list()}},
        "/api/v1/villages/{code}/ledger/flags/{id}": {"put": {"summary": "Rectification task: status open→rectified|waived (waived needs a reason), deadline, reason, evidence", "parameters": [code, id], "requestBody": obj(&["status", "deadline", "reason", "evidence"]), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/recompute": {"post": {"summary": "Recompute the flags with today's date and the county's rules", "parameters": [code], "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/debts": {
            "get": {"summary": "Debts with resolution progress and actions", "parameters": [code], "responses": list()},
            "post": {"summary": "Create a debt", "parameters": [code], "requestBody": obj(&["debt_no", "creditor", "principal_yuan", "incurred_on", "category", "note"]), "responses": created()}
        },
        "/api/v1/villages/{code}/ledger/debts/{id}": {"put": {"summary": "Update a debt (principal not below what is resolved)", "parameters": [code, id], "requestBody": obj(&["debt_no", "creditor", "principal_yuan", "incurred_on", "category", "note"]), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/claims/{id}": {"put": {"summary": "Update a claim (amount not below what is collected)", "parameters": [code, id], "requestBody": obj(&["claim_no", "debtor", "amount_yuan", "arose_on", "origin", "note"]), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/resources/{id}": {"put": {"summary": "Update a resource", "parameters": [code, id], "requestBody": obj(&["resource_no", "kind", "name", "area_mu", "location", "status", "contract_no", "note"]), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/resources/{id}/charges": {"post": {"summary": "Charge for a resource occupied without a contract (creates a claim with origin resource:<no>)", "parameters": [code, id], "requestBody": obj(&["debtor", "amount_yuan", "arose_on", "note"]), "responses": created()}},
        "/api/v1/villages/{code}/ledger/debts/{id}/actions": {"post": {"summary": "Record a resolution (write_off/adjustment/offset/repayment or 核销/账务调整/抵销/偿还); 422 if it exceeds the remaining debt", "parameters": [code, id], "requestBody": obj(&["method", "amount_yuan", "acted_on", "evidence", "note"]), "responses": created()}},
        "/api/v1/villages/{code}/ledger/claims": {
            "get": {"summary": "Claims with collections", "parameters": [code], "responses": list()},
            "post": {"summary": "Create a claim", "parameters": [code], "requestBody": obj(&["claim_no", "debtor", "amount_yuan", "arose_on", "origin", "note"]), "responses": created()}
        },
        "/api/v1/villages/{code}/ledger/claims/{id}/collections": {"post": {"summary": "Record money collected on a claim; 422 if it exceeds what remains", "parameters": [code, id], "requestBody": obj(&["amount_yuan", "collected_on", "note"]), "responses": created()}},
        "/api/v1/villages/{code}/ledger/resources": {
            "get": {"summary": "Collective resources", "parameters": [code], "responses": list()},
            "post": {"summary": "Create a resource", "parameters": [code], "requestBody": obj(&["resource_no", "kind", "name", "area_mu", "location", "status", "contract_no", "note"]), "responses": created()}
        },
        "/api/v1/villages/{code}/ledger/import": {"post": {"summary": "Import a ledger file (body = the CSV or XLSX file; all-or-nothing; 422 lists file:row:column issues; see docs/ledger-import.md)", "parameters": [code, query("kind", "string"), query("dry_run", "boolean"), query("file", "string")],
            "requestBody": {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}, "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/export": {"get": {"summary": "Export a ledger in the import layout (kind=contracts|debts|debt-actions|claims|resources, format=csv|xlsx)", "parameters": [code, query("kind", "string"), query("format", "string")], "responses": {"200": {"description": "CSV or XLSX file"}, "default": {"$ref": "#/components/responses/Error"}}}}
    })
}

fn schemas() -> Value {
    let int = json!({"type": "integer"});
    json!({"LedgerSummary": {"type": "object", "description": "Village ledger figures; money in fen; progress_pct rounded to one decimal", "properties": {
        "village": {"type": "string"},
        "contracts": {"type": "object", "properties": {"count": int, "flagged": int, "rectified": int, "annual_rent_fen": int, "flags_by_code": {"type": "object", "additionalProperties": int}}},
        "debts": {"type": "object", "properties": {"count": int, "principal_fen": int, "resolved_fen": int, "remaining_fen": int, "progress_pct": {"type": "number"},
            "by_method_fen": {"type": "object", "properties": {"write_off": int, "adjustment": int, "offset": int, "repayment": int}}}},
        "claims": {"type": "object", "properties": {"count": int, "amount_fen": int, "collected_fen": int}},
        "resources": {"type": "object", "properties": {"count": int, "area_mu": {"type": "number"}, "idle_count": int, "occupied_without_contract_count": int}}}}})
}

/// Adds the ledger paths and schemas to the document.
pub fn extend(doc: &mut Value) {
    for (section, add) in [("paths", paths()), ("schemas", schemas())] {
        let target = if section == "paths" {
            doc.get_mut("paths")
        } else {
            doc.get_mut("components").and_then(|c| c.get_mut("schemas"))
        };
        if let (Some(Value::Object(t)), Value::Object(a)) = (target, add) {
            t.extend(a);
        }
    }
}
