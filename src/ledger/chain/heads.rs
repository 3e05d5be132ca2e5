//! The daily digest of every chain head, written to the log and the bus (and kept) so that a
//! rewrite of whole chains shows against copies kept outside the database.

use crate::db::{self, utc, AnyConnection};
use crate::error::AppResult;
use crate::ledger::store::published as store;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The digest over every chain head as of entry `upto`: SHA-256 over "deputy:entry:hash\n" lines
/// in deputy order, each deputy's last entry up to `upto`. Answers (heads, digest).
pub fn heads_digest(c: &mut AnyConnection, upto: i64) -> AppResult<(i64, String)> {
    let mut heads = store::heads_upto(c, upto)?;
    heads.sort();
    let mut h = Sha256::new();
    for (d, id, hash) in &heads {
        h.update(format!("{d}:{id}:{hash}\n").as_bytes());
    }
    Ok((heads.len() as i64, hex::encode(h.finalize())))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HeadPublication {
    pub day: String,
    pub heads: i64,
    /// The newest entry the digest covers.
    pub entries_upto: i64,
    pub digest: String,
    pub published_at: DateTime<Utc>,
    /// Whether the ledger still yields this digest (false: chains were rewritten).
    pub still_matches: Option<bool>,
}

/// Publishes today's digest of the chain heads (once a day; later calls the same day do
/// nothing). Returns it when published now.
pub async fn publish_heads(state: &AppState) -> AppResult<Option<HeadPublication>> {
    let day = state.clock.now().with_timezone(&state.settings.tz).format("%Y-%m-%d").to_string();
    let now = state.now();
    let published = db::tx(&state.db, move |c| {
        if store::heads_published_on(c, &day)? {
            return Ok(None);
        }
        let upto = crate::ledger::store::max_entry_id(c)?;
        let (heads, digest) = heads_digest(c, upto)?;
        store::insert_heads_publication(c, &day, heads, upto, &digest, now)?;
        Ok(Some(HeadPublication {
            day,
            heads,
            entries_upto: upto,
            digest,
            published_at: utc(now),
            still_matches: None,
        }))
    })
    .await?;
    if let Some(p) = &published {
        tracing::info!(target: "ledger_heads", day = %p.day, heads = p.heads, entries_upto = p.entries_upto, digest = %p.digest, "published the ledger's chain heads");
        if let Ok(msg) = serde_json::to_string(p) {
            let _ = state.cache.publish("ledger-heads", &msg).await;
        }
    }
    Ok(published)
}
