//! SQL of the places' QR secrets and kiosk keys (`qr_secrets`).

use crate::db::schema::qr_secrets as q;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn secret(conn: &mut AnyConnection, kind: &str, id: i64) -> AppResult<Option<(String, Option<String>)>> {
    Ok(q::table
        .filter(q::place_kind.eq(kind))
        .filter(q::place_id.eq(id))
        .select((q::secret, q::kiosk_key_hash))
        .first(conn)
        .optional()?)
}

/// Creates or replaces the secret (and optionally the kiosk key hash) of a place.
pub fn put_secret(
    conn: &mut AnyConnection,
    kind: &str,
    id: i64,
    secret: &str,
    kiosk: Option<Option<&str>>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let exists = self::secret(conn, kind, id)?;
    match exists {
        None => {
            diesel::insert_into(q::table)
                .values((
                    q::place_kind.eq(kind),
                    q::place_id.eq(id),
                    q::secret.eq(secret),
                    q::kiosk_key_hash.eq(kiosk.flatten()),
                    q::rotated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Some((_, old_kiosk)) => {
            let kiosk_hash = match kiosk {
                Some(k) => k.map(str::to_string),
                None => old_kiosk,
            };
            diesel::update(q::table.filter(q::place_kind.eq(kind)).filter(q::place_id.eq(id)))
                .set((q::secret.eq(secret), q::kiosk_key_hash.eq(kiosk_hash), q::rotated_at.eq(now)))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn set_kiosk_hash(conn: &mut AnyConnection, kind: &str, id: i64, hash: &str) -> AppResult<()> {
    diesel::update(q::table.filter(q::place_kind.eq(kind)).filter(q::place_id.eq(id)))
        .set(q::kiosk_key_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}
