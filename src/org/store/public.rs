//! SQL of what anyone may see of a deputy: the public face behind a printed code, brief cards and
//! the seats shown on them (never a phone number); and the code printed on a station's poster.

use crate::db::schema::{deputies as d, seats as s, stations as st};
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// (id, name, photo, introduction) of a deputy: what the public may see (no phone number).
pub type PublicFace = (i64, String, Option<String>, Option<String>);

/// (id, name, public code, photo).
pub type PublicBrief = (i64, String, String, Option<String>);

/// (level, region name, group name, term).
pub type PublicSeatRow = (String, String, Option<String>, i32);

/// A deputy's public face by public code.
pub fn public_deputy(conn: &mut AnyConnection, code: &str) -> AppResult<Option<PublicFace>> {
    Ok(d::table
        .filter(d::public_code.eq(code))
        .select((d::id, d::name, d::photo_url, d::introduction))
        .first(conn)
        .optional()?)
}

/// The code printed on a station's poster.
pub fn station_public_code(conn: &mut AnyConnection, id: i64) -> AppResult<Option<String>> {
    Ok(st::table.find(id).select(st::public_code).first(conn).optional()?)
}

/// Deputies' briefs for public pages.
pub fn public_briefs(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<PublicBrief>> {
    Ok(d::table
        .filter(d::id.eq_any(ids.to_vec()))
        .order(d::id)
        .select((d::id, d::name, d::public_code, d::photo_url))
        .load(conn)?)
}

/// A deputy's seats in office.
pub fn public_seats(conn: &mut AnyConnection, deputy: i64) -> AppResult<Vec<PublicSeatRow>> {
    use crate::db::schema::{deputy_groups as g, regions as r};
    Ok(s::table
        .inner_join(r::table)
        .left_join(g::table)
        .filter(s::deputy_id.eq(deputy))
        .filter(s::status.eq("active"))
        .order(s::id)
        .select((s::level, r::name, g::name.nullable(), s::term))
        .load(conn)?)
}
