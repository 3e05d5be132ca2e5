//! A local stand-in for every push provider and the SMS gateway. It records what it receives and
//! answers by the device token's prefix, in each provider's own dialect: `ok-*` accepted,
//! `gone-*` a dead token, `fail-*` refused, `flaky-*` 500 the first time, `busy-*` 429 with
//! `Retry-After: 120` the first time, `down-*` 500 always, `slow-*` answers after 3 s,
//! `garbled-*` 200 with a body that is not JSON, `lag-*` accepted after 20 ms (the most answered at
//! once is kept). It speaks HTTP/1.1 and HTTP/2 (h2c) and numbers its connections. Requests that
//! carry many pushes are answered in each provider's batch dialect ([`batch`]).

mod batch;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Received {
    /// webhook, apns, fcm, jpush, huawei or sms.
    pub provider: String,
    pub token: String,
    pub dedup_id: String,
    pub signature: String,
    pub auth: String,
    pub headers: HashMap<String, String>,
    pub body: Value,
    pub raw: Vec<u8>,
    /// The connection it came on (numbered as they are opened) and whether it spoke HTTP/2.
    pub conn: u64,
    pub http2: bool,
}

/// The number of a connection to the gateway.
#[derive(Clone, Copy)]
struct Conn(u64);

#[derive(Clone, Default)]
pub struct Gateway {
    pub received: Arc<Mutex<Vec<Received>>>,
    seen: Arc<Mutex<HashMap<String, usize>>>,
    /// OAuth token requests: (provider, form).
    pub token_requests: Arc<Mutex<Vec<(String, String)>>>,
    /// `lag-*` pushes being answered now, and the most there ever were at once.
    lagging: Arc<std::sync::atomic::AtomicUsize>,
    pub most_lagging: Arc<std::sync::atomic::AtomicUsize>,
}

impl Gateway {
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
    pub fn for_token(&self, token: &str) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.token == token).collect()
    }
}

enum Fate {
    Ok,
    Gone,
    Fail,
    Error,
    Busy,
    Garbled,
}

