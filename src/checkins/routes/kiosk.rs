//! The kiosk page for the tablet at a station: the rotating QR code (SVG rendered by the server),
//! the station name, the time and today's deputies on duty. It fetches a fresh token every 10 s
//! (a token stays valid for 60 s plus the grace), and keeps showing the last one through a network
//! blip while it retries.

use crate::checkins::places;
use crate::checkins::qr::Place;
use crate::db;
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct KioskQuery {
    /// The station's kiosk key.
    pub key: String,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The kiosk page of a station (HTML; the kiosk key is the credential).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path), KioskQuery), responses((status = 200, content_type = "text/html", body = String), (status = 404, body = Problem, description = "unknown station or wrong key")))]
#[get("/kiosk/stations/{id}")]
pub async fn page(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<KioskQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let key = q.into_inner().key;
    let now = state.clock.now();
    let tz = state.settings.tz;
    let k = key.clone();
    let (name, token, svg, on_duty) = db::tx(&state.db, move |c| {
        places::check_kiosk_key(c, id, &k)?;
        let s = crate::org::station_geo(c, id)?.ok_or_else(AppError::not_found)?;
        let (token, _, svg) = places::current(c, Place::Station(id), now)?;
        let duty = crate::checkins::on_duty::on_duty_names(c, id, now.with_timezone(&tz).date_naive(), tz)?;
        Ok((s.name, token, svg, duty))
    })
    .await?;
    let nonce = hex::encode(rand::random::<[u8; 12]>());
    let duty = if on_duty.is_empty() {
        "<li>今日暂无排班代表</li>".to_string()
    } else {
        on_duty.iter().map(|n| format!("<li>{}</li>", esc(n))).collect::<String>()
    };
    let html = format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{name} · 代表签到</title>
<style>
body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#b71c1c;color:#fff;text-align:center}}
main{{max-width:720px;margin:0 auto;padding:24px}} h1{{font-size:2rem;margin:.4em 0}}
#qr{{background:#fff;display:inline-block;padding:16px;border-radius:12px}} #qr svg{{width:min(70vw,420px);height:auto}}
#clock{{font-size:1.6rem;font-variant-numeric:tabular-nums}} #status{{color:#ffe082;min-height:1.4em}}
ul{{list-style:none;padding:0;font-size:1.3rem}} code{{color:#ffcdd2;font-size:.8rem}}
</style></head>
<body><main>
<h1 id="station">{name}</h1>
<div id="clock"></div>
<p>请代表打开“履职”App 扫码签到</p>
<div id="qr">{svg}</div>
<p><code id="token">{token}</code></p>
<p id="status"></p>
<h2>今日值班代表</h2><ul id="duty">{duty}</ul>
</main>
<script nonce="{nonce}">
const station = {id}, key = {key_js};
function tick() {{ document.getElementById('clock').textContent = new Date().toLocaleString('zh-CN', {{timeZone: {tz_js}, hour12: false}}); }}
async function refresh() {{
  try {{
    const r = await fetch('/api/v1/stations/' + station + '/qr?key=' + encodeURIComponent(key), {{cache: 'no-store'}});
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const t = await r.json();
    document.getElementById('qr').innerHTML = t.svg;
    document.getElementById('token').textContent = t.token;
    document.getElementById('status').textContent = '';
  }} catch (e) {{
    document.getElementById('status').textContent = '网络连接中断，正在重试…（当前二维码仍然有效）';
  }}
}}
tick(); setInterval(tick, 1000); setInterval(refresh, 10000);
</script>
</body></html>"#,
        name = esc(&name),
        svg = svg,
        token = esc(&token),
        duty = duty,
        nonce = nonce,
        id = id,
        key_js = serde_json::to_string(&key).unwrap_or_default().replace('<', "\\u003c"),
        tz_js = serde_json::to_string(tz.name()).unwrap_or_default(),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Security-Policy",
            format!("default-src 'self'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self' data:"),
        ))
        .body(html))
}
