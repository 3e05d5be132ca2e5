//! The secrets behind rotating QR tokens (one per station or event) and the kiosk credentials of
//! stations. Secrets are created on first use; rotating one kills every token issued before.

use super::qr::{self, Place};
use super::store;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use rand::RngCore;
use sha2::{Digest, Sha256};

fn kind(p: Place) -> (&'static str, i64) {
    match p {
        Place::Station(id) => ("station", id),
        Place::Event(id) => ("event", id),
    }
}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The place's secret, created when it has none yet.
pub fn secret(conn: &mut AnyConnection, p: Place, now: NaiveDateTime) -> AppResult<Vec<u8>> {
    let (k, id) = kind(p);
    if let Some((s, _)) = store::secrets::secret(conn, k, id)? {
        return Ok(s.into_bytes());
    }
    let s = random_hex(32);
    store::secrets::put_secret(conn, k, id, &s, None, now)?;
    Ok(s.into_bytes())
}

/// The secret if the place has one (verification never creates one).
pub fn existing_secret(conn: &mut AnyConnection, p: Place) -> AppResult<Option<Vec<u8>>> {
    let (k, id) = kind(p);
    Ok(store::secrets::secret(conn, k, id)?.map(|(s, _)| s.into_bytes()))
}

pub fn rotate(conn: &mut AnyConnection, p: Place, now: NaiveDateTime) -> AppResult<()> {
    let (k, id) = kind(p);
    store::secrets::put_secret(conn, k, id, &random_hex(32), None, now)
}

/// Issues a new kiosk key for a station (the old one stops working) and returns it.
pub fn new_kiosk_key(conn: &mut AnyConnection, station_id: i64, now: NaiveDateTime) -> AppResult<String> {
    secret(conn, Place::Station(station_id), now)?;
    let key = format!("k{}", &random_hex(16));
    store::secrets::set_kiosk_hash(conn, "station", station_id, &hash_key(&key))?;
    Ok(key)
}

/// Checks a kiosk key; a wrong or missing key answers 404 like a missing station.
pub fn check_kiosk_key(conn: &mut AnyConnection, station_id: i64, key: &str) -> AppResult<()> {
    let stored =
        store::secrets::secret(conn, "station", station_id)?.and_then(|(_, h)| h).ok_or_else(AppError::not_found)?;
    let given = hash_key(key);
    let same = stored.len() == given.len() && stored.bytes().zip(given.bytes()).fold(0u8, |a, (x, y)| a | (x ^ y)) == 0;
    if same {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// The current token for a place, its expiry and its QR code as SVG.
pub fn current(
    conn: &mut AnyConnection,
    p: Place,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(String, i64, String)> {
    let s = secret(conn, p, crate::db::ts(now))?;
    let (token, expires) = qr::issue(&s, p, now.timestamp());
    Ok((token.clone(), expires, svg(&token)))
}

pub fn svg(data: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}
