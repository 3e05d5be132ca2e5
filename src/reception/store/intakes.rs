//! All SQL of how cases filed for someone came in (desk channels, deputies' collections).

use crate::db::schema::opinion_intakes as i;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::{self, field, Pii, Reseal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// How a case came in: (channel, station, filed by, their role, consent).
pub struct Intake<'a> {
    pub channel: &'a str,
    pub station: Option<i64>,
    pub filed_by: i64,
    pub role: &'a str,
    pub consent: Option<&'a str>,
    /// The person's name, sealed.
    pub name_sealed: Option<String>,
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
            i::name_sealed.eq(x.name_sealed.as_deref()),
            i::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// A case's channel, if it was filed for someone.
pub fn channel_of(c: &mut AnyConnection, opinion: i64) -> AppResult<Option<String>> {
    Ok(i::table.find(opinion).select(i::channel).first(c).optional()?)
}

/// How many cases were filed at a station for a deputy (theirs, or filed by their staff while
/// they received there) in `from..to`: the least an activity record of that reception counts.
pub fn count_linked(
    c: &mut AnyConnection,
    station: i64,
    deputy: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<i64> {
    use crate::db::schema::opinions as o;
    Ok(i::table
        .inner_join(o::table)
        .filter(i::station_id.eq(station))
        .filter(o::deputy_id.eq(deputy))
        .filter(i::created_at.ge(from))
        .filter(i::created_at.le(to))
        .count()
        .get_result(c)?)
}

/// A case filed at a station: (ticket, channel, title, status, filed at, name sealed).
pub type Filed = (String, String, String, String, NaiveDateTime, Option<String>);

/// Cases filed at a station in `from..to`.
pub fn filed_at(c: &mut AnyConnection, station: i64, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<Vec<Filed>> {
    use crate::db::schema::opinions as o;
    Ok(i::table
        .inner_join(o::table)
        .filter(i::station_id.eq(station))
        .filter(i::created_at.ge(from))
        .filter(i::created_at.lt(to))
        .order(i::created_at)
        .select((o::ticket, i::channel, o::title, o::status, i::created_at, i::name_sealed))
        .limit(500)
        .load(c)?)
}

/// Seals up to `limit` names after case id `after` that need it (`Legacy`: none are stored
/// plain, so nothing; `All`: those under an older key); answers (rows changed, last id).
pub fn reseal(
    c: &mut AnyConnection,
    pii: &Pii,
    mode: Reseal,
    after: i64,
    limit: i64,
) -> AppResult<(usize, Option<i64>)> {
    if mode == Reseal::Legacy {
        return Ok((0, None));
    }
    let rows: Vec<(i64, Option<String>)> = i::table
        .filter(i::opinion_id.gt(after))
        .filter(i::name_sealed.is_not_null())
        .order(i::opinion_id)
        .limit(limit)
        .select((i::opinion_id, i::name_sealed))
        .load(c)?;
    let mut changed = 0;
    for (id, stored) in &rows {
        let Some(stored) = stored.as_deref().filter(|s| !pii.is_current(s)) else { continue };
        let plain = if pii::is_sealed(stored) { pii.open(field::INTAKE_NAME, stored)? } else { stored.to_string() };
        diesel::update(i::table.find(id)).set(i::name_sealed.eq(pii.seal(field::INTAKE_NAME, &plain))).execute(c)?;
        changed += 1;
    }
    Ok((changed, rows.last().map(|r| r.0)))
}
