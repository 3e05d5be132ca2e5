//! Writing stored events as CloudEvents JSON straight into the bytes of an answer: the
//! envelope's strings escaped by serde_json, each event's `data` copied as stored (it was
//! written by serde_json from a value, and is never parsed again on the way out). A pull page
//! of 1,000 events is one buffer, without an intermediate value per event.

use chrono::NaiveDateTime;

/// One stored event: (seq, type, subject, region path, data JSON, time).
pub type Stored = (i64, String, String, String, String, NaiveDateTime);

/// A JSON string literal (quoted and escaped).
pub fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Appends one event to `out`; `source` is already a JSON string literal (see [`quoted`]).
pub fn event(out: &mut Vec<u8>, source: &str, (seq, type_, subject, region, data, at): &Stored) {
    let time = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(*at, chrono::Utc);
    let seq = seq.to_string();
    out.extend_from_slice(b"{\"specversion\":\"1.0\",\"id\":\"");
    out.extend_from_slice(seq.as_bytes());
    out.extend_from_slice(b"\",\"source\":");
    out.extend_from_slice(source.as_bytes());
    out.extend_from_slice(b",\"type\":");
    string(out, type_);
    out.extend_from_slice(b",\"subject\":");
    string(out, subject);
    out.extend_from_slice(b",\"time\":");
    string(out, &time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    out.extend_from_slice(b",\"datacontenttype\":\"application/json\",\"sequence\":\"");
    out.extend_from_slice(seq.as_bytes());
    out.extend_from_slice(b"\",\"region\":");
    string(out, region);
    out.extend_from_slice(b",\"data\":");
    out.extend_from_slice(if data.is_empty() { b"null" } else { data.as_bytes() });
    out.push(b'}');
}

/// Appends events as a JSON array.
pub fn array(out: &mut Vec<u8>, source: &str, rows: &[Stored]) {
    out.push(b'[');
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        event(out, source, r);
    }
    out.push(b']');
}

/// A pull page: `{"items": [...], "next_cursor": "...", "caught_up": bool}`.
pub fn page(source: &str, rows: &[Stored], next_cursor: &str, caught_up: bool) -> Vec<u8> {
    let size: usize = rows.iter().map(|r| r.4.len() + r.2.len() + r.3.len() + 240 + source.len()).sum();
    let mut out = Vec::with_capacity(size + next_cursor.len() + 64);
    out.extend_from_slice(b"{\"items\":");
    array(&mut out, source, rows);
    out.extend_from_slice(b",\"next_cursor\":");
    string(&mut out, next_cursor);
    out.extend_from_slice(b",\"caught_up\":");
    out.extend_from_slice(if caught_up { b"true" } else { b"false" });
    out.push(b'}');
    out
}

fn string(out: &mut Vec<u8>, s: &str) {
    // Writing a &str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}
