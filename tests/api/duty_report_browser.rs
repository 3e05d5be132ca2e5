//! 述职评议 in real browsers: staff open the session's screen at the desk (a tablet) and its QR
//! code carries the rating page's address; a constituent opens that address on a phone, signs
//! in with the texted code, comes back to the form and rates the report once; a second try is
//! refused in words. Screenshots in `tests/artifacts/` and no serious or critical axe-core
//! violation; skipped like the other browser tests when Chromium is not installed.

use crate::browser::{browser, tablet};
use crate::helpers::*;
use crate::reception::app_with_sms;
use fantoccini::Locator;
use serde_json::json;

/// The demo deputy's report, approved, its session begun a minute ago: (report, event).
pub async fn session_now(app: &TestApp, admin: &str) -> (i64, i64) {
    let deputy = app.login("13955110000").await;
    let term = app.get("/api/v1/deputies/1", admin).await.body["seats"][0]["term"].as_i64().unwrap();
    let at = app.clock.now() - chrono::Duration::minutes(1);
    let item = json!({"deputy_id": 1, "term": term, "at": at.to_rfc3339(), "station_id": 1, "electoral_unit": "明光路街道选区"});
    let id = app.post("/api/v1/duty-reports/schedule", admin, json!({"items": [item]})).await.body[0].as_i64().unwrap();
    app.post("/api/v1/me/duty-reports", &deputy, json!({"term": term, "body": "一年来，我参加接待12次。"}))
        .await
        .expect(201, "");
    app.post(&format!("/api/v1/me/duty-reports/{id}/submit"), &deputy, json!({})).await.expect(200, "");
    let ok = app.post(&format!("/api/v1/duty-reports/{id}/approve"), admin, json!({})).await;
    (id, ok.expect(200, "").body["event_id"].as_i64().unwrap())
}

#[tokio::test]
pub async fn the_session_screen_and_the_rating_page_work_in_browsers() {
    let Some(desk) = tablet().await else { return };
    let (app, g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let (id, _) = session_now(&app, &admin).await;
    let mut problems = vec![];
    // The screen at the session, shown by staff from the desk.
    desk.open(&app, &format!("/desk/duty-reports/{id}/session")).await;
    desk.wait_path("/desk/sign-in").await;
    desk.fill("username", "admin").await;
    desk.fill("password", PASSWORD).await;
    desk.click("#sign-in").await;
    desk.wait_path(&format!("/desk/duty-reports/{id}/session")).await;
    let screen = desk.html().await;
    assert!(screen.contains("请扫码评议") && screen.contains("<svg"), "{screen}");
    desk.shot("duty-report-session").await;
    problems.extend(desk.axe("duty-report-session").await);
    drop(desk);
    // The address its QR code carries (the same token, from the API the screen reads).
    let code = app.get(&format!("/api/v1/duty-reports/{id}/session-code"), &admin).await;
    let url = code.expect(200, "").body["url"].as_str().unwrap().to_string();
    let path = url.split_once("/m/").map(|(_, p)| format!("/m/{p}")).unwrap();
    let Some(b) = browser().await else { return };
    b.open(&app, &path).await;
    b.wait_path("/m/sign-in").await;
    b.sign_in(&app, &g, "13800153001", 0).await;
    b.click("form[action='/m/sign-in'] button[type=submit]").await;
    b.wait_path(&format!("/m/duty-reports/{id}/rate?t=")).await;
    b.shot("duty-report-rate").await;
    problems.extend(b.axe("duty-report-rate").await);
    b.click("input[value=basically_satisfied]").await;
    b.fill("comment", "希望多到社区来").await;
    b.click("form[action$='/rate'] button[type=submit]").await;
    b.c.wait().for_element(Locator::XPath("//h1[contains(., '感谢您的评议')]")).await.unwrap();
    b.shot("duty-report-rated").await;
    problems.extend(b.axe("duty-report-rated").await);
    let stored = app.raw_strings(&format!("SELECT verdict AS v FROM duty_report_ratings WHERE report_id = {id}"));
    assert_eq!(stored, vec![Some("basically_satisfied".to_string())]);
    // The same person again: refused in words, nothing stored.
    b.open(&app, &path).await;
    b.click("input[value=satisfied]").await;
    b.click("form[action$='/rate'] button[type=submit]").await;
    b.c.wait().for_element(Locator::Css("p.error")).await.unwrap();
    assert!(b.html().await.contains("您已经评议过了"));
    let again = app.raw_strings(&format!("SELECT verdict AS v FROM duty_report_ratings WHERE report_id = {id}"));
    assert_eq!(again.len(), 1);
    assert!(problems.is_empty(), "{problems:#?}");
}
