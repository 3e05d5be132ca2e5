//! The error answers each kind of route documents in the OpenAPI document.

use super::Problem;

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
