//! Posters and cards to print: a station's A4 poster and a deputy's card carry the QR code of
//! `LVZHI_PUBLIC_BASE_URL/m/{code}`, for staff in scope only; and every phone page stays small.

use crate::helpers::*;
use crate::phone::{codes, Phone};
use crate::reception::app_with_sms;

#[tokio::test]
pub async fn staff_print_a_poster_and_a_card_with_the_code_of_the_phone_page() {
    let app = spawn_demo_with(&[("LVZHI_PUBLIC_BASE_URL", "https://rd.example.gov.cn/")]).await;
    let (station, deputy) = codes(&app).await;
    let (staff, admin) = (app.login("staff1").await, app.login("admin").await);
    let poster = app.get("/api/v1/stations/1/poster", &staff).await;
    assert_eq!(poster.status, 200);
    assert!(poster.text.contains("<svg") && poster.text.contains(&format!("https://rd.example.gov.cn/m/{station}")));
    assert!(poster.text.contains("@page { size: A4") && poster.text.contains("开放时间"));
    let card = app.get("/api/v1/deputies/1/card", &admin).await;
    assert_eq!(card.status, 200);
    assert!(card.text.contains(&format!("https://rd.example.gov.cn/m/{deputy}")) && !card.text.contains("1395511"));
    // Not for deputies or constituents; another station's staff see no such station.
    let deputy_token = app.login("13955110000").await;
    app.get("/api/v1/stations/1/poster", &deputy_token).await.expect(403, "forbidden");
    app.get("/api/v1/stations/2/poster", &staff).await.expect(404, "not_found");
    app.get("/api/v1/stations/999999/poster", &admin).await.expect(404, "not_found");
}

#[test]
fn production_needs_an_https_public_address() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("serve")
        .env("LVZHI_ENV", "production")
        .env("LVZHI_JWT_KEY_FILE", "/nonexistent/jwt.pem")
        .env("LVZHI_PII_KEYS", "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .env("LVZHI_PII_HASH_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        .env("LVZHI_PUBLIC_BASE_URL", "http://rd.example.gov.cn")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("LVZHI_PUBLIC_BASE_URL"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
pub async fn every_phone_page_with_its_style_and_script_is_under_60_kb() {
    let (app, g) = app_with_sms().await;
    let (station, deputy) = codes(&app).await;
    let mut phone = Phone::new(&app);
    let assets = phone.get("/m/static/m.css").await.html.len() + phone.get("/m/static/m.js").await.html.len();
    let mut pages = vec![format!("/m/{station}"), format!("/m/{deputy}"), "/m/sign-in".into(), "/m/NOPE".into()];
    phone.sign_in(&app, &g, "13800143001", "/m/cases").await;
    pages.extend([format!("/m/{station}/opinion"), format!("/m/{station}/book"), "/m/cases".into()]);
    for p in pages {
        let seen = phone.get(&p).await;
        assert!(matches!(seen.status, 200 | 404), "{p}: {}", seen.status);
        let total = seen.html.len() + assets;
        assert!(total <= 60 * 1024, "{p}: {total} bytes with its style and script");
    }
}
