//! Cases filed for someone at a station's desk: by its staff, congress staff in scope or a deputy
//! checked in there; with the person's phone (and consent) the case is theirs and its ticket is
//! texted; a retry files it once.

use crate::helpers::*;
use crate::reception::{app_with_sms, constituent};
use serde_json::{json, Value};

fn walk_in(phone: Option<&str>, consent: Option<&str>) -> Value {
    json!({"channel": "walk_in", "category": "transport", "title": "公交线路调整", "content": "老人去医院要换乘两次",
        "phone": phone, "consent": consent})
}

async fn file(app: &TestApp, who: &str, station: i64, body: Value, key: Option<&str>) -> Answer {
    let mut r = app.req(reqwest::Method::POST, &format!("/api/v1/stations/{station}/walk-ins"), Some(who)).json(&body);
    if let Some(k) = key {
        r = r.header("Idempotency-Key", k);
    }
    app.send(r).await
}

#[tokio::test]
pub async fn staff_file_a_walk_in_and_the_person_finds_it_at_their_first_sign_in() {
    let (app, g) = app_with_sms().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let phone = "13800145001";
    let a = file(&app, &staff, station, walk_in(Some(phone), Some("verbal")), Some("desk-1")).await;
    a.expect(201, "");
    assert_eq!((a.body["status"].as_str(), a.body["station_id"].as_i64()), (Some("accepted"), Some(station)));
    let ticket = a.body["ticket"].as_str().unwrap().to_string();
    // A retry with the same key: the same case, not a second one.
    let again = file(&app, &staff, station, walk_in(Some(phone), Some("verbal")), Some("desk-1")).await;
    assert_eq!((again.status.as_u16(), again.body["ticket"].as_str()), (201, Some(ticket.as_str())));
    assert_eq!(app.raw_strings("SELECT ticket AS v FROM opinions").len(), 1);
    // The ticket is texted (queued; sent once the quiet hours allow).
    let id = app.raw_strings(&format!("SELECT CAST(id AS TEXT) AS v FROM opinions WHERE ticket = '{ticket}'"))[0]
        .clone()
        .unwrap();
    assert_eq!(
        app.raw_strings(&format!("SELECT dedup_id AS v FROM sms_outbox WHERE dedup_id = 'case:{id}:filed'")).len(),
        1
    );
    // Staff see how it came in; the person signs in (consenting then) and finds it.
    let seen = app.get(&format!("/api/v1/opinions/{ticket}"), &staff).await;
    assert_eq!(seen.body["channel"], "walk_in");
    let person = constituent(&app, &g, phone).await;
    let mine = app.get("/api/v1/me/opinions", &person).await;
    assert_eq!(mine.body["items"][0]["ticket"], ticket.as_str());
    let one = app.get(&format!("/api/v1/me/opinions/{ticket}"), &person).await;
    assert_eq!((one.status.as_u16(), one.body["access"].as_str()), (200, Some("owner")));
    // Without a phone it is filed all the same, for nobody to follow.
    file(&app, &staff, station, walk_in(None, None), None).await.expect(201, "");
}

