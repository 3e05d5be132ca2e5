//! Per-request middleware: an `X-Request-Id` (echoed when the client sent a sane one, generated
//! otherwise), the access log line, and the metrics observation.

use crate::auth::RequestId;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use std::time::Instant;

const REQUEST_ID: &str = "x-request-id";

fn sane(v: &str) -> bool {
    !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
}

/// Observes one request. A generated request id is a version-4 UUID from the thread's random
/// generator (`Uuid::new_v4` asks the kernel for its bytes: a system call per request).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    // A NUL character (`%00`) in the address names nothing: no route takes one, and PostgreSQL
    // refuses it in text.
    if req.uri().to_string().to_ascii_lowercase().contains("%00") {
        let e =
            crate::error::AppError::bad_request(crate::error::Code::InvalidQuery, "no NUL characters in the address");
        return Err(e.into());
    }
    let start = Instant::now();
    let rid = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Builder::from_random_bytes(rand::random()).into_uuid().to_string());
    req.extensions_mut().insert(RequestId(rid.clone()));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let path = req.path().to_string();
    let mut res = next.call(req).await?;
    if let Ok(v) = HeaderValue::from_str(&rid) {
        res.headers_mut().insert(HeaderName::from_static(REQUEST_ID), v);
    }
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let secs = start.elapsed().as_secs_f64();
    if let Some(s) = state {
        s.metrics.observe(&method, &route, status, secs);
    }
    if status >= 500 {
        tracing::warn!(request_id = %rid, %method, %path, status, ms = secs * 1000.0, "request failed");
    } else {
        tracing::debug!(request_id = %rid, %method, %path, status, ms = secs * 1000.0, "request");
    }
    Ok(res)
}
