//! The ledger part of the OpenAPI document (kept apart: one `json!` per part stays under the
//! macro recursion limit). Ledger forms take text as the import columns do: yuan with at most
//! two decimals, dates `YYYY-MM-DD`, codes in English (Chinese labels are accepted too).

use crate::api::openapi::{
    array, body, created, date, date_or_empty, file, id, object, ok, path_param, query,
    query_schema, r, required_text, text, upload, yuan,
};
use domain::ledger::{ContractKind, DebtMethod, ResourceKind, ResourceStatus};
use serde_json::{json, Map, Value};

const NO: usize = 64;
const NAME: usize = 100;
const TEXT: usize = 200;
const NOTE: usize = 2000;

fn codes(all: impl Iterator<Item = &'static str>, optional: bool) -> Value {
    let mut v: Vec<&str> = all.collect();
    if optional {
        v.insert(0, "");
    }
    json!({"enum": v})
}

/// A positive number with at most two decimals (areas).
fn hundredths() -> Value {
    json!({"type": "string", "pattern": "^(([1-9][0-9]{0,9}(\\.[0-9]{1,2})?|0\\.(0[1-9]|[1-9][0-9]?)))?$"})
}

fn contract() -> Value {
    object(
        &[
            "contract_no",
            "kind",
            "counterparty",
            "start_on",
            "end_on",
            "annual_rent_yuan",
        ],
        json!({
            "contract_no": required_text(NO), "kind": codes(ContractKind::ALL.iter().map(|k| k.as_str()), false),
            "counterparty": required_text(NAME),
            "counterparty_id": {"type": "string", "pattern": "^([0-9]{17}[0-9Xx]|[0-9]{4}\\*+[0-9]{3}[0-9Xx])?$", "description": "the counterparty's resident ID (GB 11643 check digit); on update a masked ID keeps the stored one"},
            "subject": text(TEXT), "resource_no": text(NO), "area_mu": hundredths(), "area_m2": hundredths(),
            "start_on": date(), "end_on": {"type": "string", "format": "date", "description": "after start_on, less than 100 years later (422 otherwise)"},
            "annual_rent_yuan": yuan(false, false), "prepaid_years": {"type": "string", "pattern": "^([0-9]{1,3}(\\.[0-9]{1,2})?)?$"},
            "paid_yuan": yuan(false, true), "signed_on": date_or_empty(), "procedure_ref": text(TEXT),
            "related_cadre": {"enum": ["", "true", "false", "1", "0", "yes", "no", "是", "否"]},
            "status": {"type": ["string", "null"], "enum": [null, "active", "terminated"]},
        }),
    )
}

fn debt() -> Value {
    object(
        &["debt_no", "creditor", "principal_yuan"],
        json!({"debt_no": required_text(NO), "creditor": required_text(NAME), "principal_yuan": yuan(true, false),
            "incurred_on": date_or_empty(), "category": text(TEXT), "note": text(NOTE)}),
    )
}

fn claim() -> Value {
    object(
        &["claim_no", "debtor", "amount_yuan"],
        json!({"claim_no": required_text(NO), "debtor": required_text(NAME), "amount_yuan": yuan(true, false),
            "arose_on": date_or_empty(), "origin": {"type": "string", "maxLength": TEXT, "pattern": "^(?!arrears:|resource:)", "description": "free text; the prefixes arrears: and resource: are the app's own"}, "note": text(NOTE)}),
    )
}

fn resource() -> Value {
    let mut o = object(
        &["resource_no", "kind", "status"],
        json!({"resource_no": required_text(NO), "kind": codes(ResourceKind::ALL.iter().map(|k| k.as_str()), false),
            "name": text(NAME), "area_mu": hundredths(), "location": text(TEXT),
            "status": codes(ResourceStatus::ALL.iter().map(|k| k.as_str()), false),
            "contract_no": {"type": "string", "maxLength": NO, "description": "required when status is contracted"}, "note": text(NOTE)}),
    );
    o["if"] = json!({"properties": {"status": {"const": "contracted"}}});
    o["then"] =
        json!({"required": ["contract_no"], "properties": {"contract_no": required_text(NO)}});
    o
}

/// A village's code: 12 digits (another unit answers 400, an unknown or hidden village 404).
pub(crate) fn village_param() -> Value {
    json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{12}$"}})
}