#[tokio::test]
pub async fn only_the_stations_people_file_there_and_a_phone_needs_consent() {
    let (app, g) = app_with_sms().await;
    let (staff1, staff2, yaohai) = (app.login("staff1").await, app.login("staff2").await, app.login("yaohai").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    let r = file(&app, &staff1, station, walk_in(Some("13800145002"), None), None).await;
    r.expect(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["code"], "consent_required");
    let r = file(&app, &staff1, station, walk_in(Some("12345"), Some("written")), None).await;
    assert_eq!(r.body["errors"][0]["code"], "invalid_phone");
    let mut odd = walk_in(None, None);
    odd["channel"] = json!("carrier_pigeon");
    file(&app, &staff1, station, odd, None).await.expect(422, "validation_failed");
    // Another station's staff; a district's staff for a station in another district.
    file(&app, &staff2, station, walk_in(None, None), None).await.expect(404, "not_found");
    let other = app.raw_strings("SELECT CAST(s.id AS TEXT) AS v FROM stations s JOIN regions r ON r.id = s.region_id WHERE r.path NOT LIKE (SELECT path || '%' FROM regions WHERE code = '340102') ORDER BY s.id LIMIT 1")[0].clone().unwrap();
    file(&app, &yaohai, other.parse().unwrap(), walk_in(None, None), None).await.expect(404, "not_found");
    file(&app, &yaohai, station, walk_in(None, None), None).await.expect(201, "");
    // A deputy not checked in there; a constituent.
    let deputy = app.login("13955110000").await;
    file(&app, &deputy, station, walk_in(None, None), None).await.expect(403, "forbidden");
    let person = constituent(&app, &g, "13800145003").await;
    file(&app, &person, station, walk_in(None, None), None).await.expect(403, "forbidden");
    // Checked in, the deputy files too, and the case is theirs.
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff1).await;
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff1).await.body["token"].as_str().unwrap().to_string();
    let body = json!({"station_id": station, "token": token, "latitude": s.body["latitude"], "longitude": s.body["longitude"], "accuracy_m": 15.0});
    app.post("/api/v1/checkins", &deputy, body).await.expect(201, "");
    let mine = file(&app, &deputy, station, walk_in(None, None), None).await;
    mine.expect(201, "");
    assert_eq!(mine.body["deputy_id"], 1);
}

#[tokio::test]
pub async fn names_stay_sealed_records_count_what_was_filed_and_deputies_collect_for_points() {
    let (app, _g) = app_with_sms().await;
    let (staff1, admin, deputy) = (app.login("staff1").await, app.login("admin").await, app.login("13955110000").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    // The deputy checks in; two walk-ins are filed during the reception, one with a name.
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff1).await;
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff1).await.body["token"].as_str().unwrap().to_string();
    let ci = json!({"station_id": station, "token": token, "latitude": s.body["latitude"], "longitude": s.body["longitude"], "accuracy_m": 15.0});
    let checkin = app.post("/api/v1/checkins", &deputy, ci).await.expect(201, "").body["id"].as_i64().unwrap();
    let mut named = walk_in(None, None);
    named["name"] = json!("王秀英");
    file(&app, &deputy, station, named, None).await.expect(201, "");
    file(&app, &staff1, station, walk_in(None, None), None).await.expect(201, "");
    let mut long = walk_in(None, None);
    long["name"] = json!("名".repeat(51));
    file(&app, &staff1, station, long, None).await.expect(422, "validation_failed");
    let day = app.get(&format!("/api/v1/stations/{station}/day"), &staff1).await;
    assert!(day.body["walk_ins"].as_array().unwrap().iter().any(|w| w["name"] == "王秀英"));
    assert!(app.tables_containing("王秀英").is_empty(), "the name is stored sealed");
    // The reception's record counts at least the two cases filed during it.
    let record =
        |n: i32| json!({"checkin_id": checkin, "constituents_received": 3, "opinions_collected": n, "summary": "接待"});
    let low = app.post("/api/v1/activity-records", &deputy, record(1)).await;
    low.expect(422, "validation_failed");
    assert_eq!(low.body["errors"][0]["code"], "count_below_linked");
    app.post("/api/v1/activity-records", &deputy, record(2)).await.expect(201, "");
    // What a deputy collected elsewhere waits for staff and earns a point source.
    let mut told = walk_in(None, None);
    told["channel"] = json!("deputy_collected");
    app.post("/api/v1/me/collected-opinions", &staff1, told.clone()).await.expect(403, "forbidden");
    app.post("/api/v1/me/collected-opinions", &deputy, walk_in(None, None)).await.expect(422, "validation_failed");
    let c = app.post("/api/v1/me/collected-opinions", &deputy, told).await;
    c.expect(201, "");
    assert_eq!((c.body["status"].as_str(), c.body["deputy_id"].as_i64()), (Some("submitted"), Some(1)));
    let ticket = c.body["ticket"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await.body["channel"], "deputy_collected");
    let noted =
        app.raw_strings("SELECT kind AS v FROM point_events WHERE kind = 'opinion_collected' AND deputy_id = 1");
    assert_eq!(noted.len(), 1);
}
