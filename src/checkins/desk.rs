//! A station's day as its desk sees it: the duty slots with who is on duty and how it went,
//! the check-ins made there (open, waiting for review, done) and the events held there.

use crate::checkins::model::{CheckinView, SlotView};
use crate::checkins::on_duty::{day_bounds, slots_between};
use crate::checkins::store::{self, presence, ListFilter};
use crate::db::{utc, AnyConnection};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventOfDay {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The check-ins part of a station's day.
pub struct CheckinsOfDay {
    pub slots: Vec<SlotView>,
    pub checkins: Vec<CheckinView>,
    pub events: Vec<EventOfDay>,
}

pub fn station_day(c: &mut AnyConnection, station: i64, day: NaiveDate, tz: chrono_tz::Tz) -> AppResult<CheckinsOfDay> {
    let (from, to) = day_bounds(day, tz);
    let f =
        ListFilter { deputy_id: None, station_ids: Some(vec![station]), status: None, from: Some(from), to: Some(to) };
    let checkins = store::list(c, &f, 0, 500)?.into_iter().map(crate::checkins::service::view).collect();
    let events = presence::events_at(c, station, from, to)?
        .into_iter()
        .map(|(id, kind, title, s, e)| EventOfDay { id, kind, title, starts_at: utc(s), ends_at: utc(e) })
        .collect();
    Ok(CheckinsOfDay { slots: slots_between(c, station, from, to)?, checkins, events })
}
