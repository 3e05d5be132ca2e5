//! SQL of sitting in (列席): the invitations to a congress's sitting-in meetings that start in a
//! window, with how each went.

use crate::checkins::rules::rotation::Invitation;
use crate::db::schema::{event_invitees as i, events as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn invitations(
    c: &mut AnyConnection,
    region: i64,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> AppResult<Vec<Invitation>> {
    Ok(i::table
        .inner_join(e::table)
        .filter(e::kind.eq("sitting_in"))
        .filter(e::region_id.eq(region))
        .filter(e::starts_at.ge(from))
        .filter(e::starts_at.lt(to))
        .select((i::deputy_id, i::attendance, e::closed_at, e::starts_at))
        .load(c)?)
}
