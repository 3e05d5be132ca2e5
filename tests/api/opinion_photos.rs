//! Photos with opinions: uploaded by constituents (JPEG or PNG read from the content, 5 MB, 30 an
//! hour), their metadata removed before storing, named by id when filing, and shown to those
//! handling the case through signed, expiring links; positions in GCJ-02 stored as WGS-84.

use crate::helpers::*;
use crate::reception::{app_with_sms, constituent};
use serde_json::json;

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> Answer {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.send(app.req(reqwest::Method::POST, "/api/v1/opinion-photos", Some(token)).multipart(form)).await
}

fn station_code(app: &TestApp) -> String {
    app.raw_strings("SELECT public_code AS v FROM stations ORDER BY id LIMIT 1")[0].clone().unwrap()
}

#[tokio::test]
pub async fn a_photo_loses_its_gps_and_is_seen_by_those_handling_the_case_through_a_signed_link() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800140001").await;
    let raw = fixture("gps.jpg");
    let before = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&raw)).unwrap();
    assert!(before.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_some(), "the fixture carries GPS");
    let up = upload(&app, &alice, "IMG_0001.jpg", raw.clone()).await;
    up.expect(201, "");
    assert_eq!(up.body["content_type"], "image/jpeg");
    let photo = up.body["id"].as_i64().unwrap();
    let body = json!({"station_code": station_code(&app), "category": "transport", "title": "坑洼", "content": "路面坑洼",
        "latitude": 31.8520, "longitude": 117.3080, "coord_system": "gcj02", "photo_ids": [photo]});
    let filed = app.post("/api/v1/opinions", &alice, body.clone()).await;
    filed.expect(201, "");
    let ticket = filed.body["ticket"].as_str().unwrap().to_string();
    // GCJ-02 in, WGS-84 stored: the offset near Hefei is a few hundred metres.
    let (lat, lng) = (filed.body["latitude"].as_f64().unwrap(), filed.body["longitude"].as_f64().unwrap());
    assert!(
        (lat - 31.8520).abs() > 0.001 && (lat - 31.8520).abs() < 0.01 && (lng - 117.3080).abs() > 0.003,
        "{lat} {lng}"
    );
    // The staff of the station see the photo; it has no GPS, no device, only its orientation.
    let staff = app.login("staff1").await;
    let case = app.get(&format!("/api/v1/opinions/{ticket}"), &staff).await;
    case.expect(200, "");
    let url = case.body["photos"][0]["url"].as_str().unwrap().to_string();
    let got = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    let bytes = got.bytes().await.unwrap().to_vec();
    let after = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(&bytes)).unwrap();
    assert!(after.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY).is_none());
    assert!(after.get_field(exif::Tag::Make, exif::In::PRIMARY).is_none());
    assert_eq!(after.get_field(exif::Tag::Orientation, exif::In::PRIMARY).unwrap().value.get_uint(0), Some(6));
    assert!(!bytes.windows(10).any(|w| w == b"PhoneMaker"));
    // So does the person who filed it; a tampered or expired link does not work.
    let mine = app.get(&format!("/api/v1/me/opinions/{ticket}"), &alice).await;
    assert_eq!(mine.body["photos"].as_array().unwrap().len(), 1);
    assert_eq!(mine.body["texts"], true);
    let forged = url.replace("sig=", "sig=A");
    app.send(app.client.get(app.url(&forged))).await.expect(403, "link_invalid");
    app.clock.advance(chrono::Duration::seconds(601));
    app.send(app.client.get(app.url(&url))).await.expect(403, "link_invalid");
    // A photo already attached cannot be named again.
    let mut again = body.clone();
    again["title"] = json!("再来");
    let r = app.post("/api/v1/opinions", &alice, again).await;
    r.expect(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["code"], "unknown_photo");
}

#[tokio::test]
pub async fn only_photos_of_the_right_kind_size_and_owner_are_taken() {
    let (app, g) = app_with_sms().await;
    let (alice, bob) = (constituent(&app, &g, "13800140002").await, constituent(&app, &g, "13800140003").await);
    upload(&app, &alice, "report.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec())
        .await
        .expect(415, "unsupported_media_type");
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    upload(&app, &alice, "photo.png", svg).await.expect(415, "unsupported_media_type");
    let mut big = fixture("gps.jpg");
    big.resize(5 * 1024 * 1024 + 10, 0);
    upload(&app, &alice, "big.jpg", big).await.expect(413, "payload_too_large");
    let staff = app.login("staff1").await;
    upload(&app, &staff, "a.png", fixture("plain.png")).await.expect(403, "forbidden");
    let png = upload(&app, &bob, "a.png", fixture("plain.png")).await;
    png.expect(201, "");
    assert_eq!(png.body["content_type"], "image/png");
    // Bob's photo is not Alice's to attach.
    let body = json!({"station_code": station_code(&app), "category": "other", "title": "t", "content": "c", "photo_ids": [png.body["id"]]});
    let r = app.post("/api/v1/opinions", &alice, body).await;
    r.expect(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["code"], "unknown_photo");
    assert_eq!(app.raw_strings("SELECT ticket AS v FROM opinions").len(), 0, "nothing was filed");
    // 30 an hour per constituent.
    for _ in 0..29 {
        upload(&app, &bob, "a.png", fixture("plain.png")).await.expect(201, "");
    }
    upload(&app, &bob, "a.png", fixture("plain.png")).await.expect(429, "rate_limited");
}
