//! Exchange files for platforms that take files instead of webhooks: NDJSON — a header line,
//! one CloudEvent per line, and a trailer that signs the SHA-256 of every line before it with
//! the installation's Ed25519 key (the one in `/.well-known/jwks.json`, named by `kid`).

use crate::auth::KeySet;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::feed::routes::source;
use crate::feed::rules::render;
use crate::feed::store;
use crate::state::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use std::io::Write;

/// The format's name, in the header and in the signed statement.
const FORMAT: &str = "lvzhi-feed/1";

fn statement(sha: &str, n: usize) -> String {
    format!("{FORMAT}:{sha}:{n}")
}

/// Writes the events of `region` (a GB/T 2260 code; all when None) that occurred in
/// `[from, to)` to `out`; answers how many.
pub async fn export(
    state: &AppState,
    region: Option<String>,
    (from, to): (NaiveDateTime, NaiveDateTime),
    out: &mut impl Write,
) -> AppResult<usize> {
    crate::feed::sequencer::catch_up(state).await?;
    let (code, scope) = match region {
        None => (None, "/".to_string()),
        Some(code) => {
            let c2 = code.clone();
            let r = db::read(&state.db, move |c| crate::org::region_by_code(c, &c2)).await?;
            (Some(code), r.ok_or_else(AppError::not_found)?.path)
        }
    };
    let src = source(state);
    let mut sha = Sha256::new();
    let mut line = |bytes: Vec<u8>, sha: &mut Sha256| -> AppResult<()> {
        sha.update(&bytes);
        sha.update(b"\n");
        out.write_all(&bytes).and_then(|_| out.write_all(b"\n")).map_err(AppError::internal)
    };
    let header = serde_json::json!({
        "format": FORMAT, "source": src, "region": code, "region_path": scope,
        "from": db::utc(from), "to": db::utc(to),
    });
    line(header.to_string().into_bytes(), &mut sha)?;
    let src_json = render::quoted(&src);
    let (mut after, mut n) = (0i64, 0usize);
    loop {
        let s = scope.clone();
        let rows = db::read(&state.db, move |c| store::read_between(c, &s, (from, to), after, 5000)).await?;
        let Some(last) = rows.last().map(|r| r.0) else { break };
        for r in &rows {
            let mut bytes = Vec::with_capacity(r.4.len() + 400);
            render::event(&mut bytes, &src_json, r);
            line(bytes, &mut sha)?;
            n += 1;
        }
        after = last;
    }
    let digest = hex::encode(sha.finalize());
    let (kid, sig) = state.keys.sign(statement(&digest, n).as_bytes());
    let trailer = serde_json::json!({"signature": {
        "alg": "EdDSA", "kid": kid, "sha256": digest, "events": n, "value": URL_SAFE_NO_PAD.encode(sig),
    }});
    out.write_all(format!("{trailer}\n").as_bytes()).map_err(AppError::internal)?;
    Ok(n)
}

/// Checks an exchange file against this installation's keys: the digest of its lines, their
/// count, and the signature. Answers what it holds, or why it is rejected.
pub fn verify_file(keys: &KeySet, text: &str) -> Result<String, String> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let (content, trailer) = body.rsplit_once('\n').ok_or("not an exchange file: no trailer")?;
    let t: serde_json::Value = serde_json::from_str(trailer).map_err(|e| format!("unreadable trailer: {e}"))?;
    let s = &t["signature"];
    let (kid, digest, value) = (s["kid"].as_str(), s["sha256"].as_str(), s["value"].as_str());
    let (Some(kid), Some(digest), Some(value), Some(n)) = (kid, digest, value, s["events"].as_u64()) else {
        return Err("the trailer has no signature".into());
    };
    let mut sha = Sha256::new();
    let mut lines = 0usize;
    for l in content.split('\n') {
        sha.update(l.as_bytes());
        sha.update(b"\n");
        lines += 1;
    }
    if hex::encode(sha.finalize()) != digest {
        return Err("the content does not match the signed digest (changed, cut or reordered)".into());
    }
    if lines != n as usize + 1 {
        return Err(format!("{} events, {n} signed", lines.saturating_sub(1)));
    }
    let sig = URL_SAFE_NO_PAD.decode(value).map_err(|_| "the signature is not base64url".to_string())?;
    if !keys.verify_document(kid, statement(digest, n as usize).as_bytes(), &sig) {
        return Err(format!("the signature does not verify under key `{kid}`"));
    }
    Ok(format!("{n} events, signed by key {kid}, intact"))
}
