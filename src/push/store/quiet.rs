//! All SQL of deputies' own quiet hours.

use crate::db::schema::push_settings as ps;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A deputy's own quiet hours: None (the row is absent) = the default; Some(None) = none at all.
pub type OwnQuiet = Option<Option<(chrono::NaiveTime, chrono::NaiveTime)>>;

fn hm(s: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// The deputies among these who chose their own quiet hours (or none).
pub fn own_quiet_hours(
    c: &mut AnyConnection,
    deputies: &[i64],
) -> AppResult<std::collections::HashMap<i64, Option<(chrono::NaiveTime, chrono::NaiveTime)>>> {
    let mut out = std::collections::HashMap::new();
    for chunk in deputies.chunks(5000) {
        let rows: Vec<(i64, Option<String>, Option<String>)> = ps::table
            .filter(ps::deputy_id.eq_any(chunk))
            .select((ps::deputy_id, ps::quiet_from, ps::quiet_to))
            .load(c)?;
        for (d, f, t) in rows {
            out.insert(d, f.as_deref().and_then(hm).zip(t.as_deref().and_then(hm)));
        }
    }
    Ok(out)
}

pub fn quiet_hours_of(c: &mut AnyConnection, deputy: i64) -> AppResult<OwnQuiet> {
    Ok(own_quiet_hours(c, &[deputy])?.remove(&deputy).map(Some).unwrap_or(None))
}

/// Sets a deputy's quiet hours (`None`: none at all).
pub fn set_quiet_hours(
    c: &mut AnyConnection,
    deputy: i64,
    q: Option<(&str, &str)>,
    at: NaiveDateTime,
) -> AppResult<()> {
    use diesel::upsert::excluded;
    let (f, t) = (q.map(|x| x.0.to_string()), q.map(|x| x.1.to_string()));
    let values = (ps::deputy_id.eq(deputy), ps::quiet_from.eq(f), ps::quiet_to.eq(t), ps::updated_at.eq(at));
    crate::per_backend!(&mut *c, |x| diesel::insert_into(ps::table)
        .values(values)
        .on_conflict(ps::deputy_id)
        .do_update()
        .set((
            ps::quiet_from.eq(excluded(ps::quiet_from)),
            ps::quiet_to.eq(excluded(ps::quiet_to)),
            ps::updated_at.eq(excluded(ps::updated_at))
        ))
        .execute(x))?;
    Ok(())
}

/// Back to the installation's default quiet hours.
pub fn clear_quiet_hours(c: &mut AnyConnection, deputy: i64) -> AppResult<()> {
    diesel::delete(ps::table.find(deputy)).execute(c)?;
    Ok(())
}
