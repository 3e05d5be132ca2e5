//! A receiving platform for the feed's webhooks: records every delivery and answers the status
//! set for its hook; and a verifier that checks signatures as the Standard Webhooks
//! specification tells receivers to (written here from the specification, not from the server's
//! code).

use crate::helpers::*;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Delivery {
    pub hook: String,
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub content_type: String,
    pub body: Vec<u8>,
    /// The status the receiver answered.
    pub answered: u16,
}

impl Delivery {
    pub fn events(&self) -> Vec<Value> {
        serde_json::from_slice::<Vec<Value>>(&self.body).unwrap()
    }
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub base: String,
    got: Arc<Mutex<Vec<Delivery>>>,
    status: Arc<Mutex<HashMap<String, u16>>>,
}

impl Receiver {
    pub fn url(&self, hook: &str) -> String {
        format!("{}/hook/{hook}", self.base)
    }
    /// What `hook` answers from now on (200 by default).
    pub fn answer(&self, hook: &str, status: u16) {
        self.status.lock().unwrap().insert(hook.into(), status);
    }
    pub fn deliveries(&self, hook: &str) -> Vec<Delivery> {
        self.got.lock().unwrap().iter().filter(|d| d.hook == hook).cloned().collect()
    }
    /// The events `hook` took (answered 2xx), in the order received.
    pub fn taken(&self, hook: &str) -> Vec<Value> {
        self.deliveries(hook).iter().filter(|d| d.answered < 300).flat_map(|d| d.events()).collect()
    }
}

async fn hook(r: web::Data<Receiver>, req: HttpRequest, name: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let h = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let answered = r.status.lock().unwrap().get(name.as_str()).copied().unwrap_or(200);
    r.got.lock().unwrap().push(Delivery {
        hook: name.into_inner(),
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp").parse().unwrap_or(0),
        signature: h("webhook-signature"),
        content_type: h("content-type"),
        body: body.to_vec(),
        answered,
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).unwrap()).json(json!({}))
}

/// Starts a receiver on 127.0.0.1.
pub async fn start() -> Receiver {
    let mut r = Receiver::default();
    let data = web::Data::new(r.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).route("/hook/{name}", web::post().to(hook)))
        .workers(1)
        .bind(("127.0.0.1", 0))
        .unwrap();
    r.base = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    tokio::spawn(server.run());
    r
}

/// Whether a delivery is signed with `secret` (`whsec_…`) as the specification says: HMAC-SHA256
/// of `{id}.{timestamp}.{body}` under the base64-decoded secret, one of the space-separated
/// `v1,` signatures, and a timestamp within five minutes of `now`.
pub fn verify(secret: &str, d: &Delivery, now: i64) -> bool {
    if (now - d.timestamp).abs() > 300 {
        return false;
    }
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", d.id, d.timestamp).as_bytes());
    mac.update(&d.body);
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    d.signature.split(' ').any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}

/// Creates a client account in the region `code` with `scopes`; answers (id, access token).
pub async fn client(app: &TestApp, admin: &str, name: &str, code: &str, scopes: &[&str]) -> (i64, String) {
    let region = app.region_id(admin, code).await;
    let c = app
        .post(
            "/api/v1/accounts",
            admin,
            json!({"username": name, "role": "client", "display_name": name, "region_id": region, "scopes": scopes}),
        )
        .await;
    c.expect(201, "");
    let secret = c.body["client_secret"].as_str().unwrap().to_string();
    let form = [("grant_type", "client_credentials"), ("client_id", name), ("client_secret", secret.as_str())];
    let t = app.send(app.client.post(app.url("/api/v1/auth/token")).form(&form)).await;
    (c.body["id"].as_i64().unwrap(), t.expect(200, "").body["access_token"].as_str().unwrap().to_string())
}

/// Delivers everything due (drives the worker's round directly), two seconds on (a subscription
/// with nothing to send looks again a second later).
pub async fn deliver(app: &TestApp) -> usize {
    app.clock.advance(chrono::Duration::seconds(2));
    let http = lvzhi::feed::http_client(&app.state).unwrap();
    lvzhi::feed::deliver_due(&app.state, &http, 100).await.unwrap()
}

/// Delivers until `hook` has taken an event that `want` accepts (the app's own worker may be
/// delivering at the same time), for at most ten seconds.
pub async fn deliver_until(app: &TestApp, r: &Receiver, hook: &str, want: impl Fn(&Value) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !r.taken(hook).iter().any(&want) {
        assert!(std::time::Instant::now() < deadline, "{hook} never received the event");
        deliver(app).await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Every event a reader sees from the start (following the cursor to the end).
pub async fn pull_all(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (mut out, mut after) = (vec![], String::new());
    for _ in 0..100 {
        let p = app.get(&format!("/api/v1/feed?limit=1000{query}{after}"), token).await;
        p.expect(200, "");
        out.extend(p.body["items"].as_array().unwrap().iter().cloned());
        after = format!("&after={}", p.body["next_cursor"].as_str().unwrap());
        if p.body["caught_up"] == true {
            return out;
        }
    }
    panic!("the feed never caught up");
}
