//! Short forms for the requests and checks the web tests repeat: bearer-token API calls by
//! method, status checks that show the body, page text checks and JSON error codes.

use crate::{Response, Session, TestApp};

/// The cookie holding a visitor's CSRF token on public forms (no `__Host-` prefix).
pub const PUBLIC_CSRF_COOKIE: &str = "gr_public_csrf";
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::Value;

impl TestApp {
    /// `GET` with a bearer token.
    pub async fn api_get(&self, path: &str, token: &str) -> Response {
        self.api(Method::GET, path, token, None).await
    }

    /// `GET` with a bearer token, expected to answer 200; its JSON.
    pub async fn api_json(&self, path: &str, token: &str) -> Value {
        self.api_get(path, token).await.expect_status(200).json()
    }

    /// `POST` with a bearer token and a JSON body.
    pub async fn api_post(&self, path: &str, token: &str, body: Value) -> Response {
        self.api(Method::POST, path, token, Some(body)).await
    }

    /// `POST` with a bearer token and no body at all.
    pub async fn api_post_empty(&self, path: &str, token: &str) -> Response {
        self.api(Method::POST, path, token, None).await
    }

    /// `PUT` with a bearer token and a JSON body.
    pub async fn api_put(&self, path: &str, token: &str, body: Value) -> Response {
        self.api(Method::PUT, path, token, Some(body)).await
    }

    /// `POST` of a file's bytes as the body (imports), with a bearer token.
    pub async fn api_upload(&self, path: &str, token: &str, bytes: impl Into<Vec<u8>>) -> Response {
        self.api_raw(Method::POST, path, token, bytes.into()).await
    }

    /// Imports a households file into a village through the API.
    pub async fn import_households(
        &self,
        token: &str,
        village: &str,
        file_name: &str,
        bytes: impl Into<Vec<u8>>,
    ) -> Response {
        let path = format!("/api/v1/units/{village}/households/import?file={file_name}");
        self.api_upload(&path, token, bytes).await
    }

    /// Imports a ledger register file into a village through the API (`query`: `kind=…&file=…`).
    pub async fn import_ledger(
        &self,
        token: &str,
        village: &str,
        query: &str,
        bytes: impl Into<Vec<u8>>,
    ) -> Response {
        let path = format!("/api/v1/villages/{village}/ledger/import?{query}");
        self.api_upload(&path, token, bytes).await
    }

    /// `DELETE` with a bearer token.
    pub async fn api_delete(&self, path: &str, token: &str) -> Response {
        self.api(Method::DELETE, path, token, None).await
    }

    /// One number from SQL (a count, a balance), for checking what was written.
    pub async fn scalar(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&self.app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get::<i64, _>(0)
    }

    /// Runs one SQL statement with text bound to `$1`… in order (for moving clocks back and
    /// setting up states the application would take days to reach).
    pub async fn execute(&self, sql: &str, binds: &[&str]) {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&self.app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// How many audit entries carry `action`.
    pub async fn audit_count(&self, action: &str) -> i64 {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&self.app.db.pool)
            .await
            .expect("audit count")
            .get::<i64, _>(0)
    }

    /// The CSRF token a village's public objection form hands a visitor (its cookie).
    pub async fn public_csrf(&self, village: &str) -> String {
        self.get_public(&format!("/public/villages/{village}/credit/objection"))
            .await
            .cookie(PUBLIC_CSRF_COOKIE)
            .expect("public csrf cookie")
    }

