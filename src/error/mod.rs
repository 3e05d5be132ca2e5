//! The one application error type. Every failure a handler can return is an [`AppError`] with a
//! stable snake_case `code`, rendered as RFC 9457 `application/problem+json`. Internal errors are
//! logged with their detail and answered as an opaque 500.

mod code;
mod convert;
mod responses;

pub use code::Code;
pub use convert::{json_error, path_error, query_error};
pub use responses::{ReadErrors, UpdateErrors, WriteErrors};

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One per-field problem inside a validation error.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// The offending field (for CSV imports: the column name).
    pub field: String,
    /// Stable snake_case code of the problem.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// 1-based data row for bulk imports (the header is row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into(), message: message.into(), row: None }
    }

    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
}

/// RFC 9457 problem document, as sent on the wire.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable snake_case error code; clients switch on this.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldError>,
    /// Seconds for a `Retry-After` header (rate limits, lockouts).
    pub retry_after: Option<u64>,
    /// Logged, never sent.
    internal: Option<String>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error with `code`, sent with the code's status.
    pub fn new(code: Code, detail: impl Into<String>) -> Self {
        AppError {
            status: code.status(),
            code,
            detail: detail.into(),
            errors: vec![],
            retry_after: None,
            internal: None,
        }
    }
    pub fn bad_request(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, detail)
    }
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(Code::Unauthorized, detail)
    }
    pub fn invalid_credentials() -> Self {
        Self::new(Code::InvalidCredentials, "username or password is wrong")
    }
    pub fn forbidden(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, detail)
    }
    /// Also used for records outside the caller's scope: they must look exactly like missing ones.
    pub fn not_found() -> Self {
        Self::new(Code::NotFound, "the resource does not exist")
    }
    pub fn conflict(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, detail)
    }
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(Code::ValidationFailed, "the request has invalid fields");
        e.errors = errors;
        e
    }
    pub fn invalid_field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, message)])
    }
    pub fn precondition_failed() -> Self {
        Self::new(Code::PreconditionFailed, "If-Match does not match the current version")
    }
    pub fn precondition_required() -> Self {
        Self::new(Code::PreconditionRequired, "updates need an If-Match header with the current ETag")
    }
    pub fn too_many_requests(retry_after: u64) -> Self {
        let mut e = Self::new(Code::RateLimited, "too many requests, try again later");
        e.retry_after = Some(retry_after);
        e
    }
    pub fn unavailable(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, detail)
    }
    /// 503 `database_unavailable` (retry in a few seconds); `why` is logged.
    pub fn database_unavailable(why: impl std::fmt::Display) -> Self {
        let mut e = Self::unavailable(Code::DatabaseUnavailable, "the database is not reachable");
        e.retry_after = Some(5);
        e.internal = Some(why.to_string());
        e
    }
    /// An unexpected failure: the detail is logged, the client sees an opaque 500.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        let mut e = Self::new(Code::InternalError, "an internal error occurred");
        e.internal = Some(err.to_string());
        e
    }

    /// Another stable code (and its status).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self.status = code.status();
        self
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("https://lvzhi.dev/problems/{}", self.code.as_str().replace('_', "-")),
            title: self.status.canonical_reason().unwrap_or("Error").to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.as_str().to_string(),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(internal) = &self.internal {
            tracing::error!(error = %internal, "internal error");
        }
        let mut b = HttpResponse::build(self.status);
        b.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(s) = self.retry_after {
            b.insert_header((header::RETRY_AFTER, s.to_string()));
        }
        b.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}
