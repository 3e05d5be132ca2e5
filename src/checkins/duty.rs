//! A deputy's duty of a period as the duty archive (履职档案) tells it: receptions at stations,
//! the hours spent there, final attendance of meetings, trainings, inspections and group
//! activities, and what the activity records say about constituents received.

use crate::db::schema::{activity_records as a, checkins as c, event_invitees as i, events as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Attendance {
    pub attended: i64,
    pub excused: i64,
    pub absent: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DutySummary {
    /// Accepted check-ins at stations (receptions).
    pub receptions: i64,
    /// Hours of accepted, closed station check-ins.
    pub reception_hours: f64,
    /// Final attendance of closed events, by kind (meeting, training, inspection, group_activity).
    pub events: BTreeMap<String, Attendance>,
    /// Activity records written.
    pub activities: i64,
    pub constituents_received: i64,
    pub opinions_collected: i64,
}

/// The deputy's duty in `[from, to)` (UTC).
pub fn summary(
    conn: &mut AnyConnection,
    deputy: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<DutySummary> {
    let visits: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = c::table
        .filter(c::deputy_id.eq(deputy))
        .filter(c::station_id.is_not_null())
        .filter(c::status.eq("accepted"))
        .filter(c::checked_in_at.ge(from))
        .filter(c::checked_in_at.lt(to))
        .select((c::checked_in_at, c::checked_out_at))
        .load(conn)?;
    let minutes: i64 = visits.iter().filter_map(|(i, o)| o.map(|o| (o - *i).num_minutes().max(0))).sum();
    let mut out = DutySummary {
        receptions: visits.len() as i64,
        reception_hours: (minutes as f64 / 6.0).round() / 10.0,
        ..Default::default()
    };
    let rows: Vec<(String, Option<String>)> = i::table
        .inner_join(e::table)
        .filter(i::deputy_id.eq(deputy))
        .filter(e::starts_at.ge(from))
        .filter(e::starts_at.lt(to))
        .filter(e::closed_at.is_not_null())
        .select((e::kind, i::attendance))
        .load(conn)?;
    for (kind, att) in rows {
        let slot = out.events.entry(kind).or_default();
        match att.as_deref() {
            Some("attended") => slot.attended += 1,
            Some("excused") => slot.excused += 1,
            Some("absent") => slot.absent += 1,
            _ => {}
        }
    }
    let acts: Vec<(i32, i32)> = a::table
        .filter(a::deputy_id.eq(deputy))
        .filter(a::occurred_at.ge(from))
        .filter(a::occurred_at.lt(to))
        .select((a::constituents_received, a::opinions_collected))
        .load(conn)?;
    out.activities = acts.len() as i64;
    out.constituents_received = acts.iter().map(|x| x.0 as i64).sum();
    out.opinions_collected = acts.iter().map(|x| x.1 as i64).sum();
    Ok(out)
}
