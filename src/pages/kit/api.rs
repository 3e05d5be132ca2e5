//! The pages' client of the API: each page asks this very instance over loopback, with the
//! visitor's bearer token, the visitor's address (vouched for by the process's marker, so rate
//! limits count the visitor and not the page) and an idempotency key where a form carries one.
//! The pages are the API's first client: they never reach into a capability's store.

use crate::error::{AppError, AppResult};
use crate::platform::loopback;
use reqwest::Method;
use serde_json::Value;

/// Where this instance listens, and the HTTP client that calls it.
#[derive(Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
}

/// The API's answer: its status and JSON body (a problem document on failure).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The problem's stable `code` (empty on success).
    pub fn code(&self) -> &str {
        self.body.get("code").and_then(Value::as_str).unwrap_or_default()
    }

    /// What went wrong, most precisely: a field's own code inside a validation problem (e.g.
    /// `invalid_phone`), else the problem's code.
    pub fn reason(&self) -> &str {
        let field = self.body.get("errors").and_then(|e| e.get(0)).and_then(|e| e.get("code")).and_then(Value::as_str);
        match (self.code(), field) {
            ("validation_failed", Some(f)) => f,
            (c, _) => c,
        }
    }

    /// The body as `T`, or an internal error (the API answered something the page cannot read).
    pub fn parse<T: serde::de::DeserializeOwned>(self) -> AppResult<T> {
        serde_json::from_value(self.body).map_err(AppError::internal)
    }
}

/// One call: method, path (with query), bearer token, JSON body, idempotency key.
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub json: Option<&'a Value>,
    /// One extra header: `idempotency-key` or `if-match`.
    pub header: Option<(&'static str, &'a str)>,
}

impl Api {
    /// The API at `addr` (the listener's address; an unspecified one is reached on loopback).
    pub fn new(addr: std::net::SocketAddr) -> Result<Api, String> {
        let ip = match addr.ip() {
            std::net::IpAddr::V4(v) if v.is_unspecified() => "127.0.0.1".to_string(),
            std::net::IpAddr::V6(v) if v.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(v) => format!("[{v}]"),
            std::net::IpAddr::V4(v) => v.to_string(),
        };
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("the pages' API client: {e}"))?;
        Ok(Api { base: format!("http://{ip}:{}", addr.port()), http })
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        visitor: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{}", self.base, path)).header("accept", "application/json");
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(ip) = visitor {
            r = r.header(loopback::HEADER, loopback::marker()).header("x-forwarded-for", ip);
        }
        r
    }

    /// Sends one call on behalf of the visitor at `visitor` (their address, when known).
    pub async fn call(&self, visitor: Option<&str>, c: Call<'_>) -> AppResult<Reply> {
        let mut r = self.request(c.method, c.path, c.token, visitor);
        if let Some(j) = c.json {
            r = r.json(j);
        }
        if let Some((name, value)) = c.header {
            r = r.header(name, value);
        }
        Self::reply(r).await
    }

    /// Sends a multipart upload (one file part named `file`).
    pub async fn upload(
        &self,
        visitor: Option<&str>,
        path: &str,
        token: &str,
        name: String,
        bytes: bytes::Bytes,
    ) -> AppResult<Reply> {
        let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
            .file_name(name);
        let form = reqwest::multipart::Form::new().part("file", part);
        Self::reply(self.request(Method::POST, path, Some(token), visitor).multipart(form)).await
    }

    async fn reply(r: reqwest::RequestBuilder) -> AppResult<Reply> {
        let res = r.send().await.map_err(AppError::internal)?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await.map_err(AppError::internal)?;
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        Ok(Reply { status, body })
    }
}
