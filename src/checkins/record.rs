//! Recording check-ins in bulk: everything a burst of check-ins needs from the database — the
//! stored answers of retried requests, each deputy's latest check-in, the inserts, the point
//! events, the audit rows of staff-recorded ones, the remembered answers — in a few multi-row statements per
//! transaction (see [`crate::db::bulk`]). A lone check-in takes the same path with one row.

use super::rules::{self, Decision, Evidence};
use super::service::{refused, view};
use super::store::{self, CheckinRow, NewCheckin};
use super::venues::Venue;
use crate::audit::Entry;
use crate::db::bulk::{Bulk, BulkWrite, Outcome};
use crate::db::stamp::Stamp;
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::feed::data::CheckinAccepted;
use crate::ledger::PointEvent;
use crate::platform::idempotency::{self, Answer, IdemKey};
use crate::platform::pii::Pii;
use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A check-in whose token and geofence were already checked (not refused).
pub struct Attempt {
    pub deputy: i64,
    pub staff_confirmed: bool,
    pub venue: Arc<Venue>,
    pub evidence: Evidence,
    /// WGS-84 position and accuracy, when the phone sent one.
    pub pos: Option<((f64, f64), f64)>,
    /// The position as stored: sealed (personal data).
    pub sealed_pos: Option<String>,
    /// When it happened (the scan time of an offline check-in).
    pub at: NaiveDateTime,
    pub now: NaiveDateTime,
    pub recorded_by: i64,
    /// The audit record, without the check-in's id: for a check-in staff recorded for a deputy.
    pub audit: Option<Entry>,
    pub key: Option<IdemKey>,
}

/// What one attempt does, decided from the deputy's latest check-in.
enum Step {
    /// The same place within 10 minutes: the open check-in is the answer.
    Repeat(Box<CheckinRow>),
    /// A new check-in; `close` is an open one to close at its start.
    Insert {
        close: Option<i64>,
        status: &'static str,
        reasons: String,
        impossible_travel: bool,
        closed_at: Option<NaiveDateTime>,
    },
}

fn step(a: &Attempt, latest: Option<&CheckinRow>, prev_pos: Option<(f64, f64)>) -> AppResult<Step> {
    let mut ev = a.evidence.clone();
    if let Some((here, _)) = a.pos {
        let prev = latest.and_then(|l| Some((prev_pos?, utc(l.checked_in_at))));
        ev.impossible_travel =
            rules::implied_speed_kmh(prev, here, utc(a.at)).is_some_and(|s| s > rules::MAX_SPEED_KMH);
    }
    let (status, reasons) = match rules::decide(&ev) {
        Decision::Accepted => ("accepted", vec![]),
        Decision::PendingReview(r) => ("pending_review", r),
        Decision::Refused(r) => return Err(refused(r)),
    };
    // One open check-in at a time, and only the latest may be open: the same place within 10
    // minutes (either way: concurrent retries arrive in any order) is a repeat; an offline scan
    // older than the latest check-in is history, recorded closed when the next one began;
    // anything else closes the open one.
    let (mut close, mut closed_at) = (None, None);
    if let Some(l) = latest {
        let open = l.checked_out_at.is_none() && l.status != "rejected";
        let same = l.station_id == a.venue.station_id && l.event_id == a.venue.event_id;
        if open && same && (a.at - l.checked_in_at).abs() < Duration::minutes(rules::SAME_PLACE_MINUTES) {
            return Ok(Step::Repeat(Box::new(l.clone())));
        }
        if a.at < l.checked_in_at && a.evidence.offline {
            closed_at = Some(l.checked_in_at);
        } else if open {
            close = Some(l.id);
        }
    }
    Ok(Step::Insert { close, status, reasons: reasons.join(","), impossible_travel: ev.impossible_travel, closed_at })
}

fn new_row<'a>(
    a: &Attempt,
    status: &'a str,
    reasons: &'a str,
    impossible_travel: bool,
    closed_at: Option<NaiveDateTime>,
) -> NewCheckin<'a> {
    NewCheckin {
        deputy_id: a.deputy,
        station_id: a.venue.station_id,
        event_id: a.venue.event_id,
        status,
        qr_valid: a.evidence.qr_valid,
        inside_geofence: a.evidence.inside_geofence,
        distance_m: a.evidence.distance_m,
        accuracy_m: a.pos.map(|(_, acc)| acc),
        position_enc: a.sealed_pos.clone(),
        offline: a.evidence.offline,
        staff_confirmed: a.staff_confirmed,
        impossible_travel,
        reasons,
        checked_in_at: Stamp(a.at),
        recorded_at: Stamp(a.now),
        recorded_by: a.recorded_by,
        checked_out_at: closed_at.map(Stamp),
    }
}

/// The bulk kind for check-ins (with the keys that open the previous positions).
pub struct Checkins(pub Pii);

/// The check-in queue of this instance.
pub type Writes = Bulk<Checkins>;

impl BulkWrite for Checkins {
    type Input = Arc<Attempt>;
    type Output = Answer;

