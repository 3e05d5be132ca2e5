//! The test client: requests with a token, answers with their problem codes, and sign-ins.

use crate::helpers::{TestApp, PASSWORD};
use diesel::RunQueryDsl;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub async fn from(r: Response) -> Answer {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, headers, body, text }
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn etag(&self) -> String {
        self.headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    /// Asserts status and (for problems) the stable code.
    #[track_caller]
    pub fn expect(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        if !code.is_empty() {
            assert_eq!(self.code(), code, "body: {}", self.text);
            assert_eq!(
                self.headers.get("content-type").and_then(|v| v.to_str().ok()),
                Some("application/problem+json")
            );
        }
        self
    }
}

impl TestApp {
    /// Today in the congress's zone by the app's clock (YYYY-MM-DD): tests build their dates
    /// from it, never from the calendar.
    pub fn today(&self) -> String {
        self.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let b = self.client.request(method, self.url(path));
        match token {
            Some(t) => b.bearer_auth(t),
            None => b,
        }
    }

    pub async fn send(&self, b: RequestBuilder) -> Answer {
        Answer::from(b.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(self.req(Method::GET, path, Some(token))).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.send(self.req(Method::POST, path, Some(token)).json(&body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Answer {
        self.send(self.req(Method::PUT, path, Some(token)).json(&body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, if_match: Option<&str>, body: Value) -> Answer {
        let mut b = self.req(Method::PATCH, path, Some(token)).json(&body);
        if let Some(m) = if_match {
            b = b.header("If-Match", m);
        }
        self.send(b).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.send(self.req(Method::DELETE, path, Some(token))).await
    }

    pub async fn login_raw(&self, username: &str, password: &str) -> Answer {
        self.send(
            self.client.post(self.url("/api/v1/auth/login")).json(&json!({"username": username, "password": password})),
        )
        .await
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str) -> String {
        let a = self.login_raw(username, PASSWORD).await;
        assert_eq!(a.status, 200, "login {username}: {}", a.text);
        a.body["access_token"].as_str().expect("token").to_string()
    }

    /// An installation-wide admin.
    pub async fn root_token(&self) -> String {
        lvzhi::demo::create_admin(&self.state, "root", PASSWORD, None).await.expect("root admin");
        self.login("root").await
    }

    /// Id of the region with this code.
    pub async fn region_id(&self, token: &str, code: &str) -> i64 {
        let a = self.get("/api/v1/regions?limit=200", token).await;
        a.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["code"] == code)
            .and_then(|r| r["id"].as_i64())
            .expect("region")
    }

    /// Runs raw SQL on the app's database (to prove triggers refuse it).
    pub fn raw_sql(&self, sql: &str) -> Result<usize, String> {
        let mut c = self.state.db.get().map_err(|e| e.to_string())?;
        diesel::sql_query(sql).execute(&mut *c).map_err(|e| e.to_string())
    }

    pub fn is_postgres(&self) -> bool {
        self.state.settings.database_url.is_postgres()
    }
}
