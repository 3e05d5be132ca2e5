//! Filing opinions in bulk: submissions arriving together (a reception day, a campaign) are
//! written by one transaction with a statement per step — constituents, stations and who is on
//! duty looked up for all, ticket numbers drawn at once, one multi-row INSERT of opinions, of
//! their first events, of the news for the deputies, of the idempotency keys — instead of a dozen
//! round trips each (see [`crate::db::bulk`]). Each submission's own error (an unknown code)
//! answers only that submission.

use crate::db::bulk::{Bulk, BulkWrite, Outcome};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use crate::platform::idempotency::{self, Answer, IdemKey};
use crate::reception::cases::routes::opinions::OpinionCreate;
use crate::reception::model::view;
use crate::reception::store::opinions::{self as store, NewOpinion};
use actix_web::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One submission, checked and rate-limited, waiting to be filed.
pub struct Filing {
    pub account: i64,
    pub key: Option<IdemKey>,
    pub body: OpinionCreate,
    pub photos: String,
    pub now: NaiveDateTime,
    pub day: NaiveDate,
}

/// The bulk kind for opinions.
pub struct Filings;

/// This instance's queue of opinions to file.
pub type Writes = Bulk<Filings>;

fn unknown(field: &str) -> AppError {
    AppError::invalid_field(field, "unknown_code", "no station or deputy has this code")
}

/// Where an opinion left with a deputy goes: (deputy, region path).
fn deputy_place(c: &mut AnyConnection, code: &str) -> AppResult<(i64, String)> {
    let (id, ..) = crate::org::public_deputy(c, code)?.ok_or_else(|| unknown("deputy_code"))?;
    let path = crate::org::deputy_region_paths(c, id)?
        .and_then(|p| p.into_iter().next())
        .ok_or_else(|| unknown("deputy_code"))?;
    Ok((id, path))
}

/// (station, deputy, region path) of each submission, or its error.
type Place = AppResult<(Option<i64>, Option<i64>, String)>;

fn places(c: &mut AnyConnection, inputs: &[&Filing]) -> AppResult<Vec<Place>> {
    let codes: Vec<&str> = inputs.iter().filter_map(|f| f.body.station_code.as_deref()).collect();
    let stations: HashMap<String, (i64, String)> =
        crate::org::station_places_by_codes(c, &codes)?.into_iter().map(|(code, id, p)| (code, (id, p))).collect();
    let ids: Vec<i64> = stations.values().map(|s| s.0).collect();
    let now = inputs.first().map(|f| f.now).unwrap_or_default();
    // Left at a station: the deputy on duty there now, or next, receives it (staff may hand it
    // to another).
    let on_duty = crate::checkins::on_duty_many(c, &ids, now)?;
    inputs
        .iter()
        .map(|f| match (f.body.station_code.as_deref(), f.body.deputy_code.as_deref()) {
            (Some(code), None) => Ok(match stations.get(code) {
                Some((id, path)) => Ok((Some(*id), on_duty.get(id).copied(), path.clone())),
                None => Err(unknown("station_code")),
            }),
            (None, Some(code)) => match deputy_place(c, code) {
                Ok((id, path)) => Ok(Ok((None, Some(id), path))),
                Err(e) if e.status.is_client_error() => Ok(Err(e)),
                Err(e) => Err(e),
            },
            _ => Ok(Err(AppError::invalid_field(
                "station_code",
                "exclusive",
                "give station_code or deputy_code, one of them",
            ))),
        })
        .collect()
}

impl BulkWrite for Filings {
    type Input = Arc<Filing>;
    type Output = (Answer, Option<Wake>);