    fn many(&self, c: &mut AnyConnection, inputs: &[Arc<Attempt>]) -> AppResult<Vec<Outcome<Answer>>> {
        let mut out: Vec<Option<Outcome<Answer>>> = inputs.iter().map(|_| None).collect();
        // One request per deputy and per key in a bulk: the rest run alone afterwards.
        let (mut deputies, mut keys) = (HashSet::new(), HashSet::new());
        for (i, a) in inputs.iter().enumerate() {
            let key_dup = a.key.as_ref().is_some_and(|k| !keys.insert((k.account, k.key.clone())));
            if !deputies.insert(a.deputy) || key_dup {
                out[i] = Some(Outcome::Alone);
            }
        }
        // Retries answered from the stored answers.
        let keyed: Vec<usize> = (0..inputs.len()).filter(|&i| out[i].is_none() && inputs[i].key.is_some()).collect();
        let key_refs: Vec<&IdemKey> = keyed.iter().filter_map(|&i| inputs[i].key.as_ref()).collect();
        for (&i, stored) in keyed.iter().zip(idempotency::lookup_many(c, &key_refs)?) {
            if let Some(r) = stored {
                out[i] = Some(Outcome::Done(r));
            }
        }
        // Staff vouch for a deputy by id: it must exist.
        for (i, a) in inputs.iter().enumerate() {
            if out[i].is_none() && a.staff_confirmed && crate::org::deputy_region_paths(c, a.deputy)?.is_none() {
                out[i] =
                    Some(Outcome::Done(Err(AppError::invalid_field("deputy_id", "unknown_deputy", "no such deputy"))));
            }
        }
        let todo: Vec<usize> = (0..inputs.len()).filter(|&i| out[i].is_none()).collect();
        let ids: Vec<i64> = todo.iter().map(|&i| inputs[i].deputy).collect();
        let latest: HashMap<i64, CheckinRow> =
            store::latest_of_many(c, &ids)?.into_iter().map(|r| (r.deputy_id, r)).collect();
        let mut inserts = vec![];
        for &i in &todo {
            let prev = latest.get(&inputs[i].deputy);
            let prev_pos = match (prev, inputs[i].pos) {
                (Some(l), Some(_)) => rules::open_position(&self.0, l.position_enc.as_deref())?,
                _ => None,
            };
            match step(&inputs[i], prev, prev_pos) {
                Err(e) => out[i] = Some(Outcome::Done(Err(e))),
                Ok(Step::Repeat(open)) => out[i] = Some(Outcome::Done(Answer::json(StatusCode::OK, &view(*open)))),
                Ok(Step::Insert { close, status, reasons, impossible_travel, closed_at }) => {
                    if let Some(open) = close {
                        let since = latest.get(&inputs[i].deputy).map(|l| l.checked_in_at).unwrap_or(inputs[i].at);
                        store::check_out(c, open, inputs[i].at.max(since), false)?;
                    }
                    inserts.push((i, status, reasons, impossible_travel, closed_at));
                }
            }
        }
        let rows: Vec<NewCheckin> =
            inserts.iter().map(|(i, s, r, t, closed)| new_row(&inputs[*i], s, r, *t, *closed)).collect();
        let new_ids: HashMap<i64, i64> = store::insert_many(c, &rows)?.into_iter().map(|(id, d)| (d, id)).collect();
        let mut events = vec![];
        let mut feed = vec![];
        let mut audits = vec![];
        for ((i, status, ..), row) in inserts.iter().zip(rows) {
            let a = &inputs[*i];
            let id = *new_ids
                .get(&a.deputy)
                .ok_or_else(|| AppError::internal("a bulk insert returned no id for a deputy"))?;
            if *status == "accepted" {
                let kind = if a.venue.event_id.is_some() { "event_checkin" } else { "station_reception" };
                events.push(PointEvent { deputy: a.deputy, kind, source: ("checkin", id), at: a.at });
                let d = CheckinAccepted {
                    checkin_id: id,
                    deputy_id: a.deputy,
                    station_id: a.venue.station_id,
                    event_id: a.venue.event_id,
                    offline: row.offline,
                    staff_confirmed: a.staff_confirmed,
                    checked_in_at: crate::db::utc(a.at),
                };
                feed.push(crate::feed::Event::checkin(&d, &a.venue.region_path, a.now));
            }
            if let Some(entry) = &a.audit {
                let mut e = entry.clone().detail(format!("status={status}"));
                e.record_id = Some(id.to_string());
                audits.push(e);
            }
            out[*i] = Some(Outcome::Done(Answer::json(StatusCode::CREATED, &view(row.into_row(id)))));
        }
        let now = inputs.first().map(|a| a.now).unwrap_or_default();
        crate::ledger::note_many(c, &events, now)?;
        crate::feed::emit(c, &feed)?;
        crate::audit::write_many(c, &audits.iter().collect::<Vec<_>>(), now)?;
        // Remember the successful answers of keyed requests with their changes.
        let remember: Vec<(&IdemKey, &Answer)> = inputs
            .iter()
            .zip(&out)
            .filter_map(|(a, o)| match (a.key.as_ref(), o) {
                (Some(k), Some(Outcome::Done(Ok(ans)))) if !ans.replayed => Some((k, ans)),
                _ => None,
            })
            .collect();
        idempotency::store_many(c, &remember, now)?;
        Ok(out.into_iter().map(|o| o.unwrap_or(Outcome::Alone)).collect())
    }
}
