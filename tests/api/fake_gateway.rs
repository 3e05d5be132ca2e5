//! A local push gateway that records what it receives and answers by the device token:
//! `ok-*` 200, `gone-*` 410, `fail-*` 403, `flaky-*` 500 the first time then 200,
//! `busy-*` 429 with `Retry-After: 120` the first time then 200.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Received {
    pub dedup_id: String,
    pub signature: String,
    pub body: serde_json::Value,
    pub raw: Vec<u8>,
}

#[derive(Clone, Default)]
pub struct Gateway {
    pub received: Arc<Mutex<Vec<Received>>>,
    seen: Arc<Mutex<HashMap<String, usize>>>,
}

impl Gateway {
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
    pub fn for_token(&self, token: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.body["token"] == token).collect()
    }
}

async fn push(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let token = v["token"].as_str().unwrap_or("").to_string();
    g.received.lock().unwrap().push(Received { dedup_id: header("x-lvzhi-dedup-id"), signature: header("x-lvzhi-signature"), body: v, raw: body.to_vec() });
    let n = {
        let mut seen = g.seen.lock().unwrap();
        let k = seen.entry(token.clone()).or_default();
        *k += 1;
        *k
    };
    match token.split('-').next().unwrap_or("") {
        "gone" => HttpResponse::Gone().body("Unregistered"),
        "fail" => HttpResponse::Forbidden().body("not allowed"),
        "flaky" if n == 1 => HttpResponse::InternalServerError().body("oops"),
        "busy" if n == 1 => HttpResponse::TooManyRequests().insert_header(("Retry-After", "120")).finish(),
        _ => HttpResponse::Ok().json(serde_json::json!({"ok": true})),
    }
}

/// Starts the gateway on a free port; answers its push URL.
pub async fn start() -> (Gateway, String) {
    let g = Gateway::default();
    let data = web::Data::new(g.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).route("/push", web::post().to(push))).workers(1).bind("127.0.0.1:0").unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (g, format!("http://127.0.0.1:{port}/push"))
}
