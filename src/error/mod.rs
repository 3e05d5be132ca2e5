//! The one application error type. Every failure a handler can return is an [`AppError`] with a
//! stable snake_case `code`, rendered as RFC 9457 `application/problem+json`. Internal errors are
//! logged with their detail and answered as an opaque 500.

mod code;

pub use code::Code;

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
        AppError { status: code.status(), code, detail: detail.into(), errors: vec![], retry_after: None, internal: None }
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

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(message = info.message(), "unique violation");
                AppError::conflict(Code::AlreadyExists, format!("a record with the same key already exists ({})", info.constraint_name().unwrap_or("unique")))
            }
            // The connection broke (the server restarted, the network dropped): the pool replaces
            // it; this request is told to retry.
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, info) => {
                AppError::database_unavailable(info.message())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if lost_connection(info.message()) => AppError::database_unavailable(info.message()),
            // A connection that died inside a transaction leaves diesel's transaction manager
            // broken: the connection is discarded; the request is told to retry.
            Error::BrokenTransactionManager => AppError::database_unavailable("the connection broke inside a transaction"),
            // PostgreSQL cancelled a statement past `statement_timeout` or `lock_timeout`.
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if timed_out(info.message()) => AppError::database_unavailable(info.message()),
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::conflict(Code::ReferencedRecord, "the record is referenced by, or refers to, a record that does not allow this")
            }
            other => AppError::internal(other),
        }
    }
}

/// Messages of PostgreSQL for a statement it cancelled on a timeout.
fn timed_out(message: &str) -> bool {
    message.contains("canceling statement due to statement timeout") || message.contains("canceling statement due to lock timeout")
}

/// Messages of libpq for a connection that is gone.
fn lost_connection(message: &str) -> bool {
    [
        "server closed the connection",
        "terminating connection",
        "connection to server",
        "no connection to the server",
        "could not receive data",
        "could not send data",
    ]
    .iter()
    .any(|m| message.contains(m))
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::database_unavailable(e)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::internal(e)
    }
}

/// Maps actix's JSON body errors to our stable codes.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let e = match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => AppError::new(Code::PayloadTooLarge, "the request body is larger than allowed"),
        J::ContentType => AppError::new(Code::UnsupportedMediaType, "the body must be application/json"),
        J::Deserialize(de) => serde_error(de),
        _ => AppError::bad_request(Code::MalformedJson, "the body could not be read as JSON"),
    };
    e.into()
}

fn serde_error(de: &serde_json::Error) -> AppError {
    use serde_json::error::Category;
    let msg = de.to_string();
    match de.classify() {
        Category::Data if msg.starts_with("unknown field") => AppError::bad_request(Code::UnknownField, msg),
        Category::Data => {
            let field = msg.split('`').nth(1).unwrap_or("body").to_string();
            AppError::validation(vec![FieldError::new(&field, "invalid_value", msg)])
        }
        _ => AppError::bad_request(Code::MalformedJson, msg),
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::bad_request(Code::InvalidQuery, err.to_string()).into()
}

pub fn path_error(_err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::not_found().into()
}

/// Error answers of read routes (for the OpenAPI document).
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum ReadErrors {
    /// `invalid_query`: a query parameter of the wrong type or form.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// `unauthorized`: missing, invalid, expired or revoked token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// `forbidden` (the role may never do this) or `insufficient_scope` (client credentials).
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// `not_found`: missing, or outside the caller's scope (the two look the same).
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// `validation_failed`: a bad `limit`, `cursor` or filter value.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
}

/// Error answers of create routes.
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum WriteErrors {
    /// `malformed_json` or `unknown_field`.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// `unauthorized`.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// `forbidden` or `insufficient_scope`.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// `not_found`: the record (or its region) is missing or outside the caller's scope.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// `already_exists` or `referenced_record`.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// `payload_too_large`.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// `unsupported_media_type`.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// `validation_failed`, with per-field `errors`.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
}

/// Error answers of update routes: those of writes, plus the ETag preconditions.
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum UpdateErrors {
    /// `malformed_json` or `unknown_field`.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// `unauthorized`.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// `forbidden` or `insufficient_scope`.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// `not_found`: missing or outside the caller's scope.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// `already_exists` or `referenced_record`.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// `precondition_failed`: If-Match names an older version.
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(Problem),
    /// `payload_too_large`.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// `unsupported_media_type`.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
    /// `validation_failed`.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(Problem),
    /// `precondition_required`: send If-Match with the ETag you read.
    #[response(status = 428, content_type = "application/problem+json")]
    PreconditionRequired(Problem),
}
