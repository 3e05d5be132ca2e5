//! Builds the application: state (pool, migrations, cache, keys), the HTTP server and the
//! background workers; runs until SIGINT/SIGTERM, then lets in-flight requests finish and stops
//! the workers at a safe point.

use crate::auth::KeySet;
use crate::config::Settings;
use crate::error::{json_error, path_error, query_error, AppError, Code};
use crate::ops::Metrics;
use crate::platform::{Cache, Clock};
use crate::state::AppState;
use crate::{auth, db, openapi, ops};
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use utoipa_swagger_ui::SwaggerUi;

pub struct Application {
    port: u16,
    server: Server,
    pub state: AppState,
    stop: watch::Sender<bool>,
    workers: Vec<JoinHandle<()>>,
    /// Registered at start, so a SIGTERM that comes right after start-up is not lost.
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

/// Connects to the database (migrating it) and the cache, loads keys: everything a server needs.
pub async fn build_state(settings: Settings, clock: Clock) -> Result<AppState, String> {
    let s = settings.clone();
    let pii = crate::platform::pii::Pii::load(&settings)?;
    let p = pii.clone();
    let pool = tokio::task::spawn_blocking(move || {
        let pool =
            db::build_pool_waiting(&s.database_url, s.db_pool_size, s.db_wait, s.db_cache_kib, Some(s.db_statement))?;
        let ran = db::migrate(&pool)?;
        if ran > 0 {
            tracing::info!(migrations = ran, "applied pending migrations");
        }
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        crate::ledger::ensure_default_rules(&mut conn, db::ts(chrono::Utc::now())).map_err(|e| e.to_string())?;
        let sealed = crate::ops::seal_legacy_pii(&mut conn, &p).map_err(|e| e.to_string())?;
        if sealed > 0 {
            tracing::info!(rows = sealed, "sealed personal data stored before sealing");
        }
        drop(conn);
        Ok::<_, String>(pool)
    })
    .await
    .map_err(|e| e.to_string())??;
    let cache = match &settings.redis_url {
        Some(url) => Cache::redis(url, &settings.redis_prefix).await.map_err(|e| format!("REDIS_URL: {e}"))?,
        None => Cache::memory(),
    };
    let keys = KeySet::load(&settings)?;
    let m = settings.argon2_m_cost_kib;
    let dummy = tokio::task::spawn_blocking(move || auth::dummy_password_hash(m)).await.map_err(|e| e.to_string())?;
    let views = crate::platform::views::Views::new(settings.view_cache_mib * 1_048_576);
    let db = db::Db::new(pool, &settings.database_url, settings.db_writers, Arc::new(views.clone()))
        .inline_reads(settings.db_inline_reads)
        .bounded(settings.db_wait + settings.db_statement);
    let push = crate::push::Providers::new(&settings.push)?;
    let files = crate::files::Storage::open(settings.storage_url.as_deref(), &settings.data_dir)?;
    let sms = crate::sms::Provider::new(settings.sms_http.clone(), settings.push.timeout, &settings.outbound_allow)?;
    let revocations = auth::Revocations::new(Duration::from_secs(settings.access_ttl_secs.max(0) as u64 + 60));
    Ok(AppState {
        views,
        checkin_writes: db::bulk::Bulk::new(crate::checkins::Checkins(pii.clone()), db.writer.clone()),
        push,
        files,
        sms,
        live: Default::default(),
        award_writes: db::bulk::Bulk::new(crate::ledger::DirectAwards, db.writer.clone()),
        opinion_writes: db::bulk::Bulk::new(crate::reception::Filings, db.writer.clone()),
        pii,
        db,
        cache,
        settings: Arc::new(settings),
        keys: Arc::new(keys),
        clock,
        metrics: Metrics::new().map_err(|e| e.to_string())?,
        dummy_hash: Arc::new(dummy),
        tokens: Default::default(),
        revocations,
        venues: Default::default(),
        ledger: Default::default(),
    })
}

/// Where the OpenAPI document is served.
const SPEC_PATH: &str = "/api-docs/openapi.json";

impl Application {
    pub async fn build(settings: Settings, clock: Clock) -> Result<Self, String> {
        Self::start(build_state(settings, clock).await?)
    }

