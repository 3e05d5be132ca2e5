//! Drafts started elsewhere: an issue a deputy heard in a liaison contact becomes the deputy's
//! suggestion draft, to be completed, co-signed and submitted like any other.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::suggestions::store::{self, NewSuggestion};
use chrono::NaiveDateTime;

/// Drafts a suggestion for `deputy` (their first seat's congress), category `other`, between
/// sessions; answers its id. The caller audits.
pub fn draft_for(
    c: &mut AnyConnection,
    (deputy, account): (i64, i64),
    title: &str,
    content: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let path = crate::org::deputy_region_paths(c, deputy)?
        .and_then(|p| p.into_iter().next())
        .ok_or_else(|| AppError::invalid_field("deputy_id", "not_seated", "the deputy has no seat"))?;
    let title: String = title.trim().chars().take(200).collect();
    let n = NewSuggestion {
        author: deputy,
        account,
        region_path: &path,
        title: &title,
        content,
        category: "other",
        period: "recess",
        publish_consent: false,
    };
    let id = store::insert(c, &n, now)?;
    store::event(c, id, (None, "draft"), (account, "deputy"), Some("drafted from a liaison contact"), now)?;
    Ok(id)
}