    /// Posts a form as a visitor who is not signed in, with the public CSRF cookie when given
    /// (the token itself goes among `fields` as `_csrf`).
    pub async fn post_public_form(
        &self,
        path: &str,
        csrf_cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Response {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = csrf_cookie {
            req = req.header(header::COOKIE, format!("{PUBLIC_CSRF_COOKIE}={c}"));
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// A visitor's objection (as 刘村民) on a village's public form, token in form and cookie.
    pub async fn post_objection(
        &self,
        village: &str,
        csrf: &str,
        household_no: &str,
        contact: &str,
        reason: &str,
    ) -> Response {
        let fields = [
            ("_csrf", csrf),
            ("household_no", household_no),
            ("name", "刘村民"),
            ("contact", contact),
            ("reason", reason),
        ];
        let path = format!("/public/villages/{village}/credit/objections");
        self.post_public_form(&path, Some(csrf), &fields).await
    }

    /// Adds a household through the API (`body` as the API takes it), expected to answer 201.
    pub async fn new_household(&self, token: &str, body: Value) -> Response {
        self.api_post("/api/v1/households", token, body)
            .await
            .expect_status(201)
    }

    /// Adds a grid under a unit through the API (`body`: name, leader…); the answer's JSON.
    pub async fn new_grid(&self, token: &str, unit: &str, body: Value) -> Value {
        self.api_post(&format!("/api/v1/units/{unit}/grids"), token, body)
            .await
            .expect_status(201)
            .json()
    }

    /// Renames a household or changes its number through the API.
    pub async fn put_household(&self, token: &str, id: i64, no: &str, head: &str) -> Response {
        let body = serde_json::json!({"household_no": no, "head_name": head});
        self.api_put(&format!("/api/v1/households/{id}"), token, body)
            .await
    }

    /// Adds a household with just its number and head through the API (201); its id.
    pub async fn add_household(&self, token: &str, village: &str, no: &str, head: &str) -> i64 {
        let body =
            serde_json::json!({"village_code": village, "household_no": no, "head_name": head});
        self.new_household(token, body).await.json()["id"]
            .as_i64()
            .expect("household id")
    }

    /// A household whose head is its one member, with a resident ID, added through the API
    /// (201); the household's and the member's ids.
    pub async fn household_with_member(
        &self,
        token: &str,
        village: &str,
        no: &str,
        head: &str,
        resident_id: &str,
    ) -> (i64, i64) {
        let body = serde_json::json!({"village_code": village, "household_no": no, "head_name": head,
            "members": [{"name": head, "resident_id": resident_id}]});
        let h = self.new_household(token, body).await.json();
        let id = |v: &Value| v.as_i64().expect("id");
        (id(&h["id"]), id(&h["members"][0]["id"]))
    }

    /// Asks the API for a member's full `what` (`resident_id`, `phone`): the answer's JSON.
    pub async fn reveal(&self, token: &str, household: i64, member: i64, what: &str) -> Value {
        let path = format!("/api/v1/households/{household}/members/{member}/reveal");
        self.api_post(&path, token, serde_json::json!({ "what": what }))
            .await
            .json()
    }

    /// A page for a signed-in browser, expected to answer 200.
    pub async fn page(&self, path: &str, s: &Session) -> Response {
        self.get(path, s).await.expect_status(200)
    }

    /// Posts a form given as the browser encodes it, `"a=1&b=二"` (the CSRF token added): for
    /// forms of several plain fields.
    pub async fn post_fields(&self, path: &str, s: &Session, fields: &str) -> Response {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(fields.as_bytes())
            .into_owned()
            .collect();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(path, s, &pairs).await
    }

    /// Posts a form and expects `status` with every one of `texts` on the answer (a form
    /// re-rendered with its messages, an error page).
    pub async fn post_form_expect(
        &self,
        path: &str,
        s: &Session,
        fields: &[(&str, &str)],
        status: u16,
        texts: &[&str],
    ) -> Response {
        let r = self.post_form(path, s, fields).await.expect_status(status);
        r.assert_contains(texts);
        r
    }
}

impl Response {
    /// Asserts the status (showing the body when it differs) and hands the response on.
    #[track_caller]
    pub fn expect_status<S>(self, status: S) -> Response
    where
        StatusCode: PartialEq<S>,
        S: std::fmt::Debug,
    {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    /// Asserts the status with a message of the test's own, plus the body.
    #[track_caller]
    pub fn expect_status_because<S>(self, status: S, why: &str) -> Response
    where
        StatusCode: PartialEq<S>,
        S: std::fmt::Debug,
    {
        assert_eq!(self.status, status, "{why}: {}", self.body);
        self
    }

    /// Asserts that the body holds every one of `texts`.
    #[track_caller]
    pub fn assert_contains<T: AsRef<str>>(&self, texts: &[T]) {
        for text in texts.iter().map(AsRef::as_ref) {
            assert!(self.body.contains(text), "no {text:?} in: {}", self.body);
        }
    }

    /// Asserts that the body holds none of `texts`.
    #[track_caller]
    pub fn assert_lacks<T: AsRef<str>>(&self, texts: &[T]) {
        for text in texts.iter().map(AsRef::as_ref) {
            assert!(
                !self.body.contains(text),
                "{text:?} shown in: {}",
                self.body
            );
        }
    }

    /// Where an import's `error.issues` point: (row, column) each, in order.
    pub fn issue_places(&self) -> Vec<(i64, String)> {
        let v = self.json();
        v["error"]["issues"]
            .as_array()
            .unwrap_or_else(|| panic!("no issues in: {}", self.body))
            .iter()
            .map(|i| {
                let row = i["row"].as_i64().expect("row");
                (row, i["column"].as_str().expect("column").to_string())
            })
            .collect()
    }

    /// The API error's `error.message`.
    pub fn error_message(&self) -> String {
        let v = self.json();
        let message = v["error"]["message"].as_str();
        message
            .unwrap_or_else(|| panic!("no error message in: {}", self.body))
            .to_string()
    }

    /// Asserts an API error: the status and the stable JSON `error.code`.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Response {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.json()["error"]["code"], code, "{}", self.body);
        self
    }
}
