//! The kiosk page in headless Chromium: a screenshot into tests/artifacts, the token read from the
//! rendered page, and a deputy's check-in with it. Without Chromium the test says so and passes,
//! unless LVZHI_REQUIRE_CHROMIUM=1 (CI sets it and installs Debian's `chromium`).

use crate::helpers::*;
use serde_json::json;

fn chromium() -> Option<String> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

async fn headless(bin: &str, profile: &std::path::Path, extra: &[String], url: &str) -> std::process::Output {
    let mut cmd = tokio::process::Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(["--window-size=900,1200", "--virtual-time-budget=3000"])
    .args(extra)
    .arg(url)
    .kill_on_drop(true);
    tokio::time::timeout(std::time::Duration::from_secs(60), cmd.output())
        .await
        .expect("chromium finished within 60 s")
        .expect("chromium ran")
}

#[tokio::test]
async fn a_deputy_checks_in_with_the_token_shown_on_the_kiosk_page() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var("LVZHI_REQUIRE_CHROMIUM").is_err(),
            "LVZHI_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!("skipping the kiosk browser test: Chromium is not installed (apt-get install chromium)");
        return;
    };
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff).await;
    let key = app
        .send(app.req(reqwest::Method::POST, &format!("/api/v1/stations/{station}/kiosk-key"), Some(&staff)))
        .await
        .body["kiosk_key"]
        .as_str()
        .unwrap()
        .to_string();
    let url = app.url(&format!("/kiosk/stations/{station}?key={key}"));
    let profile = tempfile::tempdir().unwrap();
    let artifacts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("kiosk.png");
    let _ = std::fs::remove_file(&shot);
    headless(&bin, profile.path(), &[format!("--screenshot={}", shot.display())], &url).await;
    assert!(std::fs::metadata(&shot).map(|m| m.len() > 5_000).unwrap_or(false), "no screenshot at {}", shot.display());
    let dom = headless(&bin, profile.path(), &["--dump-dom".to_string()], &url).await;
    let html = String::from_utf8_lossy(&dom.stdout);
    let token = html
        .split("<code id=\"token\">")
        .nth(1)
        .and_then(|r| r.split("</code>").next())
        .expect("token on the page")
        .to_string();
    assert!(html.contains("<svg"), "the QR code is on the page");
    assert!(html.contains(s.body["name"].as_str().unwrap()));
    let deputy = app.login("13955110000").await;
    let body = json!({"station_id": station, "token": token, "latitude": s.body["latitude"], "longitude": s.body["longitude"], "accuracy_m": 20});
    let a = app.post("/api/v1/checkins", &deputy, body).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted", "{}", a.text);
}
