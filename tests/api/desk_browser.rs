//! The station desk in a real browser at a tablet's size: staff1 signs in, sees today at the
//! station, files a walk-in with a phone, confirms a check-in waiting for review and changes a
//! duty slot; a screenshot of each page in `tests/artifacts/` and no serious or critical axe-core
//! violation. Skipped like the phone pages' browser tests when Chromium is not installed.

use crate::browser::tablet;
use crate::helpers::*;
use crate::reception::app_with_sms;
use fantoccini::Locator;
use serde_json::json;

#[tokio::test]
pub async fn staff_run_their_day_at_the_desk_in_a_browser() {
    let Some(b) = tablet().await else { return };
    let (app, _g) = app_with_sms().await;
    // At 10:00 Beijing time tomorrow: the slot an hour ahead falls on the desk's day whatever
    // the hour the suite runs.
    let now = app.clock.now();
    let ten = (now + chrono::Duration::days(1)).date_naive().and_hms_opt(2, 0, 0).unwrap().and_utc();
    app.clock.advance(ten - now);
    let (admin, staff1, deputy) = (app.login("admin").await, app.login("staff1").await, app.login("13955110000").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    let slot = crate::opinion_cases::on_duty(&app, &admin, station, 1, 60).await;
    // A check-in from too far away waits for the desk's review.
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff1).await;
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff1).await.body["token"].as_str().unwrap().to_string();
    let lat = s.body["latitude"].as_f64().unwrap() + 0.05;
    let ci = json!({"station_id": station, "token": token, "latitude": lat, "longitude": s.body["longitude"], "accuracy_m": 15.0});
    let pending = app.post("/api/v1/checkins", &deputy, ci).await.body["id"].as_i64().unwrap();
    let mut problems = vec![];
    b.open(&app, "/desk/").await;
    b.wait_path("/desk/sign-in").await;
    b.shot("desk-sign-in").await;
    problems.extend(b.axe("desk-sign-in").await);
    b.fill("username", "staff1").await;
    b.fill("password", PASSWORD).await;
    b.click("#sign-in").await;
    b.c.wait().for_element(Locator::Id("h-slots")).await.unwrap();
    let html = b.html().await;
    assert!(html.contains("值班安排") && html.contains(&format!("approve-{pending}")), "{html}");
    b.shot("desk-day").await;
    problems.extend(b.axe("desk-day").await);
    // The check-in is confirmed.
    b.click(&format!("#approve-{pending}")).await;
    b.wait_path(&format!("/desk/?station={station}&done=reviewed")).await;
    assert_eq!(app.get(&format!("/api/v1/checkins/{pending}"), &staff1).await.body["status"], "accepted");
    // A walk-in with a phone, the person's consent given aloud.
    b.c.find(Locator::Id("channel")).await.unwrap().select_by_value("phone").await.unwrap();
    b.c.find(Locator::Id("category")).await.unwrap().select_by_value("health").await.unwrap();
    b.fill("title", "社区卫生站缺儿科").await;
    b.fill("content", "孩子看病要跑到市区。").await;
    b.fill("phone", "13800149001").await;
    b.c.find(Locator::Id("consent")).await.unwrap().select_by_value("verbal").await.unwrap();
    b.click("#file-walk-in").await;
    let at = b.wait_path(&format!("/desk/?station={station}&filed=")).await;
    let ticket = at.split("filed=").nth(1).unwrap().to_string();
    assert!(b.html().await.contains(&ticket));
    b.shot("desk-filed").await;
    problems.extend(b.axe("desk-filed").await);
    // The slot's page: a note added and saved.
    b.open(&app, &format!("/desk/slots/{slot}?station={station}")).await;
    b.shot("desk-slot").await;
    problems.extend(b.axe("desk-slot").await);
    b.fill("note", "请带好登记本").await;
    b.click("#save-slot").await;
    b.wait_path(&format!("/desk/?station={station}&done=saved")).await;
    assert!(b.html().await.contains("请带好登记本"));
    assert!(problems.is_empty(), "accessibility: {problems:#?}");
}
