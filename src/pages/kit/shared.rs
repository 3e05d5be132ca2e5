//! What every page handler shares (registered as app data at start-up): the API client, the
//! configured public address and public pages kept for a short while.

use super::{Api, Visit};
use crate::error::AppResult;
use reqwest::Method;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// How long a public page (a code's card or station) is kept before it is asked again.
const PUBLIC_SECS: u64 = 20;

/// A style sheet or script the binary serves (kept a day by the browser).
pub fn asset(kind: &str, body: &'static str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(kind)
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

/// What every page handler gets (registered as app data at start-up).
#[derive(Clone)]
pub struct Pages {
    pub api: Api,
    /// Public pages by code (`None`: no such code), so a poster scanned by a crowd costs one
    /// query per code and 20 seconds.
    public: moka::sync::Cache<String, Option<Arc<Value>>>,
    /// The same pages put in words for the code's page (as long).
    pub cards: moka::sync::Cache<String, Arc<crate::pages::views::Card>>,
    /// `LVZHI_PUBLIC_BASE_URL`.
    pub base: Option<String>,
}

impl Pages {
    pub fn new(api: Api, base: Option<String>) -> Pages {
        let ttl = Duration::from_secs(PUBLIC_SECS);
        let public = moka::sync::Cache::builder().max_capacity(20_000).time_to_live(ttl).build();
        let cards = moka::sync::Cache::builder().max_capacity(20_000).time_to_live(ttl).build();
        Pages { api, public, cards, base }
    }

    pub fn visit(&self, req: &actix_web::HttpRequest) -> Visit {
        Visit::new(req, &self.api, self.base.as_deref())
    }

    /// A visit to the station desk (its own cookies under `/desk`).
    pub fn desk_visit(&self, req: &actix_web::HttpRequest) -> Visit {
        Visit::in_area(&super::visit::DESK, req, &self.api, self.base.as_deref())
    }

    /// The public page behind a printed code (`None`: no such code).
    pub async fn public_page(&self, v: &Visit, code: &str) -> AppResult<Option<Arc<Value>>> {
        if code.is_empty()
            || code.len() > 64
            || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Ok(None);
        }
        if let Some(hit) = self.public.get(code) {
            return Ok(hit);
        }
        let r = v.public(Method::GET, &format!("/api/v1/public/pages/{code}"), None).await?;
        let page = match r.status {
            404 => None,
            _ if r.ok() => Some(Arc::new(r.body)),
            _ => return Err(crate::error::AppError::internal(format!("the public page answered {}", r.status))),
        };
        self.public.insert(code.to_string(), page.clone());
        Ok(page)
    }
}
