//! Driving the router in-process like a browser (cookies, CSRF) or an API client (bearer).

use crate::{TestApp, LOGIN_CSRF_COOKIE, PASSWORD, SESSION_COOKIE};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

/// A logged-in browser: the session cookie and the CSRF token its pages carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// The `Cookie:` header value a browser sends with this session.
    pub fn cookie_header(&self) -> String {
        format!("{SESSION_COOKIE}={}", self.cookie)
    }
}

fn form_body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Response {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router never fails");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Logs in through the login form, as a browser does.
    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        self.try_login_next(username, password, "/").await
    }

    /// Logs in through the login form with the given `next` target.
    pub async fn try_login_next(&self, username: &str, password: &str, next: &str) -> Response {
        self.login_form(username, password, next, None).await
    }

    /// Logs in through the login form from a client address (as the server sees it).
    pub async fn try_login_from(&self, username: &str, password: &str, ip: &str) -> Response {
        self.login_form(username, password, "/", Some(ip)).await
    }

    async fn login_form(
        &self,
        username: &str,
        password: &str,
        next: &str,
        ip: Option<&str>,
    ) -> Response {
        let page = self
            .send(Request::get("/login").body(Body::empty()).expect("request"))
            .await;
        let csrf = page.cookie(LOGIN_CSRF_COOKIE).expect("login csrf cookie");
        let body = form_body(&[
            ("_csrf", &csrf),
            ("username", username),
            ("password", password),
            ("next", next),
        ]);
        let mut req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("{LOGIN_CSRF_COOKIE}={csrf}"))
            .body(Body::from(body))
            .expect("request");
        if let Some(ip) = ip {
            let addr: std::net::IpAddr = ip.parse().expect("an IP address");
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                    addr, 40000,
                )));
        }
        self.send(req).await
    }

    pub async fn login(&self, username: &str) -> Session {
        let res = self.try_login(username, PASSWORD).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "login of {username} failed: {}",
            res.body
        );
        let cookie = res.cookie(SESSION_COOKIE).expect("session cookie");
        let mut s = Session {
            cookie,
            csrf: String::new(),
        };
        let home = self.get("/account", &s).await;
        let marker = "name=\"_csrf\" value=\"";
        let start = home.body.find(marker).expect("csrf on page") + marker.len();
        s.csrf = home.body[start..start + 64].to_string();
        s
    }

    /// A GET by someone not signed in (public pages, the transparency log).
    pub async fn get_public(&self, path: &str) -> Response {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn get(&self, path: &str, s: &Session) -> Response {
        self.send(
            Request::get(path)
                .header(header::COOKIE, s.cookie_header())
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, s: &Session, fields: &[(&str, &str)]) -> Response {
        let mut all = vec![("_csrf", s.csrf.as_str())];
        all.extend_from_slice(fields);
        self.send(
            Request::post(path)
                .header(header::COOKIE, s.cookie_header())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_body(&all)))
                .expect("request"),
        )
        .await
    }

    /// Posts a multipart form with one file field (named `file`) and the CSRF token.
    pub async fn post_file(
        &self,
        path: &str,
        s: &Session,
        file_name: &str,
        bytes: &[u8],
        extra: &[(&str, &str)],
    ) -> Response {
        let boundary = "gr-test-boundary-7d1f";
        let mut body = Vec::new();
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        text("_csrf", &s.csrf);
        for (k, v) in extra {
            text(k, v);
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(path)
                .header(header::COOKIE, s.cookie_header())
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// An API call with a bearer token and an optional JSON body.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    /// An API call with a raw body (file uploads).
    pub async fn api_raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        bytes: Vec<u8>,
    ) -> Response {
        self.send(
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(bytes))
                .expect("request"),
        )
        .await
    }
}
