//! A local push and SMS gateway for the demo and the load harness (`lvzhi fake-gateway`): it
//! checks the webhook signature when given the secret, counts what arrives, logs each push,
//! and answers 200. It stands in for a relay to APNs and the vendors' channels, and speaks the
//! batch dialects too: the webhook's batch mode (an array, answered one result per push),
//! JPush (`/v3/push`, many registration ids) and Huawei Push Kit (`/v1/{app}/messages:send`,
//! many tokens, with its OAuth token at `/oauth2/v3/token`); APNs (`/3/device/{token}`) and FCM
//! (`/v1/projects/{project}/messages:send`, its OAuth token at `/token`) over HTTP/2 (h2c: it
//! speaks HTTP/1.1 and HTTP/2 on one port).

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
    if body.first() == Some(&b'[') {
        // The webhook's batch mode: every push sent.
        let pushes: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
        cfg.received.fetch_add(pushes.len() as u64, Ordering::Relaxed);
        let results: Vec<_> =
            pushes.iter().map(|p| serde_json::json!({"dedup_id": p["dedup_id"], "status": 200})).collect();
        return HttpResponse::Ok().json(serde_json::json!({"results": results}));
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

/// JPush: every registration id of the push sent.
async fn jpush(cfg: web::Data<Config>, body: web::Bytes) -> HttpResponse {
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let n = v["audience"]["registration_id"].as_array().map_or(0, Vec::len);
    cfg.received.fetch_add(n as u64, Ordering::Relaxed);
    HttpResponse::Ok().json(serde_json::json!({"sendno": "0", "msg_id": "1"}))
}

/// Huawei Push Kit: every token of the message sent.
async fn huawei(cfg: web::Data<Config>, body: web::Bytes) -> HttpResponse {
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let n = v["message"]["token"].as_array().map_or(0, Vec::len);
    cfg.received.fetch_add(n as u64, Ordering::Relaxed);
    HttpResponse::Ok().json(serde_json::json!({"code": "80000000", "msg": "Success", "requestId": "1"}))
}

/// APNs and FCM: one push a request, sent. (The body is read: on HTTP/2 a body left unread
/// keeps the connection's flow-control window, and the connection stalls and breaks.)
async fn one(cfg: web::Data<Config>, req: HttpRequest, _body: web::Bytes) -> HttpResponse {
    cfg.received.fetch_add(1, Ordering::Relaxed);
    match req.headers().get("apns-id") {
        Some(id) => HttpResponse::Ok().insert_header(("apns-id", id.clone())).finish(),
        None => HttpResponse::Ok().json(serde_json::json!({"name": "projects/bench/messages/1"})),
    }
}

async fn oauth() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"access_token": "fake", "expires_in": 3600, "token_type": "Bearer"}))
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
        App::new()
            .app_data(cfg.clone())
            .route("/push", web::post().to(push))
            .route("/sms", web::post().to(push))
            .route("/v3/push", web::post().to(jpush))
            .route("/v1/{app}/messages:send", web::post().to(huawei))
            .route("/oauth2/v3/token", web::post().to(oauth))
            .route("/3/device/{token}", web::post().to(one))
            .route("/v1/projects/{project}/messages:send", web::post().to(one))
            .route("/token", web::post().to(oauth))
    })
    .tcp_nodelay(true)
    .workers(workers)
    .disable_signals()
    .listen_auto_h2c(std::net::TcpListener::bind(bind).map_err(|e| format!("{bind}: {e}"))?)
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