    fn many(&self, c: &mut AnyConnection, inputs: &[Arc<Filing>]) -> AppResult<Vec<Outcome<Self::Output>>> {
        let mut out: Vec<Option<Outcome<Self::Output>>> = inputs.iter().map(|_| None).collect();
        // One request per key in a bulk: a racing retry runs alone afterwards, and finds the key.
        let mut keys = HashSet::new();
        for (i, f) in inputs.iter().enumerate() {
            if f.key.as_ref().is_some_and(|k| !keys.insert((k.account, k.key.clone()))) {
                out[i] = Some(Outcome::Alone);
            }
        }
        let keyed: Vec<usize> = (0..inputs.len()).filter(|&i| out[i].is_none() && inputs[i].key.is_some()).collect();
        let key_refs: Vec<&IdemKey> = keyed.iter().filter_map(|&i| inputs[i].key.as_ref()).collect();
        for (&i, stored) in keyed.iter().zip(idempotency::lookup_many(c, &key_refs)?) {
            if let Some(r) = stored {
                out[i] = Some(Outcome::Done(r.map(|a| (a, None))));
            }
        }
        let accounts: Vec<i64> = inputs.iter().map(|f| f.account).collect();
        let people: HashMap<i64, i64> = store::constituents_of(c, &accounts)?.into_iter().collect();
        let todo: Vec<usize> = (0..inputs.len()).filter(|&i| out[i].is_none()).collect();
        let filings: Vec<&Filing> = todo.iter().map(|&i| inputs[i].as_ref()).collect();
        let photo_ids: Vec<i64> = filings.iter().flat_map(|f| f.body.photo_ids.iter().copied()).collect();
        let free = crate::reception::store::media::free_photos(c, &photo_ids)?;
        let mut rows = vec![];
        for (&i, place) in todo.iter().zip(places(c, &filings)?) {
            let f = &inputs[i];
            if f.body.photo_ids.iter().any(|id| free.get(id) != Some(&f.account)) {
                out[i] = Some(Outcome::Done(Err(AppError::invalid_field(
                    "photo_ids",
                    "unknown_photo",
                    "a photo id that is not one of your uploads waiting to be attached",
                ))));
                continue;
            }
            match (people.get(&f.account), place) {
                (None, _) => {
                    out[i] = Some(Outcome::Done(Err(AppError::forbidden(
                        Code::Forbidden,
                        "no constituent behind this account",
                    ))))
                }
                (_, Err(e)) => out[i] = Some(Outcome::Done(Err(e))),
                (Some(&me), Ok(p)) => rows.push((i, me, p)),
            }
        }
        // Ticket numbers, per calendar day (a bulk may straddle midnight).
        let mut days: Vec<NaiveDate> = rows.iter().map(|r| inputs[r.0].day).collect();
        days.sort_unstable();
        days.dedup();
        let mut tickets: HashMap<usize, String> = HashMap::new();
        for day in days {
            let mine: Vec<usize> = rows.iter().filter(|r| inputs[r.0].day == day).map(|r| r.0).collect();
            let seqs = store::next_seqs(c, &day.format("%Y%m%d").to_string(), mine.len() as i64)?;
            tickets
                .extend(mine.into_iter().zip(seqs).map(|(i, s)| (i, crate::reception::cases::rules::ticket(day, s))));
        }
        let now = inputs.first().map(|f| f.now).unwrap_or_default();
        let news: Vec<(usize, String, NewOpinion)> = rows
            .iter()
            .map(|(i, me, (station, deputy, path))| {
                let b = &inputs[*i].body;
                let new = NewOpinion {
                    constituent: Some(*me),
                    station: *station,
                    deputy: *deputy,
                    region_path: path,
                    category: &b.category,
                    title: b.title.trim(),
                    content: &b.content,
                    position: (b.latitude, b.longitude),
                    photos: &inputs[*i].photos,
                    suggestion: None,
                };
                (*i, tickets.get(i).cloned().unwrap_or_default(), new)
            })
            .collect();
        let index: HashMap<String, usize> = news.iter().map(|(i, t, _)| (t.clone(), *i)).collect();
        let at = |t: &str| {
            index.get(t).copied().ok_or_else(|| AppError::internal("a bulk insert returned an unknown ticket"))
        };
        let stored = store::insert_many(c, &news.into_iter().map(|(_, t, n)| (t, n)).collect::<Vec<_>>(), now)?;
        let firsts =
            stored.iter().map(|o| Ok((o.id, inputs[at(&o.ticket)?].account))).collect::<AppResult<Vec<_>>>()?;
        store::submitted_many(c, &firsts, now)?;
        let photos = stored
            .iter()
            .map(|o| Ok((o.id, inputs[at(&o.ticket)?].body.photo_ids.clone())))
            .collect::<AppResult<Vec<_>>>()?;
        crate::reception::store::media::attach_photos(c, &photos)?;
        let mut assigned: Vec<(usize, i64, &str, String)> = vec![];
        for o in &stored {
            if let Some(d) = o.deputy_id {
                assigned.push((
                    at(&o.ticket)?,
                    d,
                    "opinion_assigned",
                    serde_json::json!({"ticket": o.ticket}).to_string(),
                ));
            }
        }
        let wakes =
            crate::live::record_many(c, &assigned.iter().map(|a| (a.1, a.2, a.3.clone())).collect::<Vec<_>>(), now)?;
        let mut wake_of: HashMap<usize, Wake> = HashMap::new();
        for (a, w) in assigned.iter().zip(wakes) {
            wake_of.insert(a.0, w);
        }
        for o in stored {
            let i = at(&o.ticket)?;
            out[i] =
                Some(Outcome::Done(Answer::json(StatusCode::CREATED, &view(o, None)).map(|a| (a, wake_of.remove(&i)))));
        }
        let remember: Vec<(&IdemKey, &Answer)> = inputs
            .iter()
            .zip(&out)
            .filter_map(|(f, o)| match (f.key.as_ref(), o) {
                (Some(k), Some(Outcome::Done(Ok((a, _))))) if !a.replayed => Some((k, a)),
                _ => None,
            })
            .collect();
        idempotency::store_many(c, &remember, now)?;
        Ok(out.into_iter().map(|o| o.unwrap_or(Outcome::Alone)).collect())
    }
}
