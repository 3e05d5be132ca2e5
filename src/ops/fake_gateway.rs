//! A local push and SMS gateway for the demo and the load harness (`lvzhi fake-gateway`): it
//! checks the webhook signature when given the secret, counts what arrives, logs each push,
//! and answers 200. It stands in for a relay to APNs and the vendors' channels.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Clone)]
struct Config {
    secret: Option<String>,
    log: bool,
    received: Arc<AtomicU64>,
}

/// A running gateway: pushes received so far, and its port.
#[derive(Clone)]
pub struct Gateway {
    pub received: Arc<AtomicU64>,
    pub port: u16,
}

async fn push(cfg: web::Data<Config>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if let Some(secret) = &cfg.secret {
        let given = req
            .headers()
            .get("x-lvzhi-signature")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("sha256="))
            .and_then(|h| hex::decode(h).ok());
        let ok = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map(|mut m| {
            m.update(&body);
            given.is_some_and(|g| m.verify_slice(&g).is_ok())
        });
        if !matches!(ok, Ok(true)) {
            return HttpResponse::Unauthorized().json(serde_json::json!({"error": "bad signature"}));
        }
    }
    cfg.received.fetch_add(1, Ordering::Relaxed);
    if cfg.log {
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let dedup = req.headers().get("x-lvzhi-dedup-id").and_then(|v| v.to_str().ok()).unwrap_or("");
        println!(
            "{} {} → {} {}",
            req.path(),
            dedup,
            v["token"].as_str().or(v["phone"].as_str()).unwrap_or("?"),
            v["title"].as_str().or(v["body"].as_str()).unwrap_or("")
        );
    }
    HttpResponse::Ok().json(serde_json::json!({"ok": true}))
}

/// Binds `bind` (`/push` for pushes, `/sms` for texts); await the returned server to serve.
pub fn start(
    bind: &str,
    secret: Option<String>,
    log: bool,
    workers: usize,
) -> Result<(Gateway, actix_web::dev::Server), String> {
    let received = Arc::new(AtomicU64::new(0));
    let cfg = web::Data::new(Config { secret, log, received: received.clone() });
    let server = HttpServer::new(move || {
        App::new().app_data(cfg.clone()).route("/push", web::post().to(push)).route("/sms", web::post().to(push))
    })
    .workers(workers)
    .disable_signals()
    .bind(bind)
    .map_err(|e| format!("{bind}: {e}"))?;
    let port = server.addrs().first().map(|a| a.port()).unwrap_or(0);
    Ok((Gateway { received, port }, server.run()))
}

/// `lvzhi fake-gateway`: serves until stopped, logging what it receives.
pub fn serve_blocking(bind: &str, secret: Option<String>) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let (_, server) = start(bind, secret, true, 1)?;
        println!("fake gateway on http://{bind} (pushes: /push, texts: /sms)");
        server.await.map_err(|e| e.to_string())
    })
}
