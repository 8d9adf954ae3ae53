//! The API document against the API: cheap structural checks of the OpenAPI document, and every
//! rejected JSON body answered as the API's JSON error (never axum's plain text). The full
//! comparison is scripts/schemathesis.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::Value;
use testkit::{both, Backend, TestApp, VILLAGE_A};

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc.pointer(r.trim_start_matches('#')).expect(r);
            resolve(doc, target)
        }
        None => v,
    }
}

/// Every object schema with properties, however deep (through $ref, items, properties, oneOf).
fn objects<'a>(doc: &'a Value, v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    let v = resolve(doc, v);
    if depth > 8 {
        return;
    }
    if v.get("properties").is_some() {
        out.push(v);
        for p in v["properties"].as_object().unwrap().values() {
            objects(doc, p, out, depth + 1);
        }
    }
    if let Some(i) = v.get("items") {
        objects(doc, i, out, depth + 1);
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        for s in v.get(k).and_then(Value::as_array).into_iter().flatten() {
            objects(doc, s, out, depth + 1);
        }
    }
}

#[tokio::test]
async fn the_document_is_valid_and_request_bodies_say_what_is_required() {
    let t = TestApp::new(Backend::Sqlite).await.unwrap();
    let res = t
        .get_public("/api/v1/openapi.json")
        .await
        .expect_status(200);
    let doc: Value = serde_json::from_str(&res.body).expect("the document is JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut bodies = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            let responses = op["responses"].as_object().expect(&at);
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{at}: no success response"
            );
            if path.ends_with("/openapi.json") {
                continue;
            }
            // Every error the API answers is documented with the error JSON.
            for code in ["400", "401", "403", "404", "429", "503"] {
                let r = responses
                    .get(code)
                    .unwrap_or_else(|| panic!("{at}: no {code}"));
                let schema = &resolve(&doc, r)["content"]["application/json"]["schema"];
                assert_eq!(
                    resolve(&doc, schema)["required"],
                    serde_json::json!(["error"]),
                    "{at} {code}"
                );
            }
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            if let Some(schema) = body["content"].get("application/json") {
                assert!(responses.contains_key("422"), "{at}: no 422");
                let mut found = Vec::new();
                objects(&doc, &schema["schema"], &mut found, 0);
                assert!(!found.is_empty(), "{at}: a JSON body without properties");
                for o in found {
                    let req = o.get("required").and_then(Value::as_array);
                    assert!(req.is_some(), "{at}: an object without `required`: {o}");
                    for r in req.unwrap() {
                        assert!(
                            o["properties"].get(r.as_str().unwrap()).is_some(),
                            "{at}: required {r} is not a property"
                        );
                    }
                }
                bodies += 1;
            }
        }
    }
    assert!(bodies >= 30, "only {bodies} JSON request bodies");
}

async fn rejected_bodies_answer_json(t: TestApp) {
    let admin = t.token("admin").await;
    let round = credit_support::open_round(&t, &admin, VILLAGE_A).await;
    let posts = [
        format!("/api/v1/credit/rounds/{round}/assess"),
        format!("/api/v1/credit/rounds/{round}/publish"),
        format!("/api/v1/credit/rounds/{round}/finalize"),
        "/api/v1/credit/goods".to_string(),
        "/api/v1/households".to_string(),
    ];
    for url in &posts {
        for (ctype, body, status, code) in [
            ("application/json", "{", 400, "bad_request"),
            (
                "application/json",
                r#"{"today": 5, "days": "x", "name": 1}"#,
                422,
                "invalid",
            ),
            ("text/plain", "{}", 400, "bad_request"),
        ] {
            let r = t
                .send(
                    Request::builder()
                        .method(Method::POST)
                        .uri(url)
                        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                        .header(header::CONTENT_TYPE, ctype)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status, status, "{url} {ctype} {body}: {}", r.body);
            assert!(
                r.headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json"),
                "{url}: {:?}",
                r.headers
            );
            assert_eq!(r.json()["error"]["code"], code, "{url} {body}");
        }
    }
    assert_eq!(t.count("credit_goods").await, 0);

    // JSON Schema counts 20.0 as an integer, so the server reads it as one.
    t
        .api_post("/api/v1/credit/goods", &admin, serde_json::json!({"village_code": VILLAGE_A, "name": "盐", "price_points": 20.0, "stock": 5.0}))
        .await.expect_status(201);
    let r = t
        .api_post("/api/v1/credit/goods", &admin, serde_json::json!({"village_code": VILLAGE_A, "name": "盐", "price_points": 20.5, "stock": 5}))
        .await.expect_status(422);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "body");
    assert_eq!(t.count("credit_goods").await, 1);
}
both!(
    rejected_bodies_answer_json_errors,
    rejected_bodies_answer_json
);
