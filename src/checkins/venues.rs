//! What a check-in needs to know about its place — position, radius, region, QR secret — kept in
//! memory for a few seconds so the hot path does not read it for every deputy. Rotating a secret
//! drops the entry here at once and, over the cache bus, on every other instance; a station moved
//! by an admin is seen within [`TTL`].

use super::qr::Place;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long a place's facts are reused without reading them again.
pub const TTL: Duration = Duration::from_secs(10);
/// Bus channel carrying "station:ID" / "event:ID" of places whose secret changed.
pub const CHANNEL: &str = "venue-invalidate";

/// The venue of a check-in: its QR place, position (WGS-84), radius, region path and secret.
#[derive(Debug)]
pub struct Venue {
    pub place: Place,
    pub pos: (f64, f64),
    pub radius_m: f64,
    pub region_path: String,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    pub secret: Option<Vec<u8>>,
}

#[derive(Clone)]
pub struct VenueCache(moka::sync::Cache<Place, Arc<Venue>>);

impl Default for VenueCache {
    fn default() -> Self {
        VenueCache(moka::sync::Cache::builder().max_capacity(100_000).time_to_live(TTL).build())
    }
}

fn load(c: &mut AnyConnection, place: Place) -> AppResult<Option<Venue>> {
    let v = match place {
        Place::Station(id) => crate::org::station_geo(c, id)?.map(|s| Venue {
            place,
            pos: (s.latitude, s.longitude),
            radius_m: s.radius_m as f64,
            region_path: s.region_path,
            station_id: Some(id),
            event_id: None,
            secret: None,
        }),
        Place::Event(id) => super::venues::venue(c, id)?.map(|e| Venue {
            place,
            pos: e.pos,
            radius_m: e.radius_m,
            region_path: e.region_path,
            station_id: e.station_id,
            event_id: Some(id),
            secret: None,
        }),
    };
    let Some(mut v) = v else { return Ok(None) };
    v.secret = super::places::existing_secret(c, place)?;
    Ok(Some(v))
}

/// The place's facts, from memory when fresh. A place without a secret yet is not kept (its
/// first QR request creates one, which must be seen at once).
pub async fn get(state: &AppState, place: Place) -> AppResult<Option<Arc<Venue>>> {
    if let Some(v) = state.venues.0.get(&place) {
        return Ok(Some(v));
    }
    let Some(v) = db::run(&state.db, move |c| load(c, place)).await? else { return Ok(None) };
    let v = Arc::new(v);
    if v.secret.is_some() {
        state.venues.0.insert(place, v.clone());
    }
    Ok(Some(v))
}

fn label(place: Place) -> String {
    match place {
        Place::Station(id) => format!("station:{id}"),
        Place::Event(id) => format!("event:{id}"),
    }
}

fn parse(s: &str) -> Option<Place> {
    let (kind, id) = s.split_once(':')?;
    let id = id.parse().ok()?;
    match kind {
        "station" => Some(Place::Station(id)),
        "event" => Some(Place::Event(id)),
        _ => None,
    }
}

/// Forgets the place here and tells the other instances to forget it (after its secret changed).
pub async fn invalidate(state: &AppState, place: Place) {
    state.venues.0.invalidate(&place);
    if let Err(e) = state.cache.publish(CHANNEL, &label(place)).await {
        tracing::warn!(error = %e, "could not announce a rotated QR secret; other instances see it within the cache TTL");
    }
}

/// Applies other instances' invalidations until `stop`.
pub async fn follow(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut rx = match state.cache.subscribe(CHANNEL).await {
        Ok(rx) => rx,
        Err(e) => {
            tracing::warn!(error = %e, "cannot follow QR secret rotations; relying on the cache TTL");
            return;
        }
    };
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            msg = rx.recv() => match msg {
                Some(m) => {
                    if let Some(p) = parse(&m) {
                        state.venues.0.invalidate(&p);
                    }
                }
                None => break,
            },
        }
    }
}

/// Where an event is: position (WGS-84), radius, region path, station.
pub struct EventVenue {
    pub pos: (f64, f64),
    pub radius_m: f64,
    pub region_path: String,
    pub station_id: Option<i64>,
}

pub fn venue(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EventVenue>> {
    Ok(super::store::meetings::venue(conn, id)?.map(|(lat, lng, rad, region_path, station_id)| EventVenue {
        pos: (lat, lng),
        radius_m: rad as f64,
        region_path,
        station_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for p in [Place::Station(7), Place::Event(12)] {
            assert_eq!(parse(&label(p)), Some(p));
        }
        assert_eq!(parse("station:x"), None);
        assert_eq!(parse("desk:1"), None);
    }
}
