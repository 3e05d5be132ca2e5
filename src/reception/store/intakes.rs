//! All SQL of how cases filed for someone came in (desk channels, deputies' collections).

use crate::db::schema::opinion_intakes as i;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// How a case came in: (channel, station, filed by, their role, consent).
pub struct Intake<'a> {
    pub channel: &'a str,
    pub station: Option<i64>,
    pub filed_by: i64,
    pub role: &'a str,
    pub consent: Option<&'a str>,
}

pub fn insert(c: &mut AnyConnection, opinion: i64, x: &Intake, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(i::table)
        .values((
            i::opinion_id.eq(opinion),
            i::channel.eq(x.channel),
            i::station_id.eq(x.station),
            i::filed_by.eq(x.filed_by),
            i::filed_by_role.eq(x.role),
            i::consent.eq(x.consent),
            i::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// A case's channel, if it was filed for someone.
pub fn channel_of(c: &mut AnyConnection, opinion: i64) -> AppResult<Option<String>> {
    Ok(i::table.find(opinion).select(i::channel).first(c).optional()?)
}

/// A case filed at a station: (ticket, channel, title, status, filed at).
pub type Filed = (String, String, String, String, NaiveDateTime);

/// Cases filed at a station in `from..to`.
pub fn filed_at(c: &mut AnyConnection, station: i64, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<Vec<Filed>> {
    use crate::db::schema::opinions as o;
    Ok(i::table
        .inner_join(o::table)
        .filter(i::station_id.eq(station))
        .filter(i::created_at.ge(from))
        .filter(i::created_at.lt(to))
        .order(i::created_at)
        .select((o::ticket, i::channel, o::title, o::status, i::created_at))
        .limit(500)
        .load(c)?)
}