    /// Binds `LVZHI_BIND` (port 0 picks a free port) and starts serving and the workers.
    pub fn start(state: AppState) -> Result<Self, String> {
        let bind = &state.settings.bind;
        let listener = TcpListener::bind(bind).map_err(|e| format!("LVZHI_BIND: cannot bind {bind}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let port = local.port();
        // The phone pages call the API of this very instance.
        let pages = web::Data::new(crate::pages::Pages::new(
            crate::pages::Api::new(local)?,
            state.settings.public_base_url.clone(),
        ));
        // The document is serialised once and shared by every worker (cloning the utoipa value
        // into each worker kept tens of MB per worker).
        let spec = web::Bytes::from(serde_json::to_vec(&openapi::spec()).map_err(|e| e.to_string())?);
        let data = web::Data::new(state.clone());
        let max_body = state.settings.max_body_bytes;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::JsonConfig::default().limit(max_body).error_handler(json_error))
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .app_data(web::FormConfig::default().limit(max_body).error_handler(|e, _| {
                    let code = match e {
                        actix_web::error::UrlencodedError::ContentType => {
                            return AppError::new(Code::UnsupportedMediaType, "send application/x-www-form-urlencoded")
                                .into()
                        }
                        actix_web::error::UrlencodedError::Overflow { .. } => {
                            return AppError::new(Code::PayloadTooLarge, "the form is too large").into()
                        }
                        other => other.to_string(),
                    };
                    AppError::bad_request(Code::InvalidRequest, code).into()
                }))
                .configure(openapi::serve)
                .app_data(pages.clone())
                .configure(crate::pages::register)
                .configure(crate::pages::register_desk)
                .wrap(from_fn(ops::observe))
                .service(ops::docs_redirect)
                .service(web::resource(SPEC_PATH).route(web::get().to({
                    let spec = spec.clone();
                    move || {
                        let spec = spec.clone();
                        async move { actix_web::HttpResponse::Ok().content_type("application/json").body(spec) }
                    }
                })))
                .service(SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::from(SPEC_PATH)))
                .default_service(web::to(ops::not_found))
        })
        .workers(state.settings.workers)
        // A client gets 5 s to send its request head (a slow or stalled one is answered 408 and
        // dropped, never held), 1 s to take its answer on close, and idle keep-alive ends at 15 s.
        .client_request_timeout(std::time::Duration::from_secs(5))
        .client_disconnect_timeout(std::time::Duration::from_secs(1))
        .keep_alive(std::time::Duration::from_secs(15))
        .disable_signals()
        .shutdown_timeout(30)
        .listen(listener)
        .map_err(|e| e.to_string())?
        .run();
        let (stop, rx) = watch::channel(false);
        let workers = vec![
            tokio::spawn(housekeeping(state.clone(), rx.clone())),
            tokio::spawn(crate::platform::cache::watch(state.cache.clone(), rx.clone())),
            tokio::spawn(crate::checkins::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::checkins::follow_venues(state.clone(), rx.clone())),
            tokio::spawn(crate::auth::follow_revocations(state.clone(), rx.clone())),
            tokio::spawn(crate::platform::views::follow(state.clone(), rx.clone())),
            tokio::spawn(crate::ledger::board_worker(state.clone(), rx.clone())),
            tokio::spawn(crate::notices::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::push::delivery_worker(state.clone(), rx.clone())),
            tokio::spawn(crate::sms::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::reception::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::suggestions::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::reports::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::projects::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::contacts::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::consultations::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::feed::worker(state.clone(), rx.clone())),
            tokio::spawn(crate::live::follow(state.clone(), rx.clone())),
            tokio::spawn(crate::live::recheck(state.clone(), state.settings.live_recheck, rx.clone())),
            tokio::spawn(crate::ledger::worker(state.clone(), rx)),
        ];
        #[cfg(unix)]
        let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        Ok(Application {
            port,
            server,
            state,
            stop,
            workers,
            #[cfg(unix)]
            term,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or until the server handle stops it), then shuts down gracefully.
    pub async fn run_until_stopped(mut self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let live = self.state.live.clone();
        #[cfg(unix)]
        let term = self.term.take();
        #[cfg(not(unix))]
        let term: Option<()> = None;
        let signals = tokio::spawn(async move {
            wait_for_signal(term).await;
            tracing::info!("shutdown requested: finishing in-flight requests");
            // Open event streams end now (clients reconnect elsewhere); the rest finish.
            live.close();
            handle.stop(true).await;
        });
        let result = self.server.await;
        signals.abort();
        let _ = self.stop.send(true);
        for w in self.workers {
            let _ = tokio::time::timeout(Duration::from_secs(30), w).await;
        }
        tracing::info!("stopped");
        result
    }
}

#[cfg(unix)]
async fn wait_for_signal(term: Option<tokio::signal::unix::Signal>) {
    match term {
        Some(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
        }
        None => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal(_: Option<()>) {
    let _ = tokio::signal::ctrl_c().await;
}

/// Background housekeeping: purges long-expired refresh tokens, old idempotency keys and live
/// events. Stops between runs.
async fn housekeeping(state: AppState, stop: watch::Receiver<bool>) {
    use crate::platform::jobs::report;
    crate::platform::jobs::every("housekeeping", Duration::from_secs(600), stop, || {
        let state = state.clone();
        async move {
            let (now, cutoff) = (state.now(), state.now() - chrono::Duration::days(1));
            report(
                "housekeeping",
                "purging expired refresh tokens",
                db::run(&state.db, move |c| auth::purge_expired_sessions(c, cutoff)).await,
            );
            report(
                "housekeeping",
                "forgetting old idempotency keys",
                db::tx(&state.db, move |c| crate::platform::idempotency::purge(c, now)).await,
            );
            report("housekeeping", "audit retention", crate::audit::retention(&state).await);
            let week_ago = now - chrono::Duration::days(7);
            report(
                "housekeeping",
                "forgetting week-old live events",
                db::tx(&state.db, move |c| crate::live::purge(c, week_ago)).await,
            );
        }
    })
    .await
}
