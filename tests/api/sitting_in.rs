//! Sitting in (列席): a congress's deputies take turns to sit in on its standing committee —
//! events of kind `sitting_in`, attendance a point source — and staff get whom to invite next:
//! those never invited first, then those invited longest ago, never one who sat in this term or
//! is invited to a meeting ahead.

use crate::project_setup::{check_in, deputy_token};
use crate::reception::app_with_sms;
use serde_json::json;

fn ids(v: &serde_json::Value) -> Vec<i64> {
    v["next"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
pub async fn deputies_take_turns_to_sit_in_and_staff_see_who_comes_next() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let next = |n: usize| format!("/api/v1/sitting-in/next?region_id={city}&n={n}");
    let first = app.get(&next(1000), &admin).await;
    let all = ids(&first.expect(200, "").body);
    let seated = first.body["seated"].as_u64().unwrap() as usize;
    assert!(seated >= 4 && all.len() == seated, "{}", first.text);
    assert_eq!((first.body["sat"].as_u64(), first.body["covered"]["rate"].as_f64()), (Some(0), Some(0.0)));
    assert!(first.body["next"][0]["name"].as_str().is_some_and(|n| !n.is_empty()));
    // A sitting-in meeting with two invitees: one comes, one does not.
    let (a, b, c) = (all[0], all[1], all[2]);
    let start = app.clock.now() + chrono::Duration::minutes(1);
    let body = |title: &str, at: chrono::DateTime<chrono::Utc>, who: Vec<i64>| {
        json!({"kind": "sitting_in", "title": title, "region_id": city, "venue": "市人大常委会会议室", "latitude": 31.8206,
            "longitude": 117.2272, "starts_at": at.to_rfc3339(), "ends_at": (at + chrono::Duration::hours(3)).to_rfc3339(), "invitee_ids": who})
    };
    let ev = app.post("/api/v1/events", &admin, body("市人大常委会第十次会议", start, vec![a, b])).await;
    let event = ev.expect(201, "").body["id"].as_i64().unwrap();
    app.clock.advance(chrono::Duration::minutes(2));
    let admin = app.login("admin").await;
    let ta = deputy_token(&app, &admin, a).await;
    check_in(&app, &admin, event, &ta).await;
    app.post(&format!("/api/v1/events/{event}/close"), &admin, json!({})).await.expect(200, "");
    // Another meeting ahead, with the third invited.
    let later = app.clock.now() + chrono::Duration::days(30);
    app.post("/api/v1/events", &admin, body("市人大常委会第十一次会议", later, vec![c])).await.expect(201, "");
    let after = app.get(&next(1000), &admin).await;
    let order = ids(&after.expect(200, "").body);
    assert_eq!((after.body["sat"].as_u64(), after.body["invited"].as_u64()), (Some(1), Some(1)));
    assert!(!order.contains(&a) && !order.contains(&c));
    assert_eq!(order.last(), Some(&b), "the one who missed comes after everyone never invited");
    assert_eq!(order.len(), seated - 2);
    assert_eq!(ids(&app.get(&next(3), &admin).await.body).len(), 3);
    // Attending is a point source; missing counts as a missed meeting.
    let kinds =
        app.raw_strings(&format!("SELECT kind AS v FROM point_events WHERE source_id = {event} ORDER BY deputy_id"));
    assert!(
        kinds.contains(&Some("sitting_in_attended".into())) && kinds.contains(&Some("sitting_in_absent".into())),
        "{kinds:?}"
    );
    // Only the congress's staff plan it.
    app.get(&next(0), &admin).await.expect(422, "validation_failed");
    app.get(&next(3), &ta).await.expect(403, "forbidden");
    let county = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": county});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&next(3), &shushan).await.expect(404, "not_found");
}
