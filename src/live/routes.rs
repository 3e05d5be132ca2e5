//! `GET /api/v1/me/events`: the caller's live events as Server-Sent Events.

use super::{store, Wake};
use crate::auth::Revocations;
use crate::auth::{Principal, Role};
use crate::db::{self, Db};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::platform::route_table::RouteTable;
use crate::platform::Clock;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use bytes::Bytes;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// A comment line every so often keeps proxies and NAT from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);
const PAGE: i64 = 100;

struct Stream {
    db: Db,
    account: i64,
    deputy: Option<i64>,
    /// The session the stream was opened in, and when its access token expires: the stream ends
    /// at logout (or a revoked session) and at expiry; the app reconnects with a fresh token.
    sid: Option<String>,
    ends: broadcast::Receiver<String>,
    revocations: Revocations,
    expires: chrono::DateTime<chrono::Utc>,
    clock: Clock,
    last: i64,
    wakes: broadcast::Receiver<Wake>,
    /// Look again for events (after a gap in the bus, or when the database holds unheard ones).
    rechecks: watch::Receiver<u64>,
    closing: watch::Receiver<bool>,
    queue: VecDeque<Bytes>,
    /// Ask the database before waiting (at start, and after a full page).
    catch_up: bool,
}

fn frame(id: i64, kind: &str, data: &str) -> Bytes {
    Bytes::from(format!("id: {id}\nevent: {kind}\ndata: {data}\n\n"))
}

impl Stream {
    async fn fill(&mut self) -> Result<(), actix_web::Error> {
        let (account, deputy, after) = (self.account, self.deputy, self.last);
        let rows = db::run(&self.db, move |c| store::since(c, account, deputy, after, PAGE))
            .await
            .map_err(actix_web::Error::from)?;
        self.catch_up = rows.len() as i64 == PAGE;
        for (id, kind, data) in rows {
            self.last = id;
            self.queue.push_back(frame(id, &kind, &data));
        }
        Ok(())
    }

    /// Whether the stream's session ended or its token expired.
    fn over(&self) -> bool {
        self.clock.now() >= self.expires || self.sid.as_deref().is_some_and(|s| self.revocations.ended(s))
    }

    async fn next(mut self) -> Option<(Result<Bytes, actix_web::Error>, Self)> {
        loop {
            if self.over() {
                return None;
            }
            if let Some(b) = self.queue.pop_front() {
                return Some((Ok(b), self));
            }
            if self.catch_up {
                if let Err(e) = self.fill().await {
                    return Some((Err(e), self));
                }
                continue;
            }
            let left = (self.expires - self.clock.now()).to_std().unwrap_or_default();
            tokio::select! {
                _ = self.closing.changed() => return None,
                changed = self.rechecks.changed() => match changed {
                    Ok(()) => self.catch_up = true,
                    Err(_) => return None,
                },
                end = self.ends.recv() => match end {
                    Ok(sid) if self.sid.as_deref() == Some(sid.as_str()) => return None,
                    // Checked at the top of the loop.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = tokio::time::sleep(left), if left < KEEP_ALIVE => return None,
                w = self.wakes.recv() => match w {
                    Ok(w) if w.id > self.last && w.concerns(self.account, self.deputy) => self.catch_up = true,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => self.catch_up = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = tokio::time::sleep(KEEP_ALIVE) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), self)),
            }
        }
    }
}

/// My live events as Server-Sent Events (`text/event-stream`). Deputies: `notice` (published
/// to me), `notice_retracted`, `notice_reminder`, `leave_decided`, `opinion_assigned`,
/// `appointment`; constituents: `opinion_status` and `opinion_message` for their cases and those
/// they follow, `appointment`. Each has a JSON `data` line and an `id`. Reconnect with
/// `Last-Event-ID` to get what was missed (events are kept 7 days). The stream ends when the
/// session ends (logout) and when the access token expires: reconnect with a fresh one.
#[utoipa::path(tag = "live", params(("Last-Event-ID" = Option<i64>, Header, description = "the last event id received")),
    responses((status = 200, description = "the event stream", content_type = "text/event-stream", body = String), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/events")]
pub async fn events(state: web::Data<AppState>, p: Principal, req: HttpRequest) -> AppResult<HttpResponse> {
    if !matches!(p.role, Role::Deputy | Role::Constituent) {
        return Err(AppError::forbidden(Code::Forbidden, "the live stream is for deputies and constituents"));
    }
    let (account, deputy) = (p.account_id, p.deputy_id);
    let given =
        match req.headers().get("last-event-id").map(|v| v.to_str().ok().and_then(|s| s.trim().parse::<i64>().ok())) {
            None => None,
            Some(Some(id)) if id >= 0 => Some(id),
            Some(_) => {
                return Err(AppError::bad_request(Code::InvalidLastEventId, "Last-Event-ID must be an event id"))
            }
        };
    // Subscribe before reading the start, so nothing falls between.
    let wakes = state.live.subscribe();
    let last = match given {
        Some(id) => id,
        None => db::run(&state.db, store::latest).await?,
    };
    let s = Stream {
        db: state.db.clone(),
        account,
        deputy,
        sid: p.sid.clone(),
        ends: state.revocations.listen(),
        revocations: state.revocations.clone(),
        expires: chrono::DateTime::from_timestamp(p.expires_at, 0).unwrap_or_default(),
        clock: state.clock.clone(),
        last,
        wakes,
        rechecks: state.live.rechecks(),
        closing: state.live.closing(),
        queue: VecDeque::from([Bytes::from_static(b"retry: 3000\n\n")]),
        catch_up: given.is_some(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(futures_util::stream::unfold(s, Stream::next)))
}

/// Registers the live routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(events);
}
