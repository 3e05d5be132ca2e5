//! How failures of the libraries become an [`AppError`]: database errors (a lost connection or a
//! statement timeout is a 503 to retry), pool and blocking errors, and actix's body, query and
//! path extractors.

use super::{AppError, Code, FieldError};

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(message = info.message(), "unique violation");
                AppError::conflict(
                    Code::AlreadyExists,
                    format!(
                        "a record with the same key already exists ({})",
                        info.constraint_name().unwrap_or("unique")
                    ),
                )
            }
            // The connection broke (the server restarted, the network dropped): the pool replaces
            // it; this request is told to retry.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => AppError::database_unavailable(info.message()),
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if lost_connection(info.message()) => {
                AppError::database_unavailable(info.message())
            }
            // A connection that died inside a transaction leaves diesel's transaction manager
            // broken: the connection is discarded; the request is told to retry.
            Error::BrokenTransactionManager => {
                AppError::database_unavailable("the connection broke inside a transaction")
            }
            // PostgreSQL cancelled a statement past `statement_timeout` or `lock_timeout`.
            Error::DatabaseError(DatabaseErrorKind::Unknown, info) if timed_out(info.message()) => {
                AppError::database_unavailable(info.message())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => AppError::conflict(
                Code::ReferencedRecord,
                "the record is referenced by, or refers to, a record that does not allow this",
            ),
            other => AppError::internal(other),
        }
    }
}

/// Messages of PostgreSQL for a statement it cancelled on a timeout.
fn timed_out(message: &str) -> bool {
    message.contains("canceling statement due to statement timeout")
        || message.contains("canceling statement due to lock timeout")
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
        J::OverflowKnownLength { .. } | J::Overflow { .. } => {
            AppError::new(Code::PayloadTooLarge, "the request body is larger than allowed")
        }
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
