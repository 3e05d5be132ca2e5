//! A phone's view of the pages under `/m/`: a client that keeps its cookies (no redirects
//! followed, so each answer can be checked), reads the CSRF token the pages set, and signs in
//! through the pages with the code the fake SMS gateway received.

use crate::fake_gateway::Gateway;
use crate::helpers::*;
use reqwest::{Method, Response};
use std::collections::HashMap;

pub struct Phone {
    base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

#[derive(Debug)]
pub struct Seen {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub html: String,
}

impl Seen {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

impl Phone {
    pub fn new(app: &TestApp) -> Phone {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Phone { base: app.base.clone(), http, cookies: HashMap::new() }
    }

    async fn seen(&mut self, r: Response) -> Seen {
        for c in r.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") || v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let (status, headers) = (r.status().as_u16(), r.headers().clone());
        Seen { status, headers, html: r.text().await.unwrap() }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let r = self.http.request(method, format!("{}{path}", self.base)).header("user-agent", WECHAT_UA);
        if cookie.is_empty() {
            r
        } else {
            r.header("cookie", cookie.join("; "))
        }
    }

    pub async fn get(&mut self, path: &str) -> Seen {
        let r = self.req(Method::GET, path).send().await.unwrap();
        self.seen(r).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Seen {
        let r = self.req(Method::POST, path).form(fields).send().await.unwrap();
        self.seen(r).await
    }

    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, &str)], files: Vec<(&str, Vec<u8>)>) -> Seen {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in files {
            form = form.part("photos", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        }
        let r = self.req(Method::POST, path).multipart(form).send().await.unwrap();
        self.seen(r).await
    }

    /// Opens a code's opinion form and sends it with `fields` (the form's CSRF token and key
    /// added).
    pub async fn file(&mut self, code: &str, fields: &[(&str, &str)]) -> Seen {
        let form = self.get(&format!("/m/{code}/opinion")).await;
        let (csrf, key) = (self.csrf(), hidden(&form.html, "key"));
        let mut all = vec![("csrf", csrf.as_str()), ("key", key.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart(&format!("/m/{code}/opinion"), &all, vec![]).await
    }

    /// The CSRF token the pages set (a page must have been opened).
    pub fn csrf(&self) -> String {
        self.cookies.get("m_csrf").cloned().expect("a page set the CSRF cookie")
    }

    /// The station desk's CSRF token (a desk page must have been opened).
    pub fn desk_csrf(&self) -> String {
        self.cookies.get("d_csrf").cloned().expect("a desk page set the CSRF cookie")
    }

    /// Signs in through the pages (code by the fake gateway), returning where it was sent.
    pub async fn sign_in(&mut self, app: &TestApp, g: &Gateway, phone: &str, next: &str) -> Seen {
        let first = self.get(&format!("/m/sign-in?next={}", urlencode(next))).await;
        assert_eq!(first.status, 200, "{}", first.html);
        let csrf = self.csrf();
        let n = g.for_token(phone).len() + 1;
        let asked = self.post("/m/sign-in/code", &[("csrf", &csrf), ("next", next), ("phone", phone)]).await;
        assert_eq!(asked.status, 200, "{}", asked.html);
        let version = asked
            .html
            .split("name=\"consent_version\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let code = crate::reception::code_for(app, g, phone, n).await;
        let fields = [
            ("csrf", csrf.as_str()),
            ("next", next),
            ("phone", phone),
            ("code", &code),
            ("consent_version", &version),
            ("consent", "yes"),
        ];
        self.post("/m/sign-in", &fields).await
    }
}

pub const WECHAT_UA: &str = "Mozilla/5.0 (Linux; Android 13; Phone) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.49.2600(0x28003133) NetType/4G Language/zh_CN";

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The station's and the demo deputy's printed codes.
pub async fn codes(app: &TestApp) -> (String, String) {
    let (s, d) = lvzhi::demo::phone_page_paths(&app.state).await.unwrap();
    (s.trim_start_matches("/m/").to_string(), d.trim_start_matches("/m/").to_string())
}

/// The value of a hidden input on a page.
pub fn hidden(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .to_string()
}
