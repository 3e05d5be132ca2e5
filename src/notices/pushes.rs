//! What a push says of a notice, and what came back: which deputies' pushes went out.

use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// What a push about notice `n` says (carried by the push row, so delivery never reads notices).
pub fn headline(n: &super::store::NoticeRow) -> crate::push::Headline {
    crate::push::Headline { notice: n.id, kind: n.kind.clone(), title: n.title.clone(), priority: n.priority.clone() }
}

/// Records pushes to (notice, deputy) pairs' devices (and whether the provider accepted them):
/// one statement per notice.
pub fn record_pushes(c: &mut AnyConnection, pushes: &[(i64, i64)], acked: bool, at: NaiveDateTime) -> AppResult<()> {
    let mut by_notice: HashMap<i64, Vec<i64>> = HashMap::new();
    for (n, d) in pushes {
        by_notice.entry(*n).or_default().push(*d);
    }
    for (n, deputies) in by_notice {
        super::store::pushed(c, n, &deputies, acked, at)?;
    }
    Ok(())
}
