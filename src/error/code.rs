//! Every error code the API answers with, in one place: the stable snake_case string clients
//! switch on (the `code` of a problem document) and the HTTP status it is always sent with. The
//! problem's `title` is the status's reason phrase. Field-level codes inside a validation error
//! (`errors[].code`) are the fields' own and are not listed here.

use actix_web::http::StatusCode;

macro_rules! codes {
    ($($variant:ident = ($status:ident, $text:literal),)*) => {
        /// A stable error code; see the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order listed.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The snake_case string sent as the problem's `code`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The HTTP status this code is sent with.
            pub fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::$status,)*
                }
            }
        }
    };
}

codes! {
    InvalidCursor = (BAD_REQUEST, "invalid_cursor"),
    InvalidIdempotencyKey = (BAD_REQUEST, "invalid_idempotency_key"),
    InvalidLastEventId = (BAD_REQUEST, "invalid_last_event_id"),
    InvalidQuery = (BAD_REQUEST, "invalid_query"),
    InvalidRequest = (BAD_REQUEST, "invalid_request"),
    InvalidScope = (BAD_REQUEST, "invalid_scope"),
    MalformedBody = (BAD_REQUEST, "malformed_body"),
    MalformedJson = (BAD_REQUEST, "malformed_json"),
    UnknownField = (BAD_REQUEST, "unknown_field"),
    UnsupportedGrantType = (BAD_REQUEST, "unsupported_grant_type"),
    InvalidClient = (UNAUTHORIZED, "invalid_client"),
    InvalidCredentials = (UNAUTHORIZED, "invalid_credentials"),
    InvalidRefreshToken = (UNAUTHORIZED, "invalid_refresh_token"),
    OtpBurned = (UNAUTHORIZED, "otp_burned"),
    OtpExpired = (UNAUTHORIZED, "otp_expired"),
    OtpInvalid = (UNAUTHORIZED, "otp_invalid"),
    RefreshTokenReused = (UNAUTHORIZED, "refresh_token_reused"),
    Unauthorized = (UNAUTHORIZED, "unauthorized"),
    AccountDisabled = (FORBIDDEN, "account_disabled"),
    Forbidden = (FORBIDDEN, "forbidden"),
    InsufficientScope = (FORBIDDEN, "insufficient_scope"),
    LinkInvalid = (FORBIDDEN, "link_invalid"),
    MakerChecker = (FORBIDDEN, "maker_checker"),
    NotFound = (NOT_FOUND, "not_found"),
    AlreadyBooked = (CONFLICT, "already_booked"),
    AlreadyCheckedOut = (CONFLICT, "already_checked_out"),
    AlreadyDecided = (CONFLICT, "already_decided"),
    AlreadyExists = (CONFLICT, "already_exists"),
    AlreadyPublished = (CONFLICT, "already_published"),
    AlreadyRetracted = (CONFLICT, "already_retracted"),
    AlreadyReversed = (CONFLICT, "already_reversed"),
    AppealClosed = (CONFLICT, "appeal_closed"),
    AppealOpen = (CONFLICT, "appeal_open"),
    CheckinRejected = (CONFLICT, "checkin_rejected"),
    CosignersPending = (CONFLICT, "cosigners_pending"),
    EventClosed = (CONFLICT, "event_closed"),
    EventNotStarted = (CONFLICT, "event_not_started"),
    EventStarted = (CONFLICT, "event_started"),
    ExtensionPending = (CONFLICT, "extension_pending"),
    IllegalTransition = (CONFLICT, "illegal_transition"),
    NoExtensionPending = (CONFLICT, "no_extension_pending"),
    NoPendingLeave = (CONFLICT, "no_pending_leave"),
    NotPendingReview = (CONFLICT, "not_pending_review"),
    NotPublishable = (CONFLICT, "not_publishable"),
    NotPublished = (CONFLICT, "not_published"),
    NoticeNotEditable = (CONFLICT, "notice_not_editable"),
    ReferencedRecord = (CONFLICT, "referenced_record"),
    RsvpClosed = (CONFLICT, "rsvp_closed"),
    RsvpNotRequired = (CONFLICT, "rsvp_not_required"),
    SlotFull = (CONFLICT, "slot_full"),
    SlotOver = (CONFLICT, "slot_over"),
    ReviewClosed = (CONFLICT, "review_closed"),
    AlreadyRated = (CONFLICT, "already_rated"),
    SessionNotOver = (CONFLICT, "session_not_over"),
    SlotStarted = (CONFLICT, "slot_started"),
    SlotCancelled = (CONFLICT, "slot_cancelled"),
    TooLate = (CONFLICT, "too_late"),
    BookingsHeld = (CONFLICT, "bookings_held"),
    TooManyAttachments = (CONFLICT, "too_many_attachments"),
    NotPresent = (FORBIDDEN, "not_present"),
    AlreadyVoted = (CONFLICT, "already_voted"),
    VotingClosed = (CONFLICT, "voting_closed"),
    TalliesPending = (CONFLICT, "tallies_pending"),
    TooManyApprovals = (UNPROCESSABLE_ENTITY, "too_many_approvals"),
    LimitReached = (CONFLICT, "limit_reached"),
    CourseClosed = (CONFLICT, "course_closed"),
    AttemptsUsed = (CONFLICT, "attempts_used"),
    CourseIncomplete = (CONFLICT, "course_incomplete"),
    ConsultationClosed = (CONFLICT, "consultation_closed"),
    AlreadyAnswered = (CONFLICT, "already_answered"),
    PreconditionFailed = (PRECONDITION_FAILED, "precondition_failed"),
    PayloadTooLarge = (PAYLOAD_TOO_LARGE, "payload_too_large"),
    UnsupportedMediaType = (UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    IdempotencyKeyReused = (UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
    UrlNotAllowed = (UNPROCESSABLE_ENTITY, "url_not_allowed"),
    CheckinRefused = (UNPROCESSABLE_ENTITY, "checkin_refused"),
    OfflineTooOld = (UNPROCESSABLE_ENTITY, "offline_too_old"),
    ScannedInFuture = (UNPROCESSABLE_ENTITY, "scanned_in_future"),
    ValidationFailed = (UNPROCESSABLE_ENTITY, "validation_failed"),
    PreconditionRequired = (PRECONDITION_REQUIRED, "precondition_required"),
    RateLimited = (TOO_MANY_REQUESTS, "rate_limited"),
    InternalError = (INTERNAL_SERVER_ERROR, "internal_error"),
    DatabaseUnavailable = (SERVICE_UNAVAILABLE, "database_unavailable"),
    DependencyUnavailable = (SERVICE_UNAVAILABLE, "dependency_unavailable"),
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} listed twice");
            assert!(s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{s} is not snake_case");
            assert!(c.status().is_client_error() || c.status().is_server_error(), "{s} has a success status");
        }
    }
}
