//! Anonymous surveys (网络调查): answers kept without who gave them, participation recorded
//! apart, one answer each, results that never show who; a deputies-only consultation is not
//! there for constituents; two days before the close the deputies who have not taken part are
//! reminded once.

use crate::consultations::{answers, draft, relogin};
use crate::project_setup::deputy_token;
use crate::reception::{app_with_sms, constituent};
use serde_json::json;

#[tokio::test]
pub async fn an_anonymous_survey_keeps_answers_apart_and_the_silent_are_reminded() {
    let (app, g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    deputy_token(&app, &admin, 2).await;
    deputy_token(&app, &admin, 3).await;
    let mut body = draft(&app, city, station, 0, 96, &[1, 2, 3]);
    body["public"] = json!(false);
    body["anonymous"] = json!(true);
    let id = app.post("/api/v1/consultations", &admin, body).await.expect(201, "").body["id"].as_i64().unwrap();
    let at = format!("/api/v1/consultations/{id}");
    app.post(&format!("{at}/publish"), &admin, json!({})).await.expect(200, "");
    app.clock.advance(chrono::Duration::minutes(1));
    let (me, two) = (app.login("13955110000").await, relogin(&app, 2).await);
    // Deputies-only: a constituent finds nothing.
    let alice = constituent(&app, &g, "13800138071").await;
    app.get(&at, &alice).await.expect(404, "not_found");
    app.put(&format!("{at}/answers"), &alice, answers(0, 3)).await.expect(404, "not_found");
    let open = app.send(app.client.get(app.url(&format!("/api/v1/public/consultations/{id}")))).await;
    open.expect(404, "not_found");
    // One answer each, final; held sealed (nothing in the clear) until a batch of 20 or the close.
    let ans = format!("{at}/answers");
    app.put(&ans, &me, answers(1, 4)).await.expect(200, "");
    app.put(&ans, &me, answers(0, 1)).await.expect(409, "already_answered");
    let held =
        app.raw_strings(&format!("SELECT sealed AS v FROM consultation_held_answers WHERE consultation_id = {id}"));
    assert_eq!(held.len(), 1);
    assert!(held[0].clone().unwrap().starts_with("pii1:"), "{held:?}");
    assert!(app.tables_containing("\"answers\"").is_empty(), "an answer in the clear somewhere");
    let who = app
        .raw_strings(&format!("SELECT respondent AS v FROM consultation_participation WHERE consultation_id = {id}"));
    assert_eq!(who, vec![Some("d:1".to_string())]);
    // The deputy is told they answered, never what (it cannot be tied back to them).
    let mine = app.get(&at, &me).await.body["mine"].clone();
    assert_eq!((mine["answered"].as_bool(), mine["answers"].is_null()), (Some(true), true));
    // While open, the results count the respondent but show no held answer.
    let r = app.get(&format!("{at}/results?by=region"), &admin).await;
    let r = r.expect(200, "").body.clone();
    assert_eq!(
        (r["respondents"].as_i64(), r["held"].as_i64(), r["questions"][0]["answered"].as_i64()),
        (Some(1), Some(1), Some(0))
    );
    // Deputy 2 comments (taking part); deputy 3 is silent. Two days before the close, only
    // deputy 3 is reminded, and only once.
    app.post(&format!("{at}/comments"), &two, json!({"article": 1, "text": "赞成。"})).await.expect(201, "");
    assert_eq!(lvzhi::consultations::remind_closing(&app.state).await.unwrap(), 0, "not yet two days before");
    // A one-day consultation: its publication's notice is not followed by a reminder at once.
    let short = app.post("/api/v1/consultations", &admin, draft(&app, city, station, 0, 24, &[3])).await;
    let short = short.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/consultations/{short}/publish"), &admin, json!({})).await.expect(200, "");
    assert_eq!(lvzhi::consultations::remind_closing(&app.state).await.unwrap(), 0, "not within a day of the notice");
    app.clock.advance(chrono::Duration::hours(48));
    assert_eq!(lvzhi::consultations::remind_closing(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::consultations::remind_closing(&app.state).await.unwrap(), 0);
    let three = relogin(&app, 3).await;
    assert!(app.get("/api/v1/me/inbox", &three).await.text.contains("征求意见即将截止"));
    assert!(!app.get("/api/v1/me/inbox", &app.login("13955110000").await).await.text.contains("征求意见即将截止"));
    // After the close the held answer is settled: without the deputy, the time or the region.
    app.clock.advance(chrono::Duration::hours(49));
    assert_eq!(lvzhi::consultations::settle_closed(&app.state).await.unwrap(), 1);
    let rows = app.raw_strings(&format!(
        "SELECT COALESCE(respondent, '-') || '|' || COALESCE(region_path, '-') || '|' || level AS v FROM consultation_answers WHERE consultation_id = {id}"
    ));
    assert_eq!(rows.len(), 1);
    assert!(rows[0].clone().unwrap().starts_with("-|-|"), "{rows:?}");
    let admin = app.login("admin").await;
    let r = app.get(&format!("{at}/results?by=region"), &admin).await;
    let r = r.expect(200, "").body.clone();
    assert_eq!((r["held"].as_i64(), r["questions"][0]["counts"][1]["count"].as_i64()), (Some(0), Some(1)));
    assert!(r["questions"][0]["groups"].as_array().unwrap().iter().all(|g| g["group"] == "未分组"));
    let me = app.login("13955110000").await;
    // The walk-in route is for contact points: the deputy and a point's staff without the
    // station named are refused.
    let walk = json!({"station_id": station, "channel": "meeting", "text": "座谈会意见"});
    app.post(&format!("{at}/walk-in-comments"), &me, walk).await.expect(403, "forbidden");
}