fn paths() -> Value {
    let code = village_param();
    let unit = path_param("code", "string");
    let mut keys = vec![""];
    keys.extend_from_slice(app::ledger::summary::SORT_KEYS);
    let sort = query_schema(
        "sort",
        json!({"enum": keys, "description": "default progress_pct"}),
    );
    let id_p = path_param("id", "integer");
    let done = ok(object(&["id"], json!({"id": id()})));
    let new = created(object(&["id"], json!({"id": id()})));
    let kinds = query_schema(
        "kind",
        json!({"enum": ["contracts", "debts", "debt-actions", "claims", "resources"]}),
    );
    json!({
        "/api/v1/villages/{code}/ledger/summary": {"get": {"summary": "Ledger summary of a village (same JSON as `grassroots ledger summary --json`)", "parameters": [code], "responses": ok(r("LedgerSummary"))}},
        "/api/v1/units/{code}/ledger/villages": {"get": {"summary": "One row per village of a township/county with the summary figures (plus name, open_flags), sorted for ranking", "parameters": [unit, sort, query_schema("order", json!({"type": "string", "description": "asc for ascending; anything else descending"}))], "responses": ok(array(r("LedgerSummary")))}},
        "/api/v1/villages/{code}/ledger/contracts": {
            "get": {"summary": "Contracts with their flags (cadre-related first)", "parameters": [code], "responses": ok(array(r("ContractView")))},
            "post": {"summary": "Create a contract (fields as the import columns, plus status); flags are recomputed", "parameters": [code], "requestBody": body(contract()), "responses": new.clone()}
        },
        "/api/v1/villages/{code}/ledger/contracts/{id}": {"put": {"summary": "Update a contract (status active/terminated); a masked counterparty_id keeps the stored one", "parameters": [code, id_p], "requestBody": body(contract()), "responses": done.clone()}},
        "/api/v1/villages/{code}/ledger/flags": {"get": {"summary": "Every flag with its rectification task (cadre-related first)", "parameters": [code], "responses": ok(array(r("FlagView")))}},
        "/api/v1/villages/{code}/ledger/flags/{id}": {"put": {"summary": "Rectification task: status open→rectified|waived (waived needs a reason; a closed task answers 422), deadline, reason, evidence; empty fields keep what is stored", "parameters": [code, id_p],
            "requestBody": body(object(&[], json!({"status": {"enum": ["", "open", "rectified", "waived"]}, "deadline": date_or_empty(), "reason": {"type": "string"}, "evidence": {"type": "string"}}))), "responses": done.clone()}},
        "/api/v1/villages/{code}/ledger/recompute": {"post": {"summary": "Recompute the flags with today's date and the county's rules", "parameters": [code], "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/debts": {
            "get": {"summary": "Debts with resolution progress and actions", "parameters": [code], "responses": ok(array(r("DebtView")))},
            "post": {"summary": "Create a debt", "parameters": [code], "requestBody": body(debt()), "responses": new.clone()}
        },
        "/api/v1/villages/{code}/ledger/debts/{id}": {"put": {"summary": "Update a debt (principal not below what is resolved: 422)", "parameters": [code, id_p], "requestBody": body(debt()), "responses": done.clone()}},
        "/api/v1/villages/{code}/ledger/claims/{id}": {"put": {"summary": "Update a claim (amount not below what is collected: 422)", "parameters": [code, id_p], "requestBody": body(claim()), "responses": done.clone()}},
        "/api/v1/villages/{code}/ledger/resources/{id}": {"put": {"summary": "Update a resource", "parameters": [code, id_p], "requestBody": body(resource()), "responses": done}},
        "/api/v1/villages/{code}/ledger/resources/{id}/charges": {"post": {"summary": "Charge for a resource occupied without a contract (creates a claim with origin resource:<no>; 422 for any other resource)", "parameters": [code, id_p],
            "requestBody": body(object(&["debtor", "amount_yuan"], json!({"debtor": required_text(NAME), "amount_yuan": yuan(true, false), "arose_on": date_or_empty(), "note": text(NOTE)}))), "responses": new.clone()}},
        "/api/v1/villages/{code}/ledger/debts/{id}/actions": {"post": {"summary": "Record a resolution (write_off/adjustment/offset/repayment or 核销/账务调整/抵销/偿还); 422 if it exceeds the remaining debt", "parameters": [code, id_p],
            "requestBody": body(object(&["method", "amount_yuan", "acted_on"], json!({"method": codes(DebtMethod::ALL.iter().map(|k| k.as_str()), false), "amount_yuan": yuan(true, false), "acted_on": date(), "evidence": text(TEXT), "note": text(NOTE)}))), "responses": new.clone()}},
        "/api/v1/villages/{code}/ledger/claims": {
            "get": {"summary": "Claims with collections", "parameters": [code], "responses": ok(array(r("ClaimView")))},
            "post": {"summary": "Create a claim", "parameters": [code], "requestBody": body(claim()), "responses": new.clone()}
        },
        "/api/v1/villages/{code}/ledger/claims/{id}/collections": {"post": {"summary": "Record money collected on a claim; 422 if it exceeds what remains", "parameters": [code, id_p],
            "requestBody": body(object(&["amount_yuan", "collected_on"], json!({"amount_yuan": yuan(true, false), "collected_on": date(), "note": {"type": "string"}}))), "responses": new.clone()}},
        "/api/v1/villages/{code}/ledger/resources": {
            "get": {"summary": "Collective resources", "parameters": [code], "responses": ok(array(r("ResourceView")))},
            "post": {"summary": "Create a resource", "parameters": [code], "requestBody": body(resource()), "responses": new}
        },
        "/api/v1/villages/{code}/ledger/import": {"post": {"summary": "Import a ledger file (body = the CSV or XLSX file; all-or-nothing; 422 lists file:row:column issues; see docs/ledger-import.md)", "parameters": [code, {"name": "kind", "in": "query", "required": true, "schema": {"enum": ["contracts", "debts", "debt-actions", "claims", "resources"]}}, query("dry_run", "boolean"), query("file", "string")],
            "requestBody": upload(), "responses": ok(json!({"type": "object"}))}},
        "/api/v1/villages/{code}/ledger/export": {"get": {"summary": "Export a ledger in the import layout", "parameters": [code, {"name": "kind", "in": "query", "required": true, "schema": kinds["schema"].clone()}, query_schema("format", json!({"enum": ["csv", "xlsx"]})), query_schema("headers", json!({"enum": ["fields", "zh"], "description": "header row: the import's field names (default) or Chinese column names; the import reads both"}))],
            "responses": file(&["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])}}
    })
}

fn schemas() -> Value {
    let int = json!({"type": "integer"});
    let s = json!({"type": "string"});
    let ns = json!({"type": ["string", "null"]});
    let flag = json!({"type": "object", "required": ["id", "contract_id", "code", "status"], "properties": {
        "id": id(), "contract_id": id(), "contract_no": s, "code": s, "label_zh": s, "label_en": s, "explain_zh": s, "explain_en": s,
        "detail_zh": s, "detail_en": s, "status": {"enum": ["open", "rectified", "waived"]}, "deadline": ns, "reason": s, "evidence": s, "updated_at": s}});
    json!({"LedgerSummary": {"type": "object", "description": "Village ledger figures; money in fen; progress_pct rounded to one decimal", "required": ["village", "contracts", "debts", "claims", "resources"], "properties": {
        "village": {"type": "string"}, "name": {"type": "string"}, "open_flags": int,
        "contracts": {"type": "object", "properties": {"count": int, "flagged": int, "rectified": int, "annual_rent_fen": int, "flags_by_code": {"type": "object", "additionalProperties": int}}},
        "debts": {"type": "object", "properties": {"count": int, "principal_fen": int, "resolved_fen": int, "remaining_fen": int, "progress_pct": {"type": "number"},
            "by_method_fen": {"type": "object", "properties": {"write_off": int, "adjustment": int, "offset": int, "repayment": int}}}},
        "claims": {"type": "object", "properties": {"count": int, "amount_fen": int, "collected_fen": int}},
        "resources": {"type": "object", "properties": {"count": int, "area_mu": {"type": "number"}, "idle_count": int, "occupied_without_contract_count": int}}}},
        "FlagView": flag,
        "ContractView": {"type": "object", "required": ["id", "status", "contract_no", "kind", "flags"], "properties": {
            "id": id(), "status": s, "contract_no": s, "kind": s, "counterparty": s, "counterparty_id": {"type": "string", "description": "masked"},
            "subject": s, "resource_no": s, "area_mu": s, "area_m2": s, "start_on": s, "end_on": s, "annual_rent_yuan": s, "prepaid_years": s,
            "paid_yuan": s, "signed_on": s, "procedure_ref": s, "related_cadre": s, "annual_rent_fen": int, "paid_fen": int, "flags": array(r("FlagView"))}},
        "DebtView": {"type": "object", "required": ["id", "debt_no", "principal_fen", "resolved_fen", "remaining_fen", "actions"], "properties": {
            "id": id(), "debt_no": s, "creditor": s, "principal_yuan": s, "incurred_on": s, "category": s, "note": s,
            "principal_fen": int, "resolved_fen": int, "remaining_fen": int, "progress_pct": {"type": "number"},
            "actions": array(json!({"type": "object", "required": ["id", "method", "amount_fen"], "properties": {"id": id(), "debt_no": s, "method": s, "amount_yuan": s, "acted_on": s, "evidence": s, "note": s, "amount_fen": int}}))}},
        "ClaimView": {"type": "object", "required": ["id", "claim_no", "amount_fen", "collected_fen", "collections"], "properties": {
            "id": id(), "claim_no": s, "debtor": s, "amount_yuan": s, "arose_on": s, "origin": s, "note": s,
            "amount_fen": int, "collected_fen": int, "claim_status": s, "collections": array(json!({"type": "object"}))}},
        "ResourceView": {"type": "object", "required": ["id", "resource_no", "kind", "status"], "properties": {
            "id": id(), "resource_no": s, "kind": s, "name": s, "area_mu": s, "location": s, "status": s, "contract_no": s, "note": s}}
    })
}

/// Adds the ledger paths and schemas to the document.
pub fn extend(doc: &mut Value) {
    let add = |target: Option<&mut Value>, add: Value| {
        if let (Some(Value::Object(t)), Value::Object(a)) = (target, add) {
            let a: Map<String, Value> = a;
            t.extend(a);
        }
    };
    add(doc.get_mut("paths"), paths());
    add(doc.pointer_mut("/components/schemas"), schemas());
}