async fn fate(g: &Gateway, token: &str) -> Fate {
    let n = {
        let mut seen = g.seen.lock().unwrap();
        let k = seen.entry(token.to_string()).or_default();
        *k += 1;
        *k
    };
    match token.split('-').next().unwrap_or("") {
        "gone" => Fate::Gone,
        "fail" => Fate::Fail,
        "flaky" if n == 1 => Fate::Error,
        "busy" if n == 1 => Fate::Busy,
        "down" => Fate::Error,
        "garbled" => Fate::Garbled,
        "lag" => {
            use std::sync::atomic::Ordering::SeqCst;
            let now = g.lagging.fetch_add(1, SeqCst) + 1;
            g.most_lagging.fetch_max(now, SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            g.lagging.fetch_sub(1, SeqCst);
            Fate::Ok
        }
        "slow" => {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            Fate::Ok
        }
        _ => Fate::Ok,
    }
}

fn record(g: &Gateway, provider: &str, token: &str, dedup_id: &str, req: &HttpRequest, body: &[u8]) {
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let headers = req.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    g.received.lock().unwrap().push(Received {
        provider: provider.into(),
        token: token.into(),
        dedup_id: dedup_id.into(),
        signature: header("x-lvzhi-signature"),
        auth: header("authorization"),
        headers,
        body: serde_json::from_slice(body).unwrap_or_default(),
        raw: body.to_vec(),
        conn: req.conn_data::<Conn>().map_or(0, |c| c.0),
        http2: req.version() == actix_web::http::Version::HTTP_2,
    });
}

/// The common answers; `ok` and `gone` in the provider's dialect.
fn answer(f: Fate, ok: HttpResponse, gone: HttpResponse) -> HttpResponse {
    match f {
        Fate::Ok => ok,
        Fate::Gone => gone,
        Fate::Fail => HttpResponse::Forbidden().body("not allowed"),
        Fate::Error => HttpResponse::InternalServerError().body("oops"),
        Fate::Busy => HttpResponse::TooManyRequests().insert_header(("Retry-After", "120")).finish(),
        Fate::Garbled => HttpResponse::Ok().content_type("text/html").body("<html>gateway maintenance</html>"),
    }
}

async fn webhook(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    if let Some(pushes) = v.as_array() {
        return batch::webhook(&g, &req, &body, pushes).await;
    }
    let token = v["token"].as_str().unwrap_or("").to_string();
    let dedup = req.headers().get("x-lvzhi-dedup-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    record(&g, "webhook", &token, &dedup, &req, &body);
    answer(
        fate(&g, &token).await,
        HttpResponse::Ok().json(json!({"ok": true})),
        HttpResponse::Gone().body("Unregistered"),
    )
}

async fn sms(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    let phone = v["phone"].as_str().unwrap_or("").to_string();
    let dedup = v["dedup_id"].as_str().unwrap_or("").to_string();
    record(&g, "sms", &phone, &dedup, &req, &body);
    HttpResponse::Ok().json(json!({"ok": true}))
}

async fn apns(g: web::Data<Gateway>, req: HttpRequest, token: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let dedup = req.headers().get("apns-collapse-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    record(&g, "apns", &token, &dedup, &req, &body);
    let ok = HttpResponse::Ok()
        .insert_header(("apns-id", req.headers().get("apns-id").and_then(|v| v.to_str().ok()).unwrap_or("")))
        .finish();
    answer(
        fate(&g, &token).await,
        ok,
        HttpResponse::Gone().json(json!({"reason": "Unregistered", "timestamp": 1764000000000i64})),
    )
}

async fn oauth(g: web::Data<Gateway>, req: HttpRequest, form: web::Bytes) -> HttpResponse {
    let provider = if req.path().contains("oauth2") { "huawei" } else { "fcm" };
    g.token_requests.lock().unwrap().push((provider.into(), String::from_utf8_lossy(&form).into_owned()));
    HttpResponse::Ok()
        .json(json!({"access_token": format!("{provider}-access-1"), "expires_in": 3600, "token_type": "Bearer"}))
}

async fn fcm(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    let token = v["message"]["token"].as_str().unwrap_or("").to_string();
    let dedup = v["message"]["android"]["collapse_key"].as_str().unwrap_or("").to_string();
    record(&g, "fcm", &token, &dedup, &req, &body);
    if req.headers().get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer fcm-access-1") {
        return HttpResponse::Unauthorized().finish();
    }
    let gone = HttpResponse::NotFound()
        .json(json!({"error": {"code": 404, "status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}));
    answer(fate(&g, &token).await, HttpResponse::Ok().json(json!({"name": "projects/p/messages/1"})), gone)
}

async fn jpush(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    if batch::many(&v["audience"]["registration_id"]) {
        return batch::jpush(&g, &req, &body, &v).await;
    }
    let token = v["audience"]["registration_id"][0].as_str().unwrap_or("").to_string();
    let dedup = v["cid"].as_str().unwrap_or("").to_string();
    record(&g, "jpush", &token, &dedup, &req, &body);
    let gone = HttpResponse::BadRequest()
        .json(json!({"error": {"code": 1011, "message": "cannot find user by this audience"}}));
    answer(fate(&g, &token).await, HttpResponse::Ok().json(json!({"sendno": "0", "msg_id": "54043195"})), gone)
}

async fn huawei(g: web::Data<Gateway>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
    if batch::many(&v["message"]["token"]) {
        return batch::huawei(&g, &req, &body, &v).await;
    }
    let token = v["message"]["token"][0].as_str().unwrap_or("").to_string();
    let dedup = v["message"]["android"]["bi_tag"].as_str().unwrap_or("").to_string();
    record(&g, "huawei", &token, &dedup, &req, &body);
    let gone = HttpResponse::Ok().json(json!({"code": "80300007", "msg": "All the tokens are invalid"}));
    answer(
        fate(&g, &token).await,
        HttpResponse::Ok().json(json!({"code": "80000000", "msg": "Success", "requestId": "1"})),
        gone,
    )
}

/// Starts the gateway on a free port; answers its base URL (the webhook is `{base}/push`, the
/// SMS gateway `{base}/sms`; APNs, FCM, JPush and Huawei live at their own paths under it).
pub async fn start_all() -> (Gateway, String) {
    let g = Gateway::default();
    let data = web::Data::new(g.clone());
    let opened = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/push", web::post().to(webhook))
            .route("/sms", web::post().to(sms))
            .route("/3/device/{token}", web::post().to(apns))
            .route("/token", web::post().to(oauth))
            .route("/oauth2/v3/token", web::post().to(oauth))
            .route("/v1/projects/{project}/messages:send", web::post().to(fcm))
            .route("/v3/push", web::post().to(jpush))
            .route("/v1/{app}/messages:send", web::post().to(huawei))
    })
    .on_connect(move |_, ext| {
        ext.insert(Conn(opened.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1));
    })
    .tcp_nodelay(true)
    .workers(2)
    // HTTP/1.1, and HTTP/2 spoken from the first byte (h2c) as APNs and FCM are.
    .listen_auto_h2c(std::net::TcpListener::bind("127.0.0.1:0").unwrap())
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (g, format!("http://127.0.0.1:{port}"))
}

/// Starts the gateway; answers its webhook URL.
pub async fn start() -> (Gateway, String) {
    let (g, base) = start_all().await;
    (g, format!("{base}/push"))
}

/// The webhook secret of [`demo_app`].
pub const SECRET: &str = "gateway-secret";

/// A demo app whose webhook provider points at a fresh gateway (quiet hours off), with `extra`
/// settings on top (they win).
pub async fn demo_app(extra: &[(&str, &str)]) -> (crate::helpers::TestApp, Gateway) {
    let (g, url) = start().await;
    let mut env = vec![
        ("LVZHI_PUSH_WEBHOOK_URL", url.as_str()),
        ("LVZHI_PUSH_WEBHOOK_SECRET", SECRET),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_QUIET_HOURS", "off"),
    ];
    env.extend_from_slice(extra);
    (crate::helpers::spawn_demo_with(&env).await, g)
}
